// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_ENCODER_PIECE_WALK_H_
#define FLASHTOK_SRC_ENCODER_PIECE_WALK_H_

#include <algorithm>
#include <cstddef>
#include <string_view>
#include <vector>

#include "bpe/byte_pair_encode.h"
#include "encoder/encoder_access.h"
#include "encoder/piece_record.h"
#include "encoder/scratch.h"
#include "flashtok/encoder.h"
#include "util/byte_view.h"
#include "vocab/encoding_access.h"

namespace flashtok::internal {

// The piece walk every cache is built on: split the text, keep the running
// reach, hand each piece's record to the caller, merge the piece.
//
// Splits `text` from byte `from` (where a piece starts: 0, or the begin of a
// recorded piece) and, for each piece in order, calls on_piece(record) with
// the PieceRecord of that piece (first_token is ids->size() before its ids);
// if it returns true, appends the piece's ids to *ids and goes on, else stops
// before that piece. reach_before is the max_reach of the piece before
// `from` (0 at the start of the text). The merge uses scratch.merge.
template <typename OnPiece>
void encode_pieces(const Encoder& encoder, Scratch& scratch, std::string_view text, std::size_t from,
                   std::size_t reach_before, std::vector<Rank>* ids, OnPiece&& on_piece) {
  const RankTable& ranks = ranks_of(encoder.encoding());
  std::size_t reach_so_far = reach_before;
  pretokenizer_of(encoder).split(text, from, [&](const Piece* pieces, std::size_t n) {
    // Locals for the batch, not the captures: the captures live in a frame
    // that escapes into the pre-tokenizer, so every merge call would make the
    // compiler reload (or store) them, once per piece. When on_piece ignores
    // the record, as encode_ordinary's does, the reach costs a compare.
    const RankTable& table = ranks;
    MergeScratch& merge = scratch.merge;
    std::vector<Rank>* const out = ids;
    const std::string_view bytes = text;
    std::size_t max_reach = reach_so_far;
    for (std::size_t i = 0; i < n; ++i) {
      const Piece& p = pieces[i];
      max_reach = std::max(max_reach, p.reach);
      if (!on_piece(PieceRecord{p.begin, out->size(), max_reach})) return false;
      byte_pair_encode(table, bytes_between(bytes, p.begin, p.end), p.begin + 8 <= bytes.size(), merge, out);
    }
    reach_so_far = max_reach;
    return true;
  });
}

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_ENCODER_PIECE_WALK_H_
