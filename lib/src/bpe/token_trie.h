// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_BPE_TOKEN_TRIE_H_
#define FLASHTOK_SRC_BPE_TOKEN_TRIE_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "util/bits.h"
#include "vocab/rank_table.h"

namespace flashtok::internal {

// The longest token that starts a text, found in one walk over the text: a
// byte trie of every token of a vocabulary, in flat arrays (12 bytes and a
// label per node). A node's children are contiguous and sorted by their byte;
// the nodes of one and two bytes are indexed by those bytes directly, since
// every walk starts there and they have the most children.
// Immutable after construction; safe to share across threads.
class TokenTrie {
 public:
  explicit TokenTrie(const RankTable& ranks);

  // The longest token that is a prefix of `text`, or kNoRank if none is.
  Rank longest_prefix(std::string_view text) const noexcept {
    if (text.empty()) return kNoRank;
    const auto first = static_cast<std::uint8_t>(text[0]);
    const Rank byte = nodes_[root_children_[first]].token;  // the root's token is kNoRank
    if (text.size() == 1) return byte;
    std::uint32_t node = two_byte_nodes_[(first << 8) | static_cast<std::uint8_t>(text[1])];
    if (node == kNone) return byte;
    Rank longest = nodes_[node].token != kNoRank ? nodes_[node].token : byte;
    for (std::size_t i = 2; i < text.size(); ++i) {
      node = child(node, static_cast<std::uint8_t>(text[i]));
      if (node == kNone) break;
      if (nodes_[node].token != kNoRank) longest = nodes_[node].token;
    }
    return longest;
  }

  std::size_t memory_bytes() const noexcept {
    return nodes_.capacity() * sizeof(Node) + labels_.capacity() + two_byte_nodes_.capacity() * sizeof(std::uint32_t) +
           sizeof(*this);
  }

 private:
  static constexpr std::uint32_t kNone = 0;  // the root is nobody's child
  struct Node {
    std::uint32_t first_child;  // index of the first child in nodes_
    std::uint32_t children;     // how many
    Rank token;                 // of the bytes that lead here, or kNoRank
  };

  // Compares eight labels at once (the has-a-zero-byte trick on their XOR
  // with the byte repeated): the walk of a long piece asks for a child at
  // every byte, and a loop over the labels mispredicts on random text.
  // labels_ has kLabelPadding bytes after the last node, so a load of eight
  // never reads past it.
  std::uint32_t child(std::uint32_t node, std::uint8_t byte) const noexcept {
    const Node& n = nodes_[node];
    std::uint32_t begin = n.first_child;
    std::uint32_t count = n.children;
    while (count > 16) {  // halve the range down to at most two words
      const std::uint32_t half = count / 2;
      if (labels_[begin + half] <= byte) {
        begin += half;
        count -= half;
      } else {
        count = half;
      }
    }
    for (std::uint32_t i = 0; i < count; i += 8) {
      const std::uint32_t found = find_byte(labels_.data() + begin + i, byte);  // 8: none
      if (found < 8 && found < count - i) return begin + i + found;
    }
    return kNone;
  }
  // The index of the first of the 8 bytes at p equal to `byte`, or 8.
  static std::uint32_t find_byte(const std::uint8_t* p, std::uint8_t byte) noexcept {
    constexpr std::uint64_t kOnes = 0x0101010101010101ull;
    std::uint64_t word;
    std::memcpy(&word, p, sizeof word);
    const std::uint64_t x = word ^ (kOnes * byte);
    const std::uint64_t zero = (x - kOnes) & ~x & (kOnes << 7);  // exact at its lowest set bit
    return zero == 0 ? 8 : lowest_bit(zero) / 8;
  }
  static constexpr std::size_t kLabelPadding = 16;

  std::vector<Node> nodes_;            // breadth-first; node 0 is the root
  std::vector<std::uint8_t> labels_;   // by node: the byte of the edge into it
  std::array<std::uint32_t, 256> root_children_{};  // kNone (the root) where no token starts with the byte
  std::vector<std::uint32_t> two_byte_nodes_;       // 65,536, by the first two bytes; kNone: no such prefix
};

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_BPE_TOKEN_TRIE_H_
