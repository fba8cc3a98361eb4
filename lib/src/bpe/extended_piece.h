// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_BPE_EXTENDED_PIECE_H_
#define FLASHTOK_SRC_BPE_EXTENDED_PIECE_H_

#include <cstddef>
#include <limits>
#include <string_view>
#include <vector>

#include "bpe/byte_pair_encode.h"
#include "vocab/rank_table.h"

namespace flashtok::internal {

class BacktrackTables;

// The BPE of a piece that grew or shrank at its end, from the BPE of the
// piece before, without merging it again: keep the old ids up to a boundary
// they share with the new BPE, merge only the bytes after it.
//
// `old_ids` (old_count of them) are the BPE of old_size bytes that agree with
// `new_piece` on their first min(old_size, new_piece.size()) bytes. Sets
// *kept to how many old ids the new BPE starts with and appends its other ids
// to *tail: old_ids[0, kept) followed by *tail is the BPE of new_piece (no
// whole-token shortcut needed: under tables that are usable every token is
// the BPE of its own bytes). False, with nothing promised, when `tables` are
// not usable (the caller then merges the piece).
//
// Exact, not a guess (docs/ALGORITHM.md, "Appending inside a long piece"): a
// boundary s of the old ids is tried by merging new_piece[s..] alone and
// testing the one pair that meets at s with BacktrackTables::compatible; the
// ids before s are the BPE of their bytes (segment property), the merged ones
// are, every pair inside each is compatible, so if the pair at s is too, the
// whole is the BPE of new_piece. Boundaries are tried from the end back
// (from one id before it if the piece grew), 1, 1, 2, 4, ... old ids apart,
// so the bytes merged are at most about twice the distance from the end to
// the last boundary the two BPEs share; the first id (nothing before it)
// always passes. Also false when a boundary would need more than
// max_merged_bytes merged (a caller that must bound its work then does the
// work elsewhere). Thread-compatible: `scratch` is the calling thread's.
bool extend_piece_ids(const RankTable& ranks, const BacktrackTables& tables, MergeScratch& scratch,
                      const Rank* old_ids, std::size_t old_count, std::size_t old_size, std::string_view new_piece,
                      std::size_t* kept, std::vector<Rank>* tail,
                      std::size_t max_merged_bytes = std::numeric_limits<std::size_t>::max());

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_BPE_EXTENDED_PIECE_H_
