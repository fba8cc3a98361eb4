// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_BPE_BYTE_PAIR_ENCODE_H_
#define FLASHTOK_SRC_BPE_BYTE_PAIR_ENCODE_H_

#include <cstddef>
#include <string_view>
#include <vector>

#include "vocab/rank_table.h"

namespace flashtok::internal {

// Byte-pair encodes one piece exactly as tiktoken does: repeatedly merge the
// adjacent pair whose bytes have the lowest rank, the leftmost on a tie, until
// no adjacent pair is a token. Appends the ids to *out.
//
// A piece that is a whole token costs one lookup; a piece merged before on
// this thread, a copy from the piece memo (piece_memo.h). A long piece of
// 3-byte characters is first cut where no token can lie across
// (piece_splitter.h) and each chunk merged alone. Short pieces and chunks use
// tiktoken's own quadratic scan over a small array (fastest when n is small);
// long ones a heap of candidate pairs over a linked list, O(n log n), so
// 100 KB of letters is not quadratic. All pick the same pairs, hence the same
// ids.
void byte_pair_encode(const RankTable& ranks, std::string_view piece, std::vector<Rank>* out);

// The number of ids byte_pair_encode would append.
std::size_t byte_pair_count(const RankTable& ranks, std::string_view piece);

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_BPE_BYTE_PAIR_ENCODE_H_
