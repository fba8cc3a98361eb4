// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_UTIL_BYTE_RUN_H_
#define FLASHTOK_SRC_UTIL_BYTE_RUN_H_

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "util/bits.h"

namespace flashtok::internal {

// Where the run of `byte` that starts at s[pos] ends (pos itself if s[pos]
// is another byte), in s[0, n): eight bytes a word at a time, the run's end
// found in its last word by the first byte that differs. Long runs of one
// byte (indentation, padding, a megabyte of spaces a history ends with) are
// where a byte-at-a-time loop costs the most.
inline std::size_t end_of_byte_run(const char* s, std::size_t pos, std::size_t n, unsigned char byte) {
  const std::uint64_t pattern = 0x0101010101010101ull * byte;
  std::uint64_t w;
  for (; pos + 8 <= n; pos += 8) {
    std::memcpy(&w, s + pos, 8);
    if (const std::uint64_t differs = w ^ pattern) return pos + lowest_bit(differs) / 8;
  }
  if (pos == n) return n;
  if (n >= 8) {
    // Fewer than eight bytes left: the text's last word, its bytes before
    // pos shifted out. Not a loop of one to seven steps: an append into a
    // run ends its scan here, with as many bytes left as its length leaves,
    // and a loop whose count changes from call to call is mispredicted.
    std::memcpy(&w, s + n - 8, 8);
    const std::uint64_t differs = (w ^ pattern) >> (8 * (pos - (n - 8)));
    return differs != 0 ? pos + lowest_bit(differs) / 8 : n;
  }
  while (pos < n && static_cast<unsigned char>(s[pos]) == byte) ++pos;
  return pos;
}

// Whether the n > 0 bytes at s are one byte repeated: each equals the next
// (one memcmp, vectorized).
inline bool is_byte_run(const char* s, std::size_t n) { return std::memcmp(s, s + 1, n - 1) == 0; }

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_UTIL_BYTE_RUN_H_
