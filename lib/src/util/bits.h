// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_UTIL_BITS_H_
#define FLASHTOK_SRC_UTIL_BITS_H_

#include <cstdint>
#if defined(_MSC_VER)
#include <intrin.h>
#endif

namespace flashtok::internal {

// The index of the lowest set bit of x != 0. With a word loaded from memory
// by memcpy on a little-endian machine (the only kind flashtok builds for),
// lowest_bit(x) / 8 is the first byte whose bits are set in x.
inline unsigned lowest_bit(std::uint64_t x) {
#if defined(_MSC_VER)
  unsigned long i;
  _BitScanForward64(&i, x);
  return static_cast<unsigned>(i);
#else
  return static_cast<unsigned>(__builtin_ctzll(x));
#endif
}

// The mask of the n lowest bits, n <= 64.
inline std::uint64_t low_bits(unsigned n) { return n >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1; }

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_UTIL_BITS_H_
