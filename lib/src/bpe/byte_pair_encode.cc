// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "bpe/byte_pair_encode.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <tuple>

#include "bpe/piece_memo.h"
#include "vocab/piece_splitter.h"

namespace flashtok::internal {
namespace {

// Pieces up to this many bytes take the quadratic scan.
constexpr std::size_t kSmallPiece = 128;

// Calls emit(rank) for each part of the merged piece, in order.
template <typename Emit>
void merge_small(const RankTable& ranks, std::string_view piece, Emit emit) {
  // One record per part, so that a merge shifts a single array.
  struct Part {
    std::uint32_t begin;  // first byte of the part
    Rank rank;            // of the part's bytes (so emitting needs no lookup)
    Rank joined;          // of this part and the next one joined, or kNoRank
  };
  Part part[kSmallPiece + 1];  // the last one only marks the end
  std::size_t parts = piece.size();
  for (std::size_t i = 0; i <= parts; ++i) {
    part[i].begin = static_cast<std::uint32_t>(i);
    part[i].rank = i < parts ? ranks.find(piece.substr(i, 1)) : kNoRank;
  }
  auto joined_rank = [&](std::size_t i) {  // parts i and i+1
    return i + 2 <= parts ? ranks.find(piece.substr(part[i].begin, part[i + 2].begin - part[i].begin)) : kNoRank;
  };
  for (std::size_t i = 0; i < parts; ++i) part[i].joined = joined_rank(i);

  while (parts > 1) {
    std::size_t best = 0;
    for (std::size_t i = 1; i + 1 < parts; ++i) {
      if (part[i].joined < part[best].joined) best = i;
    }
    if (part[best].joined == kNoRank) break;
    // Join parts best and best+1.
    part[best].rank = part[best].joined;
    std::memmove(&part[best + 1], &part[best + 2], (parts - best - 1) * sizeof part[0]);
    --parts;
    part[best].joined = joined_rank(best);
    if (best > 0) part[best - 1].joined = joined_rank(best - 1);
  }
  for (std::size_t i = 0; i < parts; ++i) emit(part[i].rank);
}

// The same merge order for long pieces: parts form a linked list indexed by
// their start byte; a min-heap holds (rank, start, end of the pair) for every
// adjacent pair that is a token. Entries made stale by a merge are skipped
// when popped: their pair no longer spans the same bytes.
template <typename Emit>
void merge_large(const RankTable& ranks, std::string_view piece, Emit emit) {
  struct Part {
    std::uint32_t end;   // one past the part's last byte; 0 once merged into its left neighbour
    std::uint32_t next;  // start of the next part, or n
    std::uint32_t prev;  // start of the previous part, or n
    Rank rank;           // of the part's bytes
  };
  using Candidate = std::tuple<Rank, std::uint32_t, std::uint32_t>;  // rank, start, pair end
  thread_local std::vector<Part> parts;
  thread_local std::vector<Candidate> heap;

  const auto n = static_cast<std::uint32_t>(piece.size());
  parts.resize(n);
  heap.clear();
  for (std::uint32_t i = 0; i < n; ++i) parts[i] = Part{i + 1, i + 1, i == 0 ? n : i - 1, ranks.find(piece.substr(i, 1))};
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
    Part& left = parts[start];
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

template <typename Emit>
void merge(const RankTable& ranks, std::string_view piece, Emit emit) {
  if (piece.size() <= kSmallPiece) {
    merge_small(ranks, piece, emit);
  } else {
    merge_large(ranks, piece, emit);
  }
}

// Emit receives the ids of what it asked for, a run at a time:
// emit(const Rank* ids, std::size_t count).

// Merges bytes that are not in the memo, and remembers them if they fit.
template <typename Emit>
void merge_and_remember(const RankTable& ranks, PieceMemo& memo, std::string_view bytes, Emit emit) {
  if (bytes.size() > PieceMemo::kMaxBytes) {
    merge(ranks, bytes, [&](Rank rank) { emit(&rank, 1); });
    return;
  }
  Rank ids[PieceMemo::kMaxBytes];  // bytes merge into at most one id each
  std::size_t count = 0;
  merge(ranks, bytes, [&](Rank rank) { ids[count++] = rank; });
  memo.remember(ranks.id(), bytes, ids, count);
  emit(ids, count);
}

// A chunk of a cut piece: from the memo, or merged. Never looked up whole:
// tiktoken takes the whole-token shortcut for a whole piece only, and a
// token that BPE cannot reach from its bytes would come out different.
template <typename Emit>
void merge_chunk(const RankTable& ranks, PieceMemo& memo, std::string_view chunk, Emit emit) {
  std::size_t count = 0;
  if (const Rank* ids = memo.find(ranks.id(), chunk, &count)) return emit(ids, count);
  merge_and_remember(ranks, memo, chunk, emit);
}

// A piece that is not a whole token: from the memo; else cut where no token
// can lie across (piece_splitter.h) and each chunk merged through the memo,
// the whole piece remembered too (a word of several syllables is then one
// hit); else merged.
template <typename Emit>
void merge_piece(const RankTable& ranks, std::string_view piece, Emit emit) {
  PieceMemo& memo = PieceMemo::of_this_thread();
  std::size_t count = 0;
  if (const Rank* ids = memo.find(ranks.id(), piece, &count)) return emit(ids, count);
  if (!PieceSplitter::may_cut(piece)) return merge_and_remember(ranks, memo, piece, emit);
  const bool fits = piece.size() <= PieceMemo::kMaxBytes;
  Rank ids[PieceMemo::kMaxBytes];
  ranks.splitter().for_each_chunk(piece, [&](std::string_view chunk) {
    merge_chunk(ranks, memo, chunk, [&](const Rank* chunk_ids, std::size_t n) {
      if (!fits) return emit(chunk_ids, n);
      std::copy(chunk_ids, chunk_ids + n, ids + count);
      count += n;
    });
  });
  if (!fits) return;
  memo.remember(ranks.id(), piece, ids, count);
  emit(ids, count);
}

}  // namespace

void byte_pair_encode(const RankTable& ranks, std::string_view piece, std::vector<Rank>* out) {
  const Rank whole = ranks.find(piece);
  if (whole != kNoRank) {
    out->push_back(whole);
    return;
  }
  merge_piece(ranks, piece, [out](const Rank* ids, std::size_t count) { out->insert(out->end(), ids, ids + count); });
}

std::size_t byte_pair_count(const RankTable& ranks, std::string_view piece) {
  if (ranks.find(piece) != kNoRank) return 1;
  std::size_t count = 0;
  merge_piece(ranks, piece, [&count](const Rank*, std::size_t n) { count += n; });
  return count;
}

}  // namespace flashtok::internal
