// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_BPE_DIGIT_TOKENS_H_
#define FLASHTOK_SRC_BPE_DIGIT_TOKENS_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "flashtok/rank.h"
#include "util/bit_matrix.h"

namespace flashtok::internal {

class BacktrackTables;
class RankTable;

// What the backtracking encoder asks of a vocabulary, answered for the
// tokens made only of ASCII digits from tables sized for them. A run of
// digits is one piece under r50k_base and p50k_base (`\p{N}+`), and in random
// digits the longest token is often not the BPE's: the encoder tests two or
// three candidates for each token it keeps. The general tables answer each
// test by walking two merge trees, and each longest match by a trie of every
// token; here a test is one bit of a matrix (computed once with
// BacktrackTables::compatible) and a match a walk of a ten-way trie.
// A vocabulary has about a thousand digit tokens (994 in r50k_base, 1,110 in
// cl100k_base): the bits take 120-150 KB, the trie 24-26 KB.
//
// Immutable after construction; safe to share across threads.
class DigitTokens {
 public:
  // Empty (built() false) when a digit is no token of the vocabulary, or its
  // digit tokens are so many that the bits would take more than 2 MB (or
  // the trie more than 65,535 nodes).
  DigitTokens() = default;
  DigitTokens(const RankTable& ranks, const BacktrackTables& tables);

  bool built() const noexcept { return !nodes_.empty(); }

  // The longest token that is a prefix of `digits` (ASCII digits only, at
  // least one), never kNoRank: every digit is a token.
  Rank longest_prefix(std::string_view digits) const noexcept {
    std::uint32_t node = 0;
    for (const char c : digits) {
      const std::uint32_t child = nodes_[node].child[c - '0'];
      if (child == 0) break;
      node = child;
    }
    return nodes_[node].longest;
  }

  // BacktrackTables::compatible(left, right) for two digit tokens.
  bool compatible(Rank left, Rank right) const noexcept { return pairs_.get(index_[left], index_[right]); }

  std::size_t memory_bytes() const noexcept;

 private:
  static constexpr std::size_t kMaxTokens = 4096;  // 2 MB of bits

  // 24 bytes: a vocabulary's digit trie (1,013 nodes in r50k_base, 1,111 in
  // cl100k_base) fits in the L1 cache.
  struct Node {
    std::uint16_t child[10] = {};  // 0: none (the root is no one's child)
    Rank longest = kNoRank;        // the longest token among the digits that lead here and their prefixes
  };
  static constexpr std::size_t kMaxNodes = 0xFFFF;

  std::vector<Node> nodes_;           // the trie; nodes_[0] is the root
  std::vector<std::uint16_t> index_;  // by rank: a digit token's row and column
  BitMatrix pairs_;                   // row `left`, column `right`: compatible(left, right)
};

// Whether every byte of `text` is an ASCII digit.
bool is_ascii_digits(std::string_view text) noexcept;

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_BPE_DIGIT_TOKENS_H_
