// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_BPE_BYTE_PAIR_ENCODE_H_
#define FLASHTOK_SRC_BPE_BYTE_PAIR_ENCODE_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "bpe/backtrack_encoder.h"
#include "bpe/byte_run_encoder.h"
#include "bpe/large_piece_merge.h"
#include "bpe/piece_memo.h"
#include "vocab/rank_table.h"

namespace flashtok::internal {

// What merging keeps between calls on one thread: the memo of merged pieces
// and the long-piece encoders' buffers. Owned by Scratch (encoder/scratch.h).
struct MergeScratch {
  PieceMemo memo;
  ByteRunBuffers byte_run;
  BacktrackBuffers backtrack;
  LargePieceBuffers large_piece;
};

// token_hash(piece) for a piece the rank table or the memo may hold, else 0:
// a piece longer than any token and than any memo entry (a megabyte of
// spaces) is looked up nowhere, so it is not hashed. The encoder's walk
// computes it once per piece, for the rank table and the memo both.
inline std::uint64_t piece_hash(const RankTable& ranks, std::string_view piece) {
  return piece.size() <= ranks.max_token_bytes() || piece.size() <= PieceMemo::kMaxBytes ? token_hash(piece) : 0;
}

// The ids of a piece that is not a whole token, appended to *out; their
// number. byte_pair_encode's and byte_pair_count's out-of-line part; hash is
// piece_hash(ranks, piece).
void append_merged_ids(const RankTable& ranks, std::string_view piece, std::uint64_t hash, MergeScratch& scratch,
                       std::vector<Rank>* out);
std::size_t count_merged_ids(const RankTable& ranks, std::string_view piece, std::uint64_t hash,
                             MergeScratch& scratch);

// Byte-pair encodes one piece exactly as tiktoken does: repeatedly merge the
// adjacent pair whose bytes have the lowest rank, the leftmost on a tie, until
// no adjacent pair is a token. Appends the ids to *out.
//
// A piece that is a whole token costs one lookup, inline here, so that a
// piece walk pays no call for it (most pieces of prose are whole tokens); a
// piece merged before on this thread, a copy from the piece memo
// (piece_memo.h). A long piece of 3-byte characters is first cut where no
// token can lie across (vocab/piece_splitter.h) and each chunk merged alone.
// Short pieces and chunks take tiktoken's quadratic scan
// (small_piece_merge.h); a long run of one byte value (spaces, '-') a token
// repeated and a short tail (byte_run_encoder.h), other long pieces the
// backtracking encoder (backtrack_encoder.h), or a heap of candidate pairs
// (large_piece_merge.h) under a vocabulary the backtracking is not exact for.
// All give the same ids.
inline void byte_pair_encode(const RankTable& ranks, std::string_view piece, MergeScratch& scratch,
                             std::vector<Rank>* out) {
  const std::uint64_t hash = piece_hash(ranks, piece);
  const Rank whole = ranks.find(piece, hash);
  if (whole != kNoRank) {
    out->push_back(whole);
  } else {
    append_merged_ids(ranks, piece, hash, scratch, out);
  }
}

// The number of ids byte_pair_encode would append.
inline std::size_t byte_pair_count(const RankTable& ranks, std::string_view piece, MergeScratch& scratch) {
  const std::uint64_t hash = piece_hash(ranks, piece);
  return ranks.find(piece, hash) != kNoRank ? 1 : count_merged_ids(ranks, piece, hash, scratch);
}

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_BPE_BYTE_PAIR_ENCODE_H_
