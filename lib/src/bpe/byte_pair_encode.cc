// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "bpe/byte_pair_encode.h"

#include <algorithm>

#include "bpe/small_piece_merge.h"
#include "vocab/piece_splitter.h"

namespace flashtok::internal {
namespace {

template <typename Emit>
void merge(const RankTable& ranks, std::string_view piece, MergeScratch& scratch, Emit emit) {
  if (piece.size() <= kSmallPiece) {
    merge_small_piece(ranks, piece, emit);
  } else if (encode_byte_run(ranks, piece, scratch.byte_run)) {
    const ByteRunBuffers& run = scratch.byte_run;
    for (Rank rank : run.head) emit(rank);
    for (std::size_t i = 0; i < run.repeats; ++i) emit(run.repeated);
    for (Rank rank : run.tail) emit(rank);
  } else if (encode_backtracking(ranks, piece, scratch.backtrack)) {
    for (Rank rank : scratch.backtrack.tokens) emit(rank);
  } else {
    merge_large_piece(ranks, piece, scratch.large_piece, emit);
  }
}

// Emit receives the ids of what it asked for, a run at a time:
// emit(const Rank* ids, std::size_t count).

// Merges bytes that are not in the memo, and remembers them if they fit.
// hash is token_hash(bytes).
template <typename Emit>
void merge_and_remember(const RankTable& ranks, MergeScratch& scratch, std::string_view bytes, std::uint64_t hash,
                        Emit emit) {
  if (bytes.size() > PieceMemo::kMaxBytes) {
    merge(ranks, bytes, scratch, [&](Rank rank) { emit(&rank, 1); });
    return;
  }
  Rank ids[PieceMemo::kMaxBytes];  // bytes merge into at most one id each
  std::size_t count = 0;
  merge(ranks, bytes, scratch, [&](Rank rank) { ids[count++] = rank; });
  scratch.memo.remember(ranks.id(), bytes, hash, ids, count);
  emit(ids, count);
}

// A chunk of a cut piece: from the memo, or merged. Never looked up whole:
// tiktoken takes the whole-token shortcut for a whole piece only, and a
// token that BPE cannot reach from its bytes would come out different.
template <typename Emit>
void merge_chunk(const RankTable& ranks, MergeScratch& scratch, std::string_view chunk, Emit emit) {
  std::size_t count = 0;
  const std::uint64_t hash = token_hash(chunk);
  if (const Rank* ids = scratch.memo.find(ranks.id(), chunk, hash, &count)) return emit(ids, count);
  merge_and_remember(ranks, scratch, chunk, hash, emit);
}

// A piece that is not a whole token: from the memo; else cut where no token
// can lie across (vocab/piece_splitter.h) and each chunk merged through the
// memo, the whole piece remembered too (a word of several syllables is then
// one hit); else merged. hash is token_hash(piece).
template <typename Emit>
void merge_piece(const RankTable& ranks, std::string_view piece, std::uint64_t hash, MergeScratch& scratch,
                 Emit emit) {
  std::size_t count = 0;
  if (const Rank* ids = scratch.memo.find(ranks.id(), piece, hash, &count)) return emit(ids, count);
  if (!PieceSplitter::may_cut(piece)) return merge_and_remember(ranks, scratch, piece, hash, emit);
  const bool fits = piece.size() <= PieceMemo::kMaxBytes;
  Rank ids[PieceMemo::kMaxBytes];
  ranks.splitter().for_each_chunk(piece, [&](std::string_view chunk) {
    merge_chunk(ranks, scratch, chunk, [&](const Rank* chunk_ids, std::size_t n) {
      if (!fits) return emit(chunk_ids, n);
      std::copy(chunk_ids, chunk_ids + n, ids + count);
      count += n;
    });
  });
  if (!fits) return;
  scratch.memo.remember(ranks.id(), piece, hash, ids, count);
  emit(ids, count);
}

}  // namespace

void append_merged_ids(const RankTable& ranks, std::string_view piece, std::uint64_t hash, MergeScratch& scratch,
                       std::vector<Rank>* out) {
  merge_piece(ranks, piece, hash, scratch, [out](const Rank* ids, std::size_t count) {
    // Mostly a memo hit of a few ids: a loop, not a call to memmove.
    for (std::size_t i = 0; i < count; ++i) out->push_back(ids[i]);
  });
}

std::size_t count_merged_ids(const RankTable& ranks, std::string_view piece, std::uint64_t hash,
                             MergeScratch& scratch) {
  std::size_t count = 0;
  merge_piece(ranks, piece, hash, scratch, [&count](const Rank*, std::size_t n) { count += n; });
  return count;
}

}  // namespace flashtok::internal
