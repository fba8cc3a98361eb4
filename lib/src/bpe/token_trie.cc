// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "bpe/token_trie.h"

#include <algorithm>

namespace flashtok::internal {

// Breadth-first over the tokens sorted by their bytes: a node stands for the
// range of sorted tokens that share its bytes (`depth` of them) as a prefix;
// the token equal to those bytes, if any, sorts first; its children are the
// runs of the rest that share the next byte, appended together so that they
// are contiguous.
TokenTrie::TokenTrie(const RankTable& ranks) {
  // Sorted by a word of each token's first eight bytes (big-endian, zero
  // padded: the same order as the bytes wherever two words differ), the bytes
  // compared only on a tie. Comparing whole strings every time was 40% of
  // the instructions of building the backtracking tables, which the first
  // long piece of a process waits for.
  struct Keyed {
    std::uint64_t head;
    Rank rank;
  };
  std::vector<Keyed> keyed;
  keyed.reserve(ranks.size());
  for (Rank r = 0; r < ranks.end_rank(); ++r) {
    const std::string_view bytes = ranks.bytes_of(r);
    if (bytes.empty()) continue;
    std::uint64_t head = 0;
    for (std::size_t i = 0; i < 8; ++i) {
      head = (head << 8) | (i < bytes.size() ? static_cast<std::uint8_t>(bytes[i]) : 0);
    }
    keyed.push_back(Keyed{head, r});
  }
  std::sort(keyed.begin(), keyed.end(), [&](const Keyed& a, const Keyed& b) {
    if (a.head != b.head) return a.head < b.head;
    return ranks.bytes_of(a.rank) < ranks.bytes_of(b.rank);
  });
  std::vector<Rank> sorted;
  sorted.reserve(keyed.size());
  for (const Keyed& k : keyed) sorted.push_back(k.rank);

  struct Range {
    std::size_t begin, end, depth;
  };
  two_byte_nodes_.assign(1 << 16, kNone);
  std::vector<Range> ranges = {{0, sorted.size(), 0}};  // by node
  nodes_.push_back(Node{0, 0, kNoRank});
  labels_.push_back(0);
  for (std::size_t node = 0; node < nodes_.size(); ++node) {
    auto [begin, end, depth] = ranges[node];
    if (begin < end && ranks.bytes_of(sorted[begin]).size() == depth) nodes_[node].token = sorted[begin++];
    nodes_[node].first_child = static_cast<std::uint32_t>(nodes_.size());
    while (begin < end) {
      const char byte = ranks.bytes_of(sorted[begin])[depth];
      std::size_t run_end = begin + 1;
      while (run_end < end && ranks.bytes_of(sorted[run_end])[depth] == byte) ++run_end;
      const auto index = static_cast<std::uint32_t>(nodes_.size());
      if (depth == 0) root_children_[static_cast<std::uint8_t>(byte)] = index;
      if (depth == 1) two_byte_nodes_[(static_cast<std::uint32_t>(labels_[node]) << 8) | static_cast<std::uint8_t>(byte)] = index;
      nodes_.push_back(Node{0, 0, kNoRank});
      labels_.push_back(static_cast<std::uint8_t>(byte));
      ranges.push_back(Range{begin, run_end, depth + 1});
      begin = run_end;
    }
    nodes_[node].children = static_cast<std::uint32_t>(nodes_.size()) - nodes_[node].first_child;
  }
  labels_.resize(labels_.size() + kLabelPadding, 0);  // child() loads eight labels at a time
  nodes_.shrink_to_fit();
  labels_.shrink_to_fit();
}

}  // namespace flashtok::internal
