// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_UTIL_BYTE_HASH_H_
#define FLASHTOK_SRC_UTIL_BYTE_HASH_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace flashtok::internal {

template <typename Word>
Word load_word(const char* p) {
  Word w;
  std::memcpy(&w, p, sizeof w);
  return w;
}

// The n <= 8 bytes at p as one little-endian word, zero-padded. Two
// overlapping loads instead of a loop: a byte-by-byte copy followed by a word
// read stalls on store forwarding, which was a quarter of all lookup time.
inline std::uint64_t pack_short(const char* p, std::size_t n) {
  if (n >= 4) {
    const auto low = load_word<std::uint32_t>(p);
    const auto high = load_word<std::uint32_t>(p + n - 4);
    return low | (static_cast<std::uint64_t>(high) << (8 * (n - 4)));
  }
  if (n == 0) return 0;
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return u[0] | (static_cast<std::uint64_t>(u[n / 2]) << (8 * (n / 2))) |
         (static_cast<std::uint64_t>(u[n - 1]) << (8 * (n - 1)));
}

inline std::uint64_t mix_word(std::uint64_t h) {
  h *= 0xBF58476D1CE4E5B9ull;
  return h ^ (h >> 31);
}

// A hash of n > 8 bytes, read as whole words (the last one overlapping).
inline std::uint64_t hash_long(const char* p, std::size_t n) {
  std::uint64_t h = 0x9E3779B97F4A7C15ull * n;
  for (std::size_t i = 0; i + 8 < n; i += 8) h = mix_word(h ^ load_word<std::uint64_t>(p + i));
  return mix_word(h ^ load_word<std::uint64_t>(p + n - 8));
}

// A hash of any byte string; the length is part of it.
inline std::uint64_t hash_bytes(std::string_view s) {
  if (s.size() > 8) return hash_long(s.data(), s.size());
  const std::uint64_t h = (pack_short(s.data(), s.size()) ^ (s.size() * 0x9E3779B97F4A7C15ull)) * 0xD6E8FEB86659FD93ull;
  return h ^ (h >> 32);
}

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_UTIL_BYTE_HASH_H_
