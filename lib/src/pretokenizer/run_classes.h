// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_PRETOKENIZER_RUN_CLASSES_H_
#define FLASHTOK_SRC_PRETOKENIZER_RUN_CLASSES_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "util/byte_run.h"

namespace flashtok::internal {

// One character as the run classes see it: its class and its length in
// bytes. len == 0: no character of any run (the end of the text, an invalid
// byte, a sequence cut short by the end).
struct RunChar {
  std::uint32_t cls;
  std::uint32_t len;
  bool operator==(const RunChar& o) const noexcept { return cls == o.cls && len == o.len; }
  bool operator!=(const RunChar& o) const noexcept { return !(*this == o); }
};

// Which characters a scanner cannot tell apart in the middle of a long run
// (cache/long_piece_append.h): two characters share a class when every loop
// of the scanner goes on at one exactly when it goes on at the other, and
// both are as long. Then a stretch of characters of one class (a run) looks
// the same to the loops wherever it is cut.
//
// An ASCII character's class is the smallest byte of its class; a byte some
// rule compares by value (a space, an apostrophe, \r, \n, '/') is a class
// of its own. A longer character's class is its length and its class bits
// (unicode::CharClass) under the loops' bits: a line of box-drawing
// characters, Han text, a Cyrillic word. The only multi-byte characters a
// rule compares by value are the contraction letters it folds (U+017F
// counts as 's'), and only right after an apostrophe, which is never inside
// a run; so they need no class of their own. Invalid bytes are in no run:
// the decoder's verdict on them depends on the bytes after them.
//
// Immutable; thread-safe.
class RunClasses {
 public:
  // The classes of a scanner whose loops test the class bits `loop_bits`.
  static RunClasses of_loop_bits(std::uint8_t loop_bits);
  // Every ASCII byte a class of its own and no longer character in a run:
  // for a pre-tokenizer that does not track its reads.
  static RunClasses each_byte_alone();

  // The character that starts at text[pos]. Inline for ASCII: appends into
  // a run of spaces test each appended byte here.
  RunChar at(std::string_view text, std::size_t pos) const noexcept {
    if (pos < text.size() && static_cast<unsigned char>(text[pos]) < 0x80) {
      return {ascii_[static_cast<unsigned char>(text[pos])], 1};
    }
    return multi_byte_at(text, pos);
  }
  // The character that ends at text[end - 1] (not starting before `from`).
  RunChar before(std::string_view text, std::size_t from, std::size_t end) const noexcept {
    if (end > from && static_cast<unsigned char>(text[end - 1]) < 0x80) {
      return {ascii_[static_cast<unsigned char>(text[end - 1])], 1};
    }
    return multi_byte_before(text, from, end);
  }
  // Where the run of class `cls` from text[pos] on ends (pos if none).
  // Inline for ASCII classes: no decoding, and each byte's repeats a word at
  // a time (every append into a run of spaces tests its bytes here).
  std::size_t end_of_run(std::string_view text, std::size_t pos, std::uint32_t cls) const noexcept {
    if (cls >= 0x80) return multi_byte_end_of_run(text, pos, cls);
    while (pos < text.size()) {
      const auto byte = static_cast<unsigned char>(text[pos]);
      if (byte >= 0x80 || ascii_[byte] != cls) break;
      pos = end_of_byte_run(text.data(), pos + 1, text.size(), byte);
    }
    return pos;
  }
  // Where the run of class `cls` that ends at text[end - 1] starts, not before `from`.
  std::size_t start_of_run(std::string_view text, std::size_t from, std::size_t end, std::uint32_t cls) const noexcept;

  // The class of an ASCII byte (byte < 0x80: the high bit is ignored).
  std::uint32_t of_ascii(unsigned char byte) const noexcept { return ascii_[byte & 0x7F]; }

 private:
  RunChar multi_byte_at(std::string_view text, std::size_t pos) const noexcept;
  RunChar multi_byte_before(std::string_view text, std::size_t from, std::size_t end) const noexcept;
  std::size_t multi_byte_end_of_run(std::string_view text, std::size_t pos, std::uint32_t cls) const noexcept;

  std::array<std::uint8_t, 128> ascii_{};
  std::uint8_t loop_bits_ = 0;
  bool multi_byte_runs_ = false;
};

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_PRETOKENIZER_RUN_CLASSES_H_
