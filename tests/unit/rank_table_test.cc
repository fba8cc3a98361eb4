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

// The encoder's walk builds the key of a piece of up to 8 bytes from one
// load of 8 bytes and a mask where the text goes on past the piece
// (hash_piece with readable = true): the key, the hash and every lookup must
// be those of the piece alone. And it looks pieces of 1 and 2 bytes up by
// key and hash too, not in the direct tables: the slots and the filter must
// hold those tokens as well. Each token of up to 8 bytes and random strings
// of 1 to 8 bytes, with random bytes after them.
TEST_P(RankTableTest, TheWalksKeyOfAShortPieceIsItsKeyWhateverFollows) {
  const RankTable& table = ranks_of(encoder_for(GetParam()));
  workloads::SplitMix64 rng(11);
  auto expect_same = [&](std::string_view bytes) {
    std::string padded(bytes);
    for (int i = 0; i < 8; ++i) padded += static_cast<char>(rng.uniform(256));
    const std::string_view piece(padded.data(), bytes.size());  // 8 readable bytes follow it
    const internal::PieceHash walk = internal::hash_piece(table, piece, /*readable=*/true);
    const internal::PieceHash alone = internal::hash_piece(table, piece, /*readable=*/false);
    ASSERT_EQ(walk.key, internal::token_key(bytes)) << "bytes of length " << bytes.size();
    ASSERT_EQ(walk.key, alone.key);
    ASSERT_EQ(walk.hash, alone.hash);
    ASSERT_EQ(walk.hash, internal::token_hash(bytes));
    ASSERT_EQ(table.find(piece, walk.key, walk.hash), table.find(bytes));
  };
  for (Rank r = 0; r < table.end_rank(); ++r) {
    const std::string_view bytes = table.bytes_of(r);
    if (!bytes.empty() && bytes.size() <= 8) expect_same(bytes);
  }
  for (int i = 0; i < 20000; ++i) {
    std::string bytes(1 + rng.uniform(8), '\0');
    for (char& c : bytes) c = static_cast<char>(rng.uniform(256));
    expect_same(bytes);
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
