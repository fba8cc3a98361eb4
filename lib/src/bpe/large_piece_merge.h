// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_BPE_LARGE_PIECE_MERGE_H_
#define FLASHTOK_SRC_BPE_LARGE_PIECE_MERGE_H_

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string_view>
#include <tuple>
#include <vector>

#include "vocab/rank_table.h"

namespace flashtok::internal {

// The working memory of merge_large_piece, kept between calls (in Scratch) so
// that a long piece allocates nothing once the buffers have grown to it.
struct LargePieceBuffers {
  struct Part {
    std::uint32_t end;   // one past the part's last byte; 0 once merged into its left neighbour
    std::uint32_t next;  // start of the next part, or n
    std::uint32_t prev;  // start of the previous part, or n
    Rank rank;           // of the part's bytes
  };
  using Candidate = std::tuple<Rank, std::uint32_t, std::uint32_t>;  // rank, start, pair end

  std::vector<Part> parts;
  std::vector<Candidate> heap;
};

// The same merge order as merge_small_piece in O(n log n), for long pieces
// (100 KB of letters is one piece): parts form a linked list indexed by their
// start byte; a min-heap holds (rank, start, end of the pair) for every
// adjacent pair that is a token. Entries made stale by a merge are skipped
// when popped: their pair no longer spans the same bytes. Calls emit(rank)
// for each part of the merged piece, in order.
template <typename Emit>
void merge_large_piece(const RankTable& ranks, std::string_view piece, LargePieceBuffers& buffers, Emit emit) {
  auto& parts = buffers.parts;
  auto& heap = buffers.heap;
  const auto n = static_cast<std::uint32_t>(piece.size());
  parts.resize(n);
  heap.clear();
  for (std::uint32_t i = 0; i < n; ++i) {
    parts[i] = LargePieceBuffers::Part{i + 1, i + 1, i == 0 ? n : i - 1, ranks.find(piece.substr(i, 1))};
  }
  auto push = [&](std::uint32_t start, std::uint32_t pair_end) {
    const Rank r = ranks.find(piece.substr(start, pair_end - start));
    if (r == kNoRank) return;
    heap.emplace_back(r, start, pair_end);
    std::push_heap(heap.begin(), heap.end(), std::greater<>());
  };
  for (std::uint32_t i = 0; i + 1 < n; ++i) push(i, i + 2);

  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), std::greater<>());
    const auto [rank, start, pair_end] = heap.back();
    heap.pop_back();
    LargePieceBuffers::Part& left = parts[start];
    if (left.end == 0 || left.next == n || parts[left.next].end != pair_end) continue;  // stale
    const std::uint32_t right = left.next;
    left.end = pair_end;
    left.rank = rank;
    left.next = parts[right].next;
    parts[right].end = 0;
    if (left.next != n) {
      parts[left.next].prev = start;
      push(start, parts[left.next].end);
    }
    if (left.prev != n) push(left.prev, pair_end);
  }
  for (std::uint32_t i = 0; i != n; i = parts[i].next) emit(parts[i].rank);
}

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_BPE_LARGE_PIECE_MERGE_H_
