// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_UTF8_VALIDITY_H_
#define FLASHTOK_UTF8_VALIDITY_H_

#include <cstddef>
#include <optional>
#include <string_view>

#include "flashtok/export.h"

namespace flashtok {

// Whether b continues a UTF-8 sequence (10xxxxxx): no character starts at it,
// so cutting text before it would split one. The one definition of this byte
// shape in flashtok, the library's own UTF-8 code included.
constexpr bool is_utf8_continuation(unsigned char b) noexcept { return (b & 0xC0) == 0x80; }

// The byte offset of the first byte of text that is not part of valid UTF-8
// (RFC 3629: no overlongs, surrogates or code points above U+10FFFF), or
// nullopt if all of it is valid.
FLASHTOK_EXPORT std::optional<std::size_t> first_invalid_utf8(std::string_view text) noexcept;

}  // namespace flashtok

#endif  // FLASHTOK_UTF8_VALIDITY_H_
