// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_BPE_BYTE_RUN_ENCODER_H_
#define FLASHTOK_SRC_BPE_BYTE_RUN_ENCODER_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bpe/large_piece_merge.h"
#include "vocab/rank_table.h"

namespace flashtok::internal {

// The working memory of encode_byte_run, kept between calls (in Scratch):
// what it learned under the last table, and its result.
struct ByteRunBuffers {
  // The token a long run of one byte value repeats, once tested.
  struct Period {
    std::uint64_t table_id = 0;  // 0: not looked at yet under any table (table ids start at 1)
    Rank token = kNoRank;        // kNoRank: the run encoder does not apply to this byte
  };
  std::array<Period, 256> periods;  // by byte value
  // The result: `head`, then `repeats` times `repeated`, then `tail`.
  std::vector<Rank> head;
  Rank repeated = kNoRank;
  std::size_t repeats = 0;
  std::vector<Rank> tail;
  std::string bytes;        // the bytes the compatibility test merges
  LargePieceBuffers merge;  // for merges over kSmallPiece bytes
};

// At most this many bytes of a piece may lie outside its run of one byte
// value for encode_byte_run ("----...----\n", " ======").
inline constexpr std::size_t kMaxBytesAroundRun = 32;

// BPE of a piece that is one byte value repeated (spaces, '-', one letter:
// the longest pre-tokenizer pieces of real text) but for at most
// kMaxBytesAroundRun bytes before and after the run, without the whole-token
// shortcut (that is the caller's), in time that does not grow with the run
// once the run's byte has been seen: the BPE of a short head, a token T
// repeated, the BPE of a short tail. False, with nothing promised in buffers,
// when the piece is not of that shape or the guess fails its test; the
// caller then merges the piece.
//
// Exact because the guess is tested, not assumed (docs/ALGORITHM.md, "Runs of
// one byte"): a sequence of tokens is the BPE of its bytes if and only if each
// token is the BPE of its own bytes and BPE turns each two adjacent tokens'
// bytes into those two tokens. T is the first token of the BPE of a run of
// four times the longest token, tested against itself; head and tail are cut
// next to a T from the BPE of a few T-widths at each end of the piece, so
// they and their junctions with T pass by the segment property (a run of
// whole tokens of a BPE result is the BPE of its bytes). Runs shorter than 7
// T-widths are left to the merge.
bool encode_byte_run(const RankTable& ranks, std::string_view piece, ByteRunBuffers& buffers);

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_BPE_BYTE_RUN_ENCODER_H_
