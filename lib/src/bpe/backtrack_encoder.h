// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_BPE_BACKTRACK_ENCODER_H_
#define FLASHTOK_SRC_BPE_BACKTRACK_ENCODER_H_

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "vocab/rank_table.h"

namespace flashtok::internal {

class BacktrackTables;  // backtrack_tables.h: only the encoder reads them

// The working memory of encode_backtracking, kept between calls (in Scratch):
// the tables of the last rank table used (so that a thread takes the
// registry's lock once per table, not once per piece) and the result.
struct BacktrackBuffers {
  std::uint64_t table_id = 0;  // of `tables`; 0: none yet (table ids start at 1)
  std::shared_ptr<const BacktrackTables> tables;
  std::vector<Rank> tokens;        // the result
  std::vector<std::uint64_t> dead;  // a bit per byte offset: no token of the BPE ends there
};

// BPE of a piece, without the whole-token shortcut (that is the caller's), in
// time about linear in its length, with 4 bytes per token and a bit per byte
// of working memory: from the left, take the longest token that starts the
// rest if BPE keeps it apart from the token before it
// (BacktrackTables::compatible), else the next shorter prefix token; when no
// prefix is compatible, mark the offset as one where no token of the BPE
// ends, drop the previous token and try its next shorter prefix (a piece of
// ASCII digits only asks both questions of bpe/digit_tokens.h). The result
// is in buffers.tokens. False, with nothing promised in buffers, when the
// rank table's vocabulary is not one the method is exact for
// (BacktrackTables::usable); the caller then merges the piece.
//
// Exact (docs/ALGORITHM.md, "Backtracking over compatible tokens"): a
// sequence of tokens is the BPE of its bytes if and only if each token is the
// BPE of its own bytes and BPE keeps every two adjacent tokens apart; the
// tokens so far are always the BPE of the bytes so far, so an offset marked
// dead is one where the BPE of the whole piece has no boundary.
bool encode_backtracking(const RankTable& ranks, std::string_view piece, BacktrackBuffers& buffers);

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_BPE_BACKTRACK_ENCODER_H_
