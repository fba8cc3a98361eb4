// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// equal_bytes (util/byte_hash.h), the compare the piece memo trusts to tell
// its entry's piece from another of the same length and slot: a false "equal"
// would hand out another piece's ids.
#include <gtest/gtest.h>

#include <string>

#include "util/byte_hash.h"

namespace flashtok::testing {
namespace {

// Every length up to 40 (word loads and the overlapping last one), a single
// bit changed at every place: never equal; unchanged: equal. The strings sit
// inside longer buffers whose bytes around them differ, so a load that
// strayed outside the n bytes would be caught too.
TEST(EqualBytes, AnyChangedBitAtAnyPlaceOfAnyLengthIsSeen) {
  for (std::size_t n = 0; n <= 40; ++n) {
    std::string a(n + 16, 'a');
    std::string b(n + 16, 'b');
    for (std::size_t i = 0; i < n; ++i) a[8 + i] = b[8 + i] = static_cast<char>('0' + (i * 7) % 64);
    ASSERT_TRUE(internal::equal_bytes(a.data() + 8, b.data() + 8, n)) << n;
    for (std::size_t i = 0; i < n; ++i) {
      for (int bit = 0; bit < 8; ++bit) {
        b[8 + i] = static_cast<char>(b[8 + i] ^ (1 << bit));
        ASSERT_FALSE(internal::equal_bytes(a.data() + 8, b.data() + 8, n)) << n << " bytes, byte " << i << " bit " << bit;
        b[8 + i] = static_cast<char>(b[8 + i] ^ (1 << bit));
      }
    }
  }
}

}  // namespace
}  // namespace flashtok::testing
