// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// The rank table against a plain std::unordered_map of the same tokens:
// every token is found by its bytes and gives its bytes back, and strings
// near tokens (one byte more, one less, one changed) are found exactly when
// the map has them. Short tokens live inside the hash slots and long ones in
// the arena, so lengths on both sides of 8 bytes are covered.
#include <gtest/gtest.h>

#include <string>
#include <unordered_map>

#include "flashtok/error.h"
#include "test_support.h"

namespace flashtok::testing {
namespace {

class RankTableTest : public ::testing::TestWithParam<std::string> {};

TEST_P(RankTableTest, AgreesWithAPlainMapOnTokensAndNearMisses) {
  const RankTable& table = ranks_of(encoder_for(GetParam()));
  std::unordered_map<std::string, Rank> reference;
  for (Rank r = 0; r < table.end_rank(); ++r) {
    if (table.contains(r)) reference.emplace(std::string(table.bytes_of(r)), r);
  }
  ASSERT_EQ(reference.size(), table.size());
  auto expect_same = [&](const std::string& bytes) {
    const auto it = reference.find(bytes);
    ASSERT_EQ(table.find(bytes), it == reference.end() ? kNoRank : it->second) << "bytes of length " << bytes.size();
  };
  workloads::SplitMix64 rng(3);
  for (const auto& [bytes, rank] : reference) {
    ASSERT_EQ(table.find(bytes), rank);
    ASSERT_EQ(table.bytes_of(rank), bytes);
    if (rng.uniform(8) != 0) continue;  // near misses for an eighth of the tokens
    expect_same(bytes + static_cast<char>(rng.uniform(256)));
    expect_same(bytes.substr(0, bytes.size() - 1));
    std::string changed = bytes;
    changed[rng.uniform(changed.size())] ^= static_cast<char>(1 + rng.uniform(255));
    expect_same(changed);
  }
}

INSTANTIATE_TEST_SUITE_P(AllEncodings, RankTableTest, ::testing::ValuesIn(all_encodings()));

TEST(RankTable, EmptyTableFindsNothing) {
  const RankTable empty;
  EXPECT_EQ(empty.find("a"), kNoRank);
  EXPECT_EQ(empty.find("ab"), kNoRank);
  EXPECT_EQ(empty.find("abcdefghijk"), kNoRank);
  EXPECT_EQ(empty.size(), 0u);
}

TEST(RankTable, EachTableHasItsOwnIdAndACopyKeepsIt) {
  const RankTable a({{"x", 0}, {"yz", 1}});
  const RankTable b({{"x", 0}, {"yz", 1}});
  const RankTable copy = a;
  EXPECT_NE(a.id(), b.id());
  EXPECT_EQ(copy.id(), a.id());
  EXPECT_EQ(copy.find("yz"), 1u);
}

TEST(RankTable, DuplicatesAreCorrupt) {
  EXPECT_THROW(RankTable({{"abcdefghij", 0}, {"abcdefghij", 1}}), Error);  // long bytes twice
  EXPECT_THROW(RankTable({{"abc", 0}, {"abc", 1}}), Error);                 // short bytes twice
  EXPECT_THROW(RankTable({{"abc", 0}, {"abd", 0}}), Error);                 // a rank twice
  EXPECT_THROW(RankTable(std::string("abc"), {RankTable::Span{2, 5, 0}}), Error);  // outside the buffer
}

}  // namespace
}  // namespace flashtok::testing
