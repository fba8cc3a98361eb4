// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_UNICODE_CHAR_CLASS_H_
#define FLASHTOK_SRC_UNICODE_CHAR_CLASS_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "util/always_inline.h"

namespace flashtok::unicode {

struct CodepointRange {
  char32_t first;
  char32_t last;
};

// The character classes the tiktoken patterns use, as bits. The data comes
// from tiktoken's own regex engine (tests/oracle/extract_unicode.mjs), not
// from RE2 or the C library, whose Unicode versions differ.
enum CharClass : std::uint8_t {
  kIsLetter = 1 << 0,       // \p{L}
  kIsUpper = 1 << 1,        // \p{Lu} or \p{Lt}
  kIsLower = 1 << 2,        // \p{Ll}
  kIsOtherLetter = 1 << 3,  // \p{Lm} or \p{Lo}
  kIsMark = 1 << 4,         // \p{M}
  kIsNumber = 1 << 5,       // \p{N}
  kIsSpace = 1 << 6,        // \s (Unicode White_Space)
  kIsNewline = 1 << 7,      // \r or \n
};

// The class bits of every code point, as a two-level table: a code point's
// high bits pick a 256-entry block, its low bits the class byte. Identical
// blocks are stored once (about 100 KB in all). Built once, never destroyed.
class ClassTable {
 public:
  static const ClassTable& get();

  // The class bits of cp; 0 for anything else (punctuation, symbols,
  // unassigned code points, and flashtok's stand-in for an invalid byte).
  // Forced inline: GCC kept it out of line in the scanners, a call per
  // non-ASCII character (4% of perf's samples on Cyrillic text).
  FLASHTOK_ALWAYS_INLINE std::uint8_t operator()(char32_t cp) const noexcept {
    if (cp > kMaxCodepoint) return 0;
    return blocks_[(std::size_t{index_[cp >> kBlockBits]} << kBlockBits) | (cp & (kBlockSize - 1))];
  }

 private:
  static constexpr char32_t kMaxCodepoint = 0x10FFFF;
  static constexpr std::size_t kBlockBits = 8;
  static constexpr std::size_t kBlockSize = std::size_t{1} << kBlockBits;
  static constexpr std::size_t kBlockCount = (kMaxCodepoint + 1) >> kBlockBits;

  ClassTable();

  std::array<std::uint16_t, kBlockCount> index_{};
  std::vector<std::uint8_t> blocks_;
};

inline std::uint8_t classify(char32_t cp) noexcept { return ClassTable::get()(cp); }

// The ASCII letter of the contractions ('s 't 're 've 'm 'll 'd) that cp
// equals under tiktoken's case-insensitive matching (S, s and U+017F are all
// 's'); 0 when cp is none of them.
char contraction_letter(char32_t cp) noexcept;

// The sets behind the bits above, for the RE2 pattern rewriter.
enum class NamedSet { kLetter, kUppercase, kTitlecase, kLowercase, kModifier, kOtherLetter, kMark, kNumber, kWhiteSpace };
std::vector<CodepointRange> ranges_of(NamedSet set);

}  // namespace flashtok::unicode

#endif  // FLASHTOK_SRC_UNICODE_CHAR_CLASS_H_
