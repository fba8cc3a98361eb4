// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_UNICODE_UTF8_H_
#define FLASHTOK_SRC_UNICODE_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "flashtok/utf8_validity.h"

namespace flashtok::unicode {

// Marks a byte that does not start a valid UTF-8 sequence. Not a code point.
inline constexpr char32_t kInvalidByte = 0xFFFFFFFFu;

struct DecodedChar {
  char32_t cp;        // the code point, or kInvalidByte (then len == 1)
  std::uint32_t len;  // bytes consumed, >= 1
  // Bytes the decoder looked at to decide, >= len: an invalid lead byte is
  // judged on the byte after it too (C3 'x' is invalid, C3 A9 is U+00E9), so
  // changing that byte can change this character. A sequence cut short by
  // the end of the text counts the end as one more byte: appending can
  // complete it.
  std::uint32_t read;
};

// Byte shapes, without validating what follows (is_utf8_continuation is in
// the public flashtok/utf8_validity.h, for the programs too).
inline bool is_lead3(unsigned char b) { return (b & 0xF0) == 0xE0; }  // leads a 3-byte character
// s[0..3) is a 3-byte lead and two continuations (the shape of CJK, kana,
// Hangul, Thai, Devanagari; overlong and surrogate forms included).
inline bool is_char3(const unsigned char* s) {
  return is_lead3(s[0]) && is_utf8_continuation(s[1]) && is_utf8_continuation(s[2]);
}

// Decodes the character at s[pos] (pos < n) by the strict rules of RFC 3629:
// no overlong forms, no surrogates, nothing above U+10FFFF. Any other byte is
// one invalid character of length 1, so decoding never skips a byte.
inline DecodedChar decode_utf8(const unsigned char* s, std::size_t n, std::size_t pos) noexcept {
  const unsigned b0 = s[pos];
  if (b0 < 0x80) return {b0, 1, 1};
  std::uint32_t len;
  char32_t cp;
  unsigned lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2; cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3; cp = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;  // U+D800..U+DFFF are surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4; cp = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return {kInvalidByte, 1, 1};
  }
  for (std::uint32_t i = 1; i < len; ++i) {
    if (pos + i >= n) return {kInvalidByte, 1, i + 1};
    const unsigned b = s[pos + i];
    if (b < (i == 1 ? lo : 0x80) || b > (i == 1 ? hi : 0xBF)) return {kInvalidByte, 1, i + 1};
    cp = (cp << 6) | (b & 0x3F);
  }
  return {cp, len, len};
}

// The offset of the first byte that is not part of valid UTF-8, or npos.
std::size_t find_invalid_utf8(std::string_view text) noexcept;

}  // namespace flashtok::unicode

#endif  // FLASHTOK_SRC_UNICODE_UTF8_H_
