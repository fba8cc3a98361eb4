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

// A piece's token_key and token_hash, computed once for the rank table and
// the memo both, or zeros for a piece longer than any token and than any
// memo entry (a megabyte of spaces), which is looked up nowhere. `readable`:
// the 8 bytes from piece.data() on may be read (a walk over a text knows
// that the piece does not end it); then a piece of up to 8 bytes is one load
// and a mask, with no branch on its length for the walk to mispredict.
struct PieceHash {
  std::uint64_t key;   // token_key(piece), or 0
  std::uint64_t hash;  // token_hash(piece), or 0
};
inline PieceHash hash_piece(const RankTable& ranks, std::string_view piece, bool readable) {
  std::uint64_t key = 0;
  if (piece.size() - 1 < 8 && readable) {
    key = pack_short_readable(piece.data(), piece.size());
  } else if (piece.size() <= ranks.max_token_bytes() || piece.size() <= PieceMemo::kMaxBytes) {
    key = token_key(piece);
  } else {
    return PieceHash{0, 0};
  }
  return PieceHash{key, finish_hash(key, piece.size())};
}

// The ids of a piece that is not a whole token, appended to *out; their
// number. byte_pair_encode's and byte_pair_count's out-of-line part; hash is
// hash_piece(ranks, piece, …).hash.
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
// `readable`: as for hash_piece (a walk over a text knows it).
inline void byte_pair_encode(const RankTable& ranks, std::string_view piece, bool readable, MergeScratch& scratch,
                             std::vector<Rank>* out) {
  const PieceHash h = hash_piece(ranks, piece, readable);
  const Rank whole = ranks.find(piece, h.key, h.hash);
  if (whole != kNoRank) {
    out->push_back(whole);
  } else {
    append_merged_ids(ranks, piece, h.hash, scratch, out);
  }
}
inline void byte_pair_encode(const RankTable& ranks, std::string_view piece, MergeScratch& scratch,
                             std::vector<Rank>* out) {
  byte_pair_encode(ranks, piece, /*readable=*/false, scratch, out);
}

// The number of ids byte_pair_encode would append.
inline std::size_t byte_pair_count(const RankTable& ranks, std::string_view piece, MergeScratch& scratch) {
  const PieceHash h = hash_piece(ranks, piece, /*readable=*/false);
  return ranks.find(piece, h.key, h.hash) != kNoRank ? 1 : count_merged_ids(ranks, piece, h.hash, scratch);
}

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_BPE_BYTE_PAIR_ENCODE_H_
