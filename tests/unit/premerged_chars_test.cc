// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// Starting a merge from whole characters (vocab/premerged_chars.h) must give
// the ids of the merge from bytes. The pieces put side by side what can cross
// a character's edges: tokens of the vocabulary holding non-ASCII bytes
// (among them tokens that begin or end inside a character, and tokens holding
// a character and more), the characters themselves and stray bytes. Dropping
// any one kind of crossing token from the table's test makes these pieces
// merge differently from the naive reference.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bpe/small_piece_merge.h"
#include "reference_bpe.h"
#include "test_support.h"
#include "vocab/premerged_chars.h"

namespace flashtok::testing {
namespace {

class PremergedCharsTest : public ::testing::TestWithParam<std::string> {};

std::vector<Rank> merged(const RankTable& ranks, std::string_view piece) {
  std::vector<Rank> ids;
  internal::merge_small_piece(ranks, piece, [&](Rank rank) { ids.push_back(rank); });
  return ids;
}

// Tokens with a byte of 0x80 or more, and the characters that may start whole.
std::vector<std::string> fragments_of(const RankTable& ranks) {
  std::vector<std::string> fragments;
  for (Rank r = 0; r < ranks.end_rank(); ++r) {
    const std::string_view token = ranks.bytes_of(r);
    for (char c : token) {
      if (static_cast<unsigned char>(c) >= 0x80) {
        fragments.emplace_back(token);
        break;
      }
    }
  }
  return fragments;
}

TEST_P(PremergedCharsTest, VocabularyLetsManyCharactersStartWhole) {
  const RankTable& ranks = ranks_of(encoder_for(GetParam()));
  const internal::PremergedChars& chars = ranks.premerged_chars();
  // Every encoding has hundreds of letters that are tokens; more than a
  // hundred pass in each (r50k_base has the fewest; a test that only ever
  // declined would make the merge no faster, and this would catch it).
  EXPECT_GT(chars.size(), 100u) << GetParam();
  // A character that starts whole is a token, and its own merge is that token.
  for (const char* text : {"\xD0\xBF", "\xCE\xB1", "\xE4\xB8\xAD", "\xE3\x81\x82", "\xE0\xB8\x81"}) {
    std::size_t length = 0;
    const Rank rank = chars.find(reinterpret_cast<const unsigned char*>(text), std::char_traits<char>::length(text), 0, &length);
    if (rank == kNoRank) continue;
    EXPECT_EQ(length, std::char_traits<char>::length(text));
    EXPECT_EQ(rank, ranks.find(text));
    EXPECT_EQ(merged(ranks, text), std::vector<Rank>{rank});
  }
}

TEST_P(PremergedCharsTest, MergeFromWholeCharactersEqualsTheMergeFromBytes) {
  const RankTable& ranks = ranks_of(encoder_for(GetParam()));
  const std::vector<std::string> fragments = fragments_of(ranks);
  ASSERT_FALSE(fragments.empty());
  workloads::SplitMix64 rng(23);
  std::size_t premerged = 0;  // characters that did start whole, so the test tests something
  for (int i = 0; i < 30000; ++i) {
    std::string piece;
    const std::size_t length = 2 + rng.uniform(internal::kSmallPiece - 1);
    while (piece.size() < length) {
      const std::uint64_t kind = rng.uniform(10);
      if (kind == 0) {
        piece += static_cast<char>(0x80 + rng.uniform(0x70));  // a stray continuation or lead byte
      } else if (kind == 1) {
        piece += static_cast<char>('a' + rng.uniform(26));
      } else {
        piece += fragments[rng.uniform(fragments.size())];
      }
    }
    piece.resize(length);
    for (std::size_t at = 0; at < piece.size(); ++at) {
      std::size_t char_length = 0;
      premerged += ranks.premerged_chars().find(reinterpret_cast<const unsigned char*>(piece.data()), piece.size(), at,
                                                &char_length) != kNoRank;
    }
    ASSERT_EQ(merged(ranks, piece), reference_bpe(ranks, piece)) << GetParam() << ", piece " << i;
  }
  EXPECT_GT(premerged, 10000u);
}

// Some kinds of crossing token never decide anything under the shipped
// vocabularies (a token holding a letter and more ranks above the letter
// there). Small vocabularies where each kind does: the piece merges one way
// from bytes and another from the whole character unless the table heeds it.
TEST(PremergedChars, EveryKindOfCrossingTokenIsHeeded) {
  struct Case {
    const char* kind;
    std::vector<std::pair<std::string, Rank>> tokens;  // besides the 256 bytes; the character last
    std::string piece;
  };
  const std::string han = "\xE4\xB8\xAD";  // E4 B8 AD
  const std::vector<Case> cases = {
      {"a token holding a 2-byte character and the byte before it",
       {{"a\xD0\xBF", 300}, {"xa", 301}, {"\xD0\xBF", 302}}, "xa\xD0\xBF"},
      {"a token holding a 3-byte character and the byte before it",
       {{"\xE4\xB8", 290}, {"a" + han, 300}, {"xa", 301}, {han, 302}}, "xa" + han},
      {"a token beginning with the last two bytes of a 3-byte character",
       {{"\xB8\xAD", 290}, {"\xB8\xADz", 295}, {han, 310}}, han + "z"},
      {"a byte pair inside the character ranking above the character",
       {{"\xADz", 303}, {"\xE4\xB8", 305}, {han, 300}}, han + "z"},
      {"a token ending with the byte before a character and its lead byte",
       {{"a\xD0", 300}, {"\xD0\xBF", 301}}, "a\xD0\xBF"},
      {"a token beginning with a character's last byte and the byte after it",
       {{"\xBFz", 300}, {"\xD0\xBF", 301}}, "\xD0\xBFz"},
  };
  for (const Case& c : cases) {
    std::vector<std::pair<std::string, Rank>> tokens = c.tokens;
    for (int b = 0; b < 256; ++b) tokens.emplace_back(std::string(1, static_cast<char>(b)), static_cast<Rank>(b));
    const RankTable ranks(tokens);
    const std::vector<Rank> from_bytes = reference_bpe(ranks, c.piece);
    // The case is a real one: a merge starting from the whole character
    // ends differently.
    const std::string character = c.tokens.back().first;
    const std::size_t at = c.piece.find(character);
    ASSERT_NE(at, std::string::npos) << c.kind;
    std::vector<std::string> parts;
    for (std::size_t i = 0; i < c.piece.size(); ++i) {
      parts.push_back(i == at ? character : std::string(1, c.piece[i]));
      if (i == at) i += character.size() - 1;
    }
    EXPECT_NE(reference_bpe_from(ranks, parts), from_bytes) << c.kind;
    EXPECT_EQ(merged(ranks, c.piece), from_bytes) << c.kind;
  }
}

INSTANTIATE_TEST_SUITE_P(AllEncodings, PremergedCharsTest, ::testing::ValuesIn(all_encodings()));

}  // namespace
}  // namespace flashtok::testing
