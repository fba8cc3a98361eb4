// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_ENCODER_UTF8_REPLACE_H_
#define FLASHTOK_SRC_ENCODER_UTF8_REPLACE_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace flashtok::internal {

// What to do with a sequence that the end of the bytes cuts short but that
// more bytes could still complete ("\xE4\xB8" of U+4E2D).
enum class CutTail {
  kReplace,  // it is invalid: the bytes are all there is (decode)
  kHold,     // leave it unconsumed: more bytes may follow (stream decoding)
};

// Appends bytes to *out as UTF-8, each invalid sequence replaced by one
// U+FFFD as Python's errors="replace" does (the maximal valid-looking prefix
// is one sequence), and returns how many bytes it consumed: all of them, but
// for a held cut tail (at most 3 bytes).
std::size_t append_replacing_invalid(std::string_view bytes, CutTail tail, std::string* out);

// The same walk, lossless: every byte is appended as it is, and only the
// held cut tail is left out. Returns the bytes consumed.
std::size_t append_holding_cut_tail(std::string_view bytes, std::string* out);

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_ENCODER_UTF8_REPLACE_H_
