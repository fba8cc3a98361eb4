// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "util/zeroed_array.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>

#include "bpe/piece_memo.h"

namespace flashtok::testing {
namespace {

struct alignas(64) Line {
  std::uint64_t words[8];
};

// Every byte reads zero and the first element starts a cache line, also
// for memory just freed by an array that wrote all of it (what a thread's
// second memo would get back).
TEST(ZeroedArray, EveryByteZeroAndTheFirstElementOnACacheLine) {
  for (const std::size_t size : {std::size_t{0}, std::size_t{1}, std::size_t{3}, std::size_t{1000}, std::size_t{40000}}) {
    for (int round = 0; round < 2; ++round) {
      internal::ZeroedArray<Line> lines(size);
      ASSERT_EQ(lines.size(), size);
      EXPECT_EQ(reinterpret_cast<std::uintptr_t>(lines.data()) % 64, 0u) << size;
      for (std::size_t i = 0; i < size; ++i) {
        for (const std::uint64_t word : lines[i].words) ASSERT_EQ(word, 0u) << "line " << i << " of " << size;
      }
      for (std::size_t i = 0; i < size; ++i) std::memset(&lines[i], 0xA5, sizeof(Line));
    }
  }
  internal::ZeroedArray<std::uint8_t> bytes(3);
  bytes[2] = 7;
  EXPECT_EQ(bytes[0] + bytes[1], 0);
  EXPECT_EQ(bytes[2], 7);
}

// touch_pages() makes the pages resident and changes no byte: what a thread
// remembered before Encoder::prepare() it still remembers after.
TEST(ZeroedArray, TouchingThePagesChangesNoByte) {
  internal::ZeroedArray<Line> lines(1000);  // 64,000 bytes: 16 pages
  for (std::size_t i = 0; i < lines.size(); i += 3) std::memset(&lines[i], static_cast<int>(i % 251) + 1, sizeof(Line));
  lines.touch_pages();
  lines.touch_pages();
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::uint64_t expected = i % 3 == 0 ? 0x0101010101010101ull * (i % 251 + 1) : 0;
    for (const std::uint64_t word : lines[i].words) ASSERT_EQ(word, expected) << "line " << i;
  }
}

// A new memo's entries are all zero bytes: it must answer for no piece, the
// empty one included, under any table.
TEST(PieceMemo, AFreshMemoFindsNothing) {
  internal::PieceMemo memo;
  std::string piece;
  for (std::size_t length = 0; length <= internal::PieceMemo::kMaxBytes + 1; ++length) {
    for (const std::uint64_t table : {std::uint64_t{1}, std::uint64_t{2}, ~std::uint64_t{0}}) {
      std::size_t count = 99;
      EXPECT_EQ(memo.find(table, piece, &count), nullptr) << length;
      EXPECT_EQ(count, 99u);
    }
    piece += static_cast<char>(length % 3 == 0 ? '\0' : 'a' + length % 26);
  }
}

}  // namespace
}  // namespace flashtok::testing
