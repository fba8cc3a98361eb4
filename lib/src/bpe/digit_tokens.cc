// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "bpe/digit_tokens.h"

#include <cstring>

#include "bpe/backtrack_tables.h"
#include "vocab/rank_table.h"

namespace flashtok::internal {

DigitTokens::DigitTokens(const RankTable& ranks, const BacktrackTables& tables) {
  std::vector<Rank> digit_tokens;
  for (Rank r = 0; r < ranks.end_rank(); ++r) {
    const std::string_view bytes = ranks.bytes_of(r);
    if (!bytes.empty() && is_ascii_digits(bytes)) digit_tokens.push_back(r);
  }
  if (digit_tokens.empty() || digit_tokens.size() > kMaxTokens) return;
  nodes_.emplace_back();
  for (const Rank token : digit_tokens) {
    std::uint32_t node = 0;
    for (const char c : ranks.bytes_of(token)) {
      if (nodes_[node].child[c - '0'] == 0) {
        if (nodes_.size() > kMaxNodes) {  // a vocabulary of very long digit tokens: not for these tables
          nodes_.clear();
          return;
        }
        nodes_[node].child[c - '0'] = static_cast<std::uint16_t>(nodes_.size());
        nodes_.emplace_back();
      }
      node = nodes_[node].child[c - '0'];
    }
    nodes_[node].longest = token;
  }
  // A node without a token of its own ends at its parent's longest token.
  // Parents are numbered before their children, so one pass in order does.
  for (Node& parent : nodes_) {
    for (const std::uint16_t child : parent.child) {
      if (child != 0 && nodes_[child].longest == kNoRank) nodes_[child].longest = parent.longest;
    }
  }
  for (const std::uint16_t child : nodes_[0].child) {
    if (child == 0 || nodes_[child].longest == kNoRank) {  // a digit that is no token: not for this vocabulary
      nodes_.clear();
      return;
    }
  }
  index_.assign(ranks.end_rank(), 0);
  for (std::size_t i = 0; i < digit_tokens.size(); ++i) index_[digit_tokens[i]] = static_cast<std::uint16_t>(i);
  pairs_ = BitMatrix(digit_tokens.size());
  for (std::size_t left = 0; left < digit_tokens.size(); ++left) {
    for (std::size_t right = 0; right < digit_tokens.size(); ++right) {
      if (tables.compatible(digit_tokens[left], digit_tokens[right])) pairs_.set(left, right);
    }
  }
}

std::size_t DigitTokens::memory_bytes() const noexcept {
  return nodes_.capacity() * sizeof(Node) + index_.capacity() * sizeof(std::uint16_t) + pairs_.memory_bytes();
}

bool is_ascii_digits(std::string_view text) noexcept {
  // Eight bytes at a time: a byte below 0x80 is a digit when adding 0x46 does
  // not set its top bit (it is below 0x3A) and subtracting 0x30 does not
  // either (it is at least 0x30). A byte below 0x30 borrows from the next,
  // but has set its own top bit already; no byte below 0x80 carries.
  constexpr std::uint64_t kOnes = 0x0101010101010101ull;
  std::size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, text.data() + i, 8);
    if (((word | (word + 0x46 * kOnes) | (word - 0x30 * kOnes)) & (0x80 * kOnes)) != 0) return false;
  }
  for (; i < text.size(); ++i) {
    if (static_cast<unsigned char>(text[i] - '0') >= 10) return false;
  }
  return true;
}

}  // namespace flashtok::internal
