// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// Standard base64 (RFC 4648 alphabet, '=' padding): the tokens of a rank file,
// and the *_b64 fields of the replay format, which carry bytes that are not
// UTF-8 (workloads/src/jsonl.cc includes this header too).
#ifndef FLASHTOK_SRC_UTIL_BASE64_H_
#define FLASHTOK_SRC_UTIL_BASE64_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace flashtok::internal {

// base64 digit values; -1 for any other byte.
struct Base64Digits {
  signed char value[256];
  constexpr Base64Digits() : value() {
    for (int c = 0; c < 256; ++c) value[c] = -1;
    for (int i = 0; i < 26; ++i) {
      value['A' + i] = static_cast<signed char>(i);
      value['a' + i] = static_cast<signed char>(26 + i);
    }
    for (int i = 0; i < 10; ++i) value['0' + i] = static_cast<signed char>(52 + i);
    value[static_cast<unsigned char>('+')] = 62;
    value[static_cast<unsigned char>('/')] = 63;
  }
};
inline constexpr Base64Digits kBase64;
inline constexpr char kBase64Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Decodes standard base64 with '=' padding, as tiktoken writes it, to dst
// (room for in.size() / 4 * 3 bytes). Returns the number of bytes (0 for
// empty input), or -1 if malformed. Straight-line per quad: this runs 200,000
// times per rank file load.
inline std::ptrdiff_t decode_base64(std::string_view in, char* dst) {
  if (in.size() % 4 != 0) return -1;
  if (in.empty()) return 0;
  std::size_t padding = 0;
  if (in.back() == '=') padding = (in[in.size() - 2] == '=') ? 2 : 1;
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  const std::size_t quads = in.size() / 4;
  for (std::size_t q = 0; q < quads; ++q, p += 4) {
    int v[4];
    for (int j = 0; j < 4; ++j) v[j] = kBase64.value[p[j]];
    if (q + 1 == quads) {  // '=' only here, and only as padding
      if (padding >= 1) v[3] = p[3] == '=' ? 0 : -1;
      if (padding == 2) v[2] = p[2] == '=' ? 0 : -1;
    }
    if ((v[0] | v[1] | v[2] | v[3]) < 0) return -1;
    const auto quad = static_cast<std::uint32_t>(v[0] << 18 | v[1] << 12 | v[2] << 6 | v[3]);
    dst[3 * q] = static_cast<char>(quad >> 16);
    dst[3 * q + 1] = static_cast<char>((quad >> 8) & 0xFF);
    dst[3 * q + 2] = static_cast<char>(quad & 0xFF);
  }
  return static_cast<std::ptrdiff_t>(quads * 3 - padding);
}

// The same into *out; false (and *out unspecified) if malformed.
inline bool decode_base64(std::string_view in, std::string* out) {
  out->resize(in.size() / 4 * 3);
  const std::ptrdiff_t length = decode_base64(in, out->data());
  if (length < 0) return false;
  out->resize(static_cast<std::size_t>(length));
  return true;
}

// Standard base64 with '=' padding.
inline std::string encode_base64(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = bytes.size() - i < 3 ? bytes.size() - i : 3;
    std::uint32_t group = 0;
    for (std::size_t j = 0; j < 3; ++j) {
      group = group << 8 | (j < n ? static_cast<unsigned char>(bytes[i + j]) : 0u);
    }
    for (std::size_t j = 0; j < 4; ++j) out += j <= n ? kBase64Alphabet[(group >> (18 - 6 * j)) & 0x3F] : '=';
  }
  return out;
}

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_UTIL_BASE64_H_
