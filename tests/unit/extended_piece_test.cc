// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// extend_piece_ids (bpe/extended_piece.h): the BPE of a piece that grew or
// shrank at its end, from the old piece's ids, against the naive merge
// written from the definition (reference_bpe) and, for long pieces, the heap
// merge: every pair of prefixes of short strings over the alphabets long
// pieces are made of, and random long pieces (runs, random tokens, hostile
// bytes) grown and cut at random, under the four encodings.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bpe/backtrack_tables.h"
#include "bpe/extended_piece.h"
#include "bpe/large_piece_merge.h"
#include "test_support.h"

namespace flashtok::testing {
namespace {

class ExtendedPieceTest : public ::testing::TestWithParam<std::string> {
 protected:
  const RankTable& ranks() const { return ranks_of(encoder_for(GetParam())); }
  const internal::BacktrackTables& tables() const { return *internal::tables_of(ranks()); }

  // The ids extend_piece_ids makes of `next` from the BPE of `before`.
  std::vector<Rank> extended(std::string_view before, const std::vector<Rank>& before_ids, std::string_view next) {
    std::size_t kept = before_ids.size() + 1;
    std::vector<Rank> tail = {12345};  // appended to, not replaced
    EXPECT_TRUE(internal::extend_piece_ids(ranks(), tables(), merge_scratch(), before_ids.data(), before_ids.size(),
                                           before.size(), next, &kept, &tail));
    EXPECT_LE(kept, before_ids.size());
    EXPECT_EQ(tail.front(), 12345u);
    std::vector<Rank> ids(before_ids.begin(), before_ids.begin() + static_cast<std::ptrdiff_t>(kept));
    ids.insert(ids.end(), tail.begin() + 1, tail.end());
    return ids;
  }

  std::vector<Rank> heap_ids(std::string_view piece) const {
    internal::LargePieceBuffers buffers;
    std::vector<Rank> ids;
    if (piece.empty()) return ids;
    internal::merge_large_piece(ranks(), piece, buffers, [&ids](Rank rank) { ids.push_back(rank); });
    return ids;
  }
};

// Every string of up to 7 bytes over small alphabets, from the BPE of every
// prefix of it to the BPE of every other prefix (grown and cut).
TEST_P(ExtendedPieceTest, EveryPrefixOfShortStringsFromEveryOther) {
  for (const std::string alphabet : {"  a", "-=\n", "aAe", "019", "\xc3\xa9 "}) {
    std::vector<std::size_t> digits;
    std::string s;
    while (digits.size() <= 7) {
      s.resize(digits.size());
      for (std::size_t i = 0; i < digits.size(); ++i) s[i] = alphabet[digits[i]];
      std::vector<std::vector<Rank>> prefix_ids;
      for (std::size_t i = 0; i <= s.size(); ++i) prefix_ids.push_back(reference_bpe(ranks(), s.substr(0, i)));
      for (std::size_t i = 0; i <= s.size(); ++i) {
        for (std::size_t j = 1; j <= s.size(); ++j) {
          ASSERT_EQ(extended(s.substr(0, i), prefix_ids[i], s.substr(0, j)), prefix_ids[j])
              << "\"" << s << "\" from " << i << " to " << j << " bytes";
        }
      }
      std::size_t i = 0;  // next string: count in base alphabet.size()
      while (i < digits.size() && ++digits[i] == alphabet.size()) digits[i++] = 0;
      if (i == digits.size()) digits.assign(digits.size() + 1, 0);
    }
  }
}

// Long pieces of the shapes that grow by appends: a run of one byte with
// bytes before and after it, random tokens glued together, hostile bytes.
std::string random_long_piece(workloads::SplitMix64& rng, const RankTable& ranks, std::size_t n) {
  std::string s;
  switch (rng.uniform(4)) {
    case 0: {  // a run, bytes around it
      const char run = " -=a\n0*"[rng.uniform(7)];
      s = random_class_text(rng, rng.uniform(4));
      s.append(n, run);
      s += random_class_text(rng, rng.uniform(6));
      break;
    }
    case 1:  // random tokens of letters and digits
      while (s.size() < n) {
        const auto bytes = ranks.bytes_of(static_cast<Rank>(rng.uniform(ranks.end_rank())));
        if (!bytes.empty()) s.append(bytes);
      }
      break;
    case 2:
      s = random_hostile_text(rng, n / 2);
      break;
    default:  // base64 without padding
      while (s.size() < n) {
        s += "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[rng.uniform(64)];
      }
  }
  return s;
}

TEST_P(ExtendedPieceTest, RandomLongPiecesGrownAndCut) {
  workloads::SplitMix64 rng(0x5eed + GetParam().size());
  for (int round = 0; round < 300; ++round) {
    const std::string piece = random_long_piece(rng, ranks(), 20 + rng.uniform(round < 250 ? 100 : 3000));
    const std::size_t old_size = rng.uniform(piece.size() + 1);
    // Mostly a short append or a cut of a few bytes, as the cache makes them.
    std::size_t new_size = rng.chance(1, 4) ? 1 + rng.uniform(piece.size())
                                            : std::min(piece.size(), old_size + 1 + rng.uniform(40));
    if (rng.chance(1, 5) && old_size > 4) new_size = old_size - 1 - rng.uniform(3);
    const std::string_view before = std::string_view(piece).substr(0, old_size);
    const std::string_view next = std::string_view(piece).substr(0, new_size);
    const bool small = piece.size() <= 120;  // the naive merge is cubic
    const std::vector<Rank> before_ids = small ? reference_bpe(ranks(), before) : heap_ids(before);
    const std::vector<Rank> expected = small ? reference_bpe(ranks(), next) : heap_ids(next);
    ASSERT_EQ(extended(before, before_ids, next), expected)
        << "round " << round << ": " << old_size << " -> " << new_size << " bytes";
  }
}

INSTANTIATE_TEST_SUITE_P(AllEncodings, ExtendedPieceTest, ::testing::ValuesIn(all_encodings()));

}  // namespace
}  // namespace flashtok::testing
