// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_ENCODER_PIECE_RECORD_H_
#define FLASHTOK_SRC_ENCODER_PIECE_RECORD_H_

#include <cstddef>

namespace flashtok::internal {

// A piece as the piece walk (piece_walk.h) records it: enough to re-encode
// exactly from any piece after an edit (docs/ALGORITHM.md).
struct PieceRecord {
  std::size_t begin;        // first byte in the text
  std::size_t first_token;  // index of its first id
  std::size_t max_reach;    // the largest Piece::reach of this piece and all before it
};

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_ENCODER_PIECE_RECORD_H_
