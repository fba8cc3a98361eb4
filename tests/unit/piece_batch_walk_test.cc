// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// encode_ordinary and count walk the scanner's pieces a batch at a time,
// prefetching the rank-table slot of a piece a few places ahead. Whatever the
// number of pieces (fewer than the prefetch window, a batch boundary, a
// window that runs past the last piece), the ids must be those of each piece
// merged on its own, from the scanner's pieces taken one by one.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_support.h"

namespace flashtok::testing {
namespace {

// The ids of text with no batching: every piece encoded on its own, with the
// slow reference merge when it is not a whole token.
std::vector<Rank> piece_by_piece(const Encoder& encoder, const std::string& text) {
  const RankTable& ranks = ranks_of(encoder);
  std::vector<Rank> ids;
  for (const Piece& p : pretokenizer_of(encoder).split(text)) {
    const std::string_view piece = std::string_view(text).substr(p.begin, p.end - p.begin);
    const Rank whole = ranks.find(piece);
    if (whole != kNoRank) {
      ids.push_back(whole);
    } else {
      for (Rank r : reference_bpe(ranks, piece)) ids.push_back(r);
    }
  }
  return ids;
}

class PieceBatchWalkTest : public ::testing::TestWithParam<std::string> {};

// " wordN" is one piece, so n words are n pieces: counts around the batch of
// 256 and the prefetch window of 8, on words that are tokens (" the") and
// words that are merged (" zqxv..."), which take different paths.
TEST_P(PieceBatchWalkTest, EveryPieceCountAroundBatchAndWindowEdges) {
  const Encoder& encoder = encoder_for(GetParam());
  const std::vector<std::string> words = {" the", " zqxvjk", " of", " Prefetching", " ﾐﾑﾒ", " 1", "!!"};
  std::string text;
  std::size_t pieces = 0;
  workloads::SplitMix64 rng(21);
  for (const std::size_t target : {0, 1, 7, 8, 9, 16, 255, 256, 257, 263, 264, 265, 511, 512, 513, 520, 1000}) {
    while (pieces < target) {
      text += words[rng.uniform(words.size())];
      ++pieces;
    }
    const std::vector<Rank> expected = piece_by_piece(encoder, text);
    ASSERT_EQ(encoder.encode_ordinary(text), expected) << "after " << pieces << " words";
    ASSERT_EQ(encoder.count(text), expected.size()) << "after " << pieces << " words";
  }
}

TEST_P(PieceBatchWalkTest, RandomTextsOfEveryLengthUpToAFewBatches) {
  const Encoder& encoder = encoder_for(GetParam());
  workloads::SplitMix64 rng(2121);
  for (int round = 0; round < 60; ++round) {
    const std::string text = rng.uniform(2) == 0 ? random_class_text(rng, rng.uniform(1500))
                                                 : random_hostile_text(rng, rng.uniform(1500));
    const std::vector<Rank> expected = piece_by_piece(encoder, text);
    ASSERT_EQ(encoder.encode_ordinary(text), expected) << "round " << round;
    ASSERT_EQ(encoder.count(text), expected.size()) << "round " << round;
  }
}

INSTANTIATE_TEST_SUITE_P(AllEncodings, PieceBatchWalkTest, ::testing::ValuesIn(all_encodings()));

}  // namespace
}  // namespace flashtok::testing
