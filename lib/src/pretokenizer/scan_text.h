// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_PRETOKENIZER_SCAN_TEXT_H_
#define FLASHTOK_SRC_PRETOKENIZER_SCAN_TEXT_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "pretokenizer/pretokenizer.h"
#include "unicode/char_class.h"
#include "unicode/utf8.h"
#include "util/always_inline.h"
#include "util/bits.h"
#include "util/byte_run.h"

namespace flashtok::internal {

using unicode::kIsLetter;
using unicode::kIsLower;
using unicode::kIsMark;
using unicode::kIsNewline;
using unicode::kIsNumber;
using unicode::kIsOtherLetter;
using unicode::kIsSpace;
using unicode::kIsUpper;

// How many of the 8 bytes at p, from the first, are ASCII letters of the
// kinds in `bits` (kIsLetter: A-Z and a-z; else kIsLower: a-z, kIsUpper:
// A-Z; 0 for other bits): the runs of English and code, a word at a time
// instead of a byte. Bytes of 0x80 and up are never counted.
inline std::size_t ascii_letters_in_word(const unsigned char* p, std::uint8_t bits) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ull;
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  const bool upper = (bits & (kIsLetter | kIsUpper)) != 0;
  const bool lower = (bits & (kIsLetter | kIsLower)) != 0;
  if (!upper && !lower) return 0;
  // Both cases: fold A-Z onto a-z (0x20 set); then one range test per byte,
  // a high bit for each byte strictly between `above` and `below` (bytes
  // under 0x80 only; the formula is the classic SWAR "has between").
  std::uint64_t x = upper && lower ? (w | 0x20 * kOnes) : w;
  const std::uint64_t above = upper && !lower ? 0x40 : 0x60;
  const std::uint64_t below = upper && !lower ? 0x5B : 0x7B;
  const std::uint64_t low7 = x & 0x7F * kOnes;
  const std::uint64_t in_range = ((0x7F + below) * kOnes - low7) & ~x & (low7 + (0x7F - above) * kOnes) & 0x80 * kOnes;
  const std::uint64_t outside = ~in_range & 0x80 * kOnes;
  if (outside == 0) return 8;
  return lowest_bit(outside) / 8;
}

// The class bits (unicode::CharClass) of each ASCII byte.
extern const std::array<std::uint8_t, 128> kAsciiClass;
inline std::uint8_t ascii_class(unsigned char byte) { return kAsciiClass[byte]; }

// Whether ascii_letters_in_word counts every ASCII member of the class set
// `bits`: then an ASCII byte it stops at ends a run of them, with no class
// lookup (the letter sets of every pattern; not digits or white space).
constexpr bool counts_every_ascii_member(std::uint8_t bits) {
  return (bits & (kIsLetter | kIsUpper | kIsLower)) != 0 && (bits & (kIsNumber | kIsSpace | kIsNewline)) == 0;
}

// One decoded character as the scanners see it. len == 0 means "past the end".
struct Char {
  char32_t cp;
  std::uint32_t len;
  std::uint8_t cls;  // unicode::CharClass bits
};

// Not a letter, number or white space: what `[^\s\p{L}\p{N}]` matches.
inline bool is_punct(const Char& c) { return c.len != 0 && !(c.cls & (kIsLetter | kIsNumber | kIsSpace)); }
inline bool has(const Char& c, std::uint8_t bits) { return c.len != 0 && (c.cls & bits) != 0; }

// Whether a scan records how far it looked. The caches need that record
// (Piece::reach); a full encode does not, and skipping it saves about 3% of a
// full encode's instructions on real code (the pieces then say kUnknownReach).
enum class Reach { kTracked, kIgnored };

// The text under a hand-written scanner. Every character the scanner looks at
// goes through at(), which records how far the scan has looked (past the end
// of the text counts as size() + 1), or is peeked at before an at() further
// on; skip() records a run's ASCII end as at() would. That record becomes
// Piece::reach.
template <Reach kReach>
class ScanText {
 public:
  explicit ScanText(std::string_view text)
      : s_(reinterpret_cast<const unsigned char*>(text.data())), n_(text.size()), classes_(unicode::ClassTable::get()) {}

  std::size_t size() const { return n_; }
  std::size_t reach() const { return kReach == Reach::kTracked ? reach_ : kUnknownReach; }
  void reset_reach() { reach_ = 0; }

  // Inlined for ASCII and valid 2- and 3-byte characters, the common cases:
  // a call per character was the largest cost of scanning English and code,
  // and then of Thai, whose marks end a cl100k piece every few characters.
  FLASHTOK_ALWAYS_INLINE Char at(std::size_t pos) {
    if (pos < n_ && s_[pos] < 0x80) {
      const unsigned b = s_[pos];
      record_reach(pos + 1);
      return Char{b, 1, ascii_class(b)};
    }
    char32_t cp = 0;
    if (pos < n_) {
      if (const std::size_t len = decode_2_or_3_bytes(pos, &cp)) {
        record_reach(pos + len);
        return Char{cp, static_cast<std::uint32_t>(len), classes_(cp)};
      }
    }
    return at_slow(pos);
  }

  // The length and class bits of an ASCII or valid 2- or 3-byte character at
  // pos, without recording reach; 0 for anything else (another character,
  // an invalid byte, the end), which at() must then look at. A caller that
  // peeks must call at() on a position at or after everything it peeked at,
  // so that the reach covers them: scanning runs this way costs no call and
  // no bookkeeping per character.
  FLASHTOK_ALWAYS_INLINE std::size_t peek(std::size_t pos, std::uint8_t* cls) const {
    if (pos >= n_) return 0;
    if (s_[pos] < 0x80) {
      *cls = ascii_class(s_[pos]);
      return 1;
    }
    char32_t cp = 0;
    const std::size_t len = decode_2_or_3_bytes(pos, &cp);
    if (len != 0) *cls = classes_(cp);
    return len;
  }

  // The position after the run of ASCII `byte` from pos, without recording
  // reach: as with peek(), the caller must then call at() at or after the
  // position returned. Runs of spaces (indentation, padding, a long run
  // being appended to) a word at a time.
  FLASHTOK_ALWAYS_INLINE std::size_t skip_byte_run(std::size_t pos, unsigned char byte) const {
    return end_of_byte_run(reinterpret_cast<const char*>(s_), pos, n_, byte);
  }

  // The position after the run of characters having any of `bits`, from pos.
  FLASHTOK_ALWAYS_INLINE std::size_t skip(std::size_t pos, std::uint8_t bits) {
    for (;;) {
      std::size_t run = 8;
      for (; run == 8 && pos + 8 <= n_; pos += run) run = ascii_letters_in_word(s_ + pos, bits);
      if (run < 8 && s_[pos] < 0x80 && counts_every_ascii_member(bits)) {  // the run ends at an ASCII byte
        record_reach(pos + 1);
        return pos;
      }
      std::uint8_t cls = 0;
      for (std::size_t len; (len = peek(pos, &cls)) != 0 && (cls & bits);) pos += len;
      const Char c = at(pos);  // the run's end, or a character peek() leaves to at()
      if (!has(c, bits)) return pos;
      pos += c.len;
    }
  }

  FLASHTOK_ALWAYS_INLINE std::size_t skip_punct(std::size_t pos) {
    constexpr std::uint8_t kNotPunct = kIsLetter | kIsNumber | kIsSpace;
    for (;;) {
      while (pos < n_ && s_[pos] < 0x80 && !(ascii_class(s_[pos]) & kNotPunct)) ++pos;
      const Char c = at(pos);
      if (!is_punct(c)) return pos;
      pos += c.len;
    }
  }

 private:
  FLASHTOK_ALWAYS_INLINE void record_reach(std::size_t looked_to) {
    if constexpr (kReach == Reach::kTracked) {
      if (looked_to > reach_) reach_ = looked_to;
    }
  }

  // at() past the end, or on a 4-byte or invalid character.
  Char at_slow(std::size_t pos);

  // The length of the 2- or 3-byte character at pos (pos < size()) and its
  // code point, decoded by the same strict rules as decode_utf8; 0 for
  // anything else. Runs of Cyrillic, Greek, Arabic, Devanagari, CJK and Thai
  // letters are scanned through here, without a call per character (at_slow
  // was a quarter of the time on multilingual text).
  FLASHTOK_ALWAYS_INLINE std::size_t decode_2_or_3_bytes(std::size_t pos, char32_t* cp) const {
    const unsigned b0 = s_[pos];
    if (b0 >= 0xE0 && b0 <= 0xEF) {
      if (n_ - pos < 3) return 0;
      const unsigned b1 = s_[pos + 1], b2 = s_[pos + 2];
      if (!is_utf8_continuation(b1) || !is_utf8_continuation(b2)) return 0;
      if ((b0 == 0xE0 && b1 < 0xA0) || (b0 == 0xED && b1 > 0x9F)) return 0;  // overlong; surrogate
      *cp = ((b0 & 0x0Fu) << 12) | ((b1 & 0x3Fu) << 6) | (b2 & 0x3Fu);
      return 3;
    }
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      if (n_ - pos < 2) return 0;
      const unsigned b1 = s_[pos + 1];
      if (!is_utf8_continuation(b1)) return 0;
      *cp = ((b0 & 0x1Fu) << 6) | (b1 & 0x3Fu);
      return 2;
    }
    return 0;
  }

  const unsigned char* s_;
  std::size_t n_;
  const unicode::ClassTable& classes_;
  std::size_t reach_ = 0;
};

// The end of a contraction ('s 't 're 've 'm 'll 'd) starting at pos, or 0.
// fold_case: tiktoken's (?i:...) form, where 'S, 'RE and 'ſ count too.
template <Reach kReach>
std::size_t match_contraction(ScanText<kReach>& t, std::size_t pos, bool fold_case);

// The end of `\p{N}{1,max_count}` at pos, which holds a number character.
// Inlined, like match_whitespace (digits are one piece in sixteen of real code).
template <Reach kReach>
FLASHTOK_ALWAYS_INLINE std::size_t match_numbers(ScanText<kReach>& t, std::size_t pos, int max_count) {
  std::size_t end = pos;
  for (int i = 0; i < max_count; ++i) {
    const Char c = t.at(end);
    if (!has(c, kIsNumber)) break;
    end += c.len;
  }
  return end;
}

// The end of tiktoken's white-space alternatives at pos (a white-space char):
// `\s*[\r\n]+` (only when with_newline_rule), then `\s+(?!\S)`, then `\s+`.
// Inlined into each scanner: a call per white-space piece (indentation, a
// newline) was 3% of a full encode of code.
template <Reach kReach>
FLASHTOK_ALWAYS_INLINE std::size_t match_whitespace(ScanText<kReach>& t, std::size_t pos, bool with_newline_rule) {
  // One pass over the maximal white-space run serves all three alternatives.
  std::size_t end = pos;
  std::size_t last_char = pos;            // where the run's last character starts
  std::size_t after_last_newline = 0;     // 0: the run has no \r or \n
  for (;;) {
    const Char c = t.at(end);
    if (!has(c, kIsSpace)) break;
    last_char = end;
    end += c.len;
    if (c.cls & kIsNewline) after_last_newline = end;
    if (c.cp == ' ') {  // the spaces after it, a word at a time (the next at() records the reach)
      const std::size_t run_end = t.skip_byte_run(end, ' ');
      if (run_end != end) last_char = run_end - 1;
      end = run_end;
    }
  }
  // \s*[\r\n]+ : greedy \s* backtracks to the last newline of the run.
  if (with_newline_rule && after_last_newline != 0) return after_last_newline;
  // \s+(?!\S) : at the end of the text nothing follows, so the whole run.
  if (end == t.size()) return end;
  // \s+(?!\S) : a non-space follows, so give back the run's last character...
  if (last_char > pos) return last_char;
  // ...unless that leaves nothing; then \s+ takes the single character.
  return end;
}

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_PRETOKENIZER_SCAN_TEXT_H_
