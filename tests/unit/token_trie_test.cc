// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// The trie of the backtracking encoder (bpe/token_trie.h) against the naive
// answer: the longest token that starts a text is the longest prefix the rank
// table finds. The texts are tokens of the vocabulary put side by side, cut
// anywhere, with stray bytes: every depth of the trie is walked, through
// nodes of a few children (one word of labels), of 9 to 16 (two words: a
// match in the second must not be taken for one in the first) and of more
// (halved first), and off the end of a node's labels into the next node's.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>

#include "bpe/token_trie.h"
#include "test_support.h"

namespace flashtok::testing {
namespace {

Rank naive_longest_prefix(const RankTable& ranks, std::string_view text) {
  for (std::size_t length = std::min(text.size(), ranks.max_token_bytes()); length > 0; --length) {
    const Rank rank = ranks.find(text.substr(0, length));
    if (rank != kNoRank) return rank;
  }
  return kNoRank;
}

class TokenTrieTest : public ::testing::TestWithParam<std::string> {};

TEST_P(TokenTrieTest, LongestPrefixIsTheLongestTokenStartingTheText) {
  const RankTable& ranks = ranks_of(encoder_for(GetParam()));
  const internal::TokenTrie trie(ranks);
  workloads::SplitMix64 rng(41);
  std::size_t longer_than_two = 0;  // answers past the direct tables of one and two bytes
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    while (text.size() < 64) {
      if (rng.uniform(8) == 0) {
        text += static_cast<char>(rng.uniform(256));
      } else {
        const std::string_view token = ranks.bytes_of(static_cast<Rank>(rng.uniform(ranks.end_rank())));
        text += token.substr(rng.uniform(token.size() + 1) / 2);  // whole, or from inside it
      }
    }
    for (std::size_t at = 0; at < text.size(); at += 1 + rng.uniform(8)) {
      const std::string_view rest = std::string_view(text).substr(at);
      const Rank expected = naive_longest_prefix(ranks, rest);
      ASSERT_EQ(trie.longest_prefix(rest), expected) << GetParam() << ", text " << i << " at " << at;
      longer_than_two += expected != kNoRank && ranks.bytes_of(expected).size() > 2;
    }
  }
  EXPECT_GT(longer_than_two, 10000u);
  EXPECT_EQ(trie.longest_prefix(""), kNoRank);
}

TEST(TokenTrie, FindsEveryChildOfNodesOfEverySize) {
  // Under "x", children 'A', 'B', ...: 1 to 40 of them, each asked for, and
  // bytes between and beyond them that are not children.
  for (int children = 1; children <= 40; ++children) {
    std::vector<std::pair<std::string, Rank>> tokens;
    for (int b = 0; b < 256; ++b) tokens.emplace_back(std::string(1, static_cast<char>(b)), static_cast<Rank>(b));
    tokens.emplace_back("xy", 256);
    for (int c = 0; c < children; ++c) {
      tokens.emplace_back("xy" + std::string(1, static_cast<char>('A' + 2 * c)), static_cast<Rank>(257 + c));
    }
    const RankTable ranks(tokens);
    const internal::TokenTrie trie(ranks);
    for (int b = 0; b < 256; ++b) {
      const std::string text = "xy" + std::string(1, static_cast<char>(b)) + "z";
      ASSERT_EQ(trie.longest_prefix(text), naive_longest_prefix(ranks, text)) << children << " children, byte " << b;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllEncodings, TokenTrieTest, ::testing::ValuesIn(all_encodings()));

}  // namespace
}  // namespace flashtok::testing
