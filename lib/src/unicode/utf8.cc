// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "unicode/utf8.h"

#include "flashtok/utf8_validity.h"

#include <cstring>

namespace flashtok::unicode {

std::size_t find_invalid_utf8(std::string_view text) noexcept {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t pos = 0;
  while (pos < n) {
    // Skip ASCII eight bytes at a time: most text is mostly ASCII.
    if (pos + 8 <= n) {
      std::uint64_t word;
      std::memcpy(&word, s + pos, 8);
      if ((word & 0x8080808080808080ull) == 0) {
        pos += 8;
        continue;
      }
    }
    const DecodedChar c = decode_utf8(s, n, pos);
    if (c.cp == kInvalidByte) return pos;
    pos += c.len;
  }
  return std::string_view::npos;
}

}  // namespace flashtok::unicode

namespace flashtok {

std::optional<std::size_t> first_invalid_utf8(std::string_view text) noexcept {
  const std::size_t at = unicode::find_invalid_utf8(text);
  if (at == std::string_view::npos) return std::nullopt;
  return at;
}

}  // namespace flashtok
