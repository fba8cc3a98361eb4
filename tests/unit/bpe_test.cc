// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// The byte-pair merge against a deliberately naive reference written from the
// definition (merge the lowest-ranked adjacent pair, leftmost first, until no
// pair is a token), on pieces short enough for the small-piece path and long
// enough for the heap path.
#include <gtest/gtest.h>

#include "bpe.h"
#include "test_support.h"

namespace flashtok::testing {
namespace {

std::vector<Rank> reference_bpe(const RankTable& ranks, const std::string& piece) {
  std::vector<std::string> parts;
  for (char c : piece) parts.emplace_back(1, c);
  for (;;) {
    std::size_t best = parts.size();
    Rank best_rank = kNoRank;
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
      const Rank r = ranks.find(parts[i] + parts[i + 1]);
      if (r < best_rank) {
        best_rank = r;
        best = i;
      }
    }
    if (best == parts.size()) break;
    parts[best] += parts[best + 1];
    parts.erase(parts.begin() + static_cast<std::ptrdiff_t>(best) + 1);
  }
  std::vector<Rank> ids;
  for (const auto& p : parts) ids.push_back(ranks.find(p));
  return ids;
}

class BpeTest : public ::testing::TestWithParam<std::string> {};

TEST_P(BpeTest, MatchesTheNaiveDefinitionOnShortAndLongPieces) {
  const RankTable& ranks = encoder_for(GetParam()).encoding().ranks();
  workloads::SplitMix64 rng(5);
  const std::vector<std::string> fragments = {"the", "ing", " ", "tion", "a", "z", "\xE4\xB8\xAD", "0", "..", "qu", "x"};
  for (int i = 0; i < 400; ++i) {
    const std::size_t length = i < 200 ? 1 + rng.uniform(100) : 120 + rng.uniform(600);
    std::string piece;
    while (piece.size() < length) piece += fragments[rng.uniform(fragments.size())];
    std::vector<Rank> got;
    internal::byte_pair_encode(ranks, piece, &got);
    ASSERT_EQ(got, reference_bpe(ranks, piece)) << "piece of " << piece.size() << " bytes";
    ASSERT_EQ(internal::byte_pair_count(ranks, piece), got.size());
  }
}

TEST_P(BpeTest, WholeTokenIsOneId) {
  const RankTable& ranks = encoder_for(GetParam()).encoding().ranks();
  for (Rank r : {Rank{0}, Rank{255}, Rank{1000}, Rank{20000}}) {
    std::vector<Rank> got;
    internal::byte_pair_encode(ranks, ranks.bytes_of(r), &got);
    EXPECT_EQ(got, std::vector<Rank>{r});
  }
}

INSTANTIATE_TEST_SUITE_P(AllEncodings, BpeTest, ::testing::ValuesIn(all_encodings()));

}  // namespace
}  // namespace flashtok::testing
