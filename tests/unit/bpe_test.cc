// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// The byte-pair merge against a deliberately naive reference written from the
// definition (reference_bpe in test_support), on pieces short enough for the small-piece path and long
// enough for the heap path.
#include <gtest/gtest.h>

#include <map>
#include <utility>

#include "bpe/byte_pair_encode.h"
#include "bpe/piece_memo.h"
#include "test_support.h"

namespace flashtok::testing {
namespace {

class BpeTest : public ::testing::TestWithParam<std::string> {};

TEST_P(BpeTest, MatchesTheNaiveDefinitionOnShortAndLongPieces) {
  const RankTable& ranks = ranks_of(encoder_for(GetParam()));
  workloads::SplitMix64 rng(5);
  const std::vector<std::string> fragments = {"the", "ing", " ", "tion", "a", "z", "\xE4\xB8\xAD", "0", "..", "qu", "x"};
  for (int i = 0; i < 400; ++i) {
    const std::size_t length = i < 200 ? 1 + rng.uniform(100) : 120 + rng.uniform(600);
    std::string piece;
    while (piece.size() < length) piece += fragments[rng.uniform(fragments.size())];
    std::vector<Rank> got;
    internal::byte_pair_encode(ranks, piece, merge_scratch(), &got);
    ASSERT_EQ(got, reference_bpe(ranks, piece)) << "piece of " << piece.size() << " bytes";
    ASSERT_EQ(internal::byte_pair_count(ranks, piece, merge_scratch()), got.size());
  }
}

TEST_P(BpeTest, WholeTokenIsOneId) {
  const RankTable& ranks = ranks_of(encoder_for(GetParam()));
  for (Rank r : {Rank{0}, Rank{255}, Rank{1000}, Rank{20000}}) {
    std::vector<Rank> got;
    internal::byte_pair_encode(ranks, ranks.bytes_of(r), merge_scratch(), &got);
    EXPECT_EQ(got, std::vector<Rank>{r});
  }
}

INSTANTIATE_TEST_SUITE_P(AllEncodings, BpeTest, ::testing::ValuesIn(all_encodings()));

// The per-thread memo of merged pieces must never answer for another piece or
// another encoding: more distinct pieces than it has slots, each encoded again
// and again in random order under four encodings, always equal the reference.
TEST(PieceMemo, RepeatedPiecesUnderEveryEncodingMatchTheReference) {
  workloads::SplitMix64 rng(11);
  const std::vector<std::string> fragments = {"\xD0\xBF", "\xD1\x80\xD0\xB8", "\xE0\xA4\x95", "\xE0\xA4\xBF",
                                              "\xE4\xB8\xAD", "\xE6\x96\x87", "\xD8\xB3", "ing", "q", "\xF0\x9F\x99\x82"};
  std::vector<std::string> pieces;
  for (std::size_t i = 0; i < internal::PieceMemo::kSlots * 3 / 2; ++i) {
    std::string piece;
    const std::size_t length = 4 + rng.uniform(internal::PieceMemo::kMaxBytes + 8);
    while (piece.size() < length) piece += fragments[rng.uniform(fragments.size())];
    pieces.push_back(piece);
  }
  std::map<std::pair<std::string, std::size_t>, std::vector<Rank>> expected;
  for (int round = 0; round < 60000; ++round) {
    const std::string& encoding = all_encodings()[rng.uniform(all_encodings().size())];
    // Skewed to the first pieces, so that some recur often enough to be hit
    // while the rest keep evicting them.
    const std::size_t which = rng.uniform(1 + rng.uniform(pieces.size()));
    const RankTable& ranks = ranks_of(encoder_for(encoding));
    auto [it, fresh] = expected.try_emplace({encoding, which});
    if (fresh) it->second = reference_bpe(ranks, pieces[which]);
    std::vector<Rank> got;
    internal::byte_pair_encode(ranks, pieces[which], merge_scratch(), &got);
    ASSERT_EQ(got, it->second) << encoding << ", piece " << which << " in round " << round;
    ASSERT_EQ(internal::byte_pair_count(ranks, pieces[which], merge_scratch()), got.size());
  }
}

TEST(PieceMemo, RemembersOnlyWhatFitsAndOnlyForItsTable) {
  internal::PieceMemo memo;
  const Rank ids[] = {7, 8, 9};
  std::size_t count = 0;
  memo.remember(1001, "abcd", ids, 3);
  const Rank* hit = memo.find(1001, "abcd", &count);
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(std::vector<Rank>(hit, hit + count), std::vector<Rank>(std::begin(ids), std::end(ids)));
  EXPECT_EQ(memo.find(1002, "abcd", &count), nullptr);  // another table
  EXPECT_EQ(memo.find(1001, "abce", &count), nullptr);
  EXPECT_EQ(memo.find(1001, "abc", &count), nullptr);

  // Both tiers: a short piece of many ids, a long piece of few and of many.
  const std::vector<Rank> many(internal::PieceMemo::kMaxIds, 4);
  const std::string long_piece(internal::PieceMemo::kMaxBytes, 'y');
  for (const auto& [piece, remembered] : std::vector<std::pair<std::string, std::vector<Rank>>>{
           {"efgh", many}, {long_piece, {7, 8}}, {long_piece.substr(1), many}}) {
    memo.remember(1001, piece, remembered.data(), remembered.size());
    hit = memo.find(1001, piece, &count);
    ASSERT_NE(hit, nullptr) << piece;
    EXPECT_EQ(std::vector<Rank>(hit, hit + count), remembered) << piece;
    EXPECT_EQ(memo.find(1002, piece, &count), nullptr);
  }

  const std::string too_long(internal::PieceMemo::kMaxBytes + 1, 'x');
  memo.remember(1001, too_long, ids, 3);
  EXPECT_EQ(memo.find(1001, too_long, &count), nullptr);
  const std::vector<Rank> too_many(internal::PieceMemo::kMaxIds + 1, 5);
  memo.remember(1001, "wxyz", too_many.data(), too_many.size());
  EXPECT_EQ(memo.find(1001, "wxyz", &count), nullptr);
}

}  // namespace
}  // namespace flashtok::testing
