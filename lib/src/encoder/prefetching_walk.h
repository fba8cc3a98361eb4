// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_ENCODER_PREFETCHING_WALK_H_
#define FLASHTOK_SRC_ENCODER_PREFETCHING_WALK_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "bpe/piece_memo.h"
#include "pretokenizer/pretokenizer.h"
#include "util/byte_hash.h"
#include "vocab/rank_table.h"

namespace flashtok::internal {

// The whole-piece lookup and the memo are both read at random in tables
// larger than L1 (the rank table is megabytes), so the walk over a batch of
// pieces runs two stages ahead of the merge: piece i + kSlotAhead is hashed
// (once: the lookup and the memo reuse the hash) and its rank-table slot
// prefetched; piece i + kLookupAhead is looked up, its slot now in cache, and
// if it is no token its memo entry is prefetched. Far enough ahead to cover a
// miss to memory at tens of nanoseconds per piece, near enough that the lines
// are still in L1 when their turn comes.
constexpr std::size_t kSlotAhead = 8;
constexpr std::size_t kLookupAhead = 4;
constexpr std::size_t kLookedUp = 8;  // ring of whole-piece ranks: a power of two > kLookupAhead
constexpr std::size_t kHashed = 16;   // ring of piece hashes: a power of two > kSlotAhead
static_assert(kLookupAhead < kLookedUp && kLookupAhead < kSlotAhead && kSlotAhead < kHashed);

// Calls visit(i, piece, whole) for each of the n pieces of `text` in order,
// where whole is ranks.find(piece), the piece's rank if it is one token;
// stops when visit returns false (false is then returned). Prefetching only
// loads cache lines, so the ranks are those of a plain walk.
template <typename Visit>
bool walk_prefetching(const RankTable& ranks, const PieceMemo& memo, std::string_view text, const Piece* pieces,
                      std::size_t n, Visit&& visit) {
  auto piece_at = [&](std::size_t i) { return text.substr(pieces[i].begin, pieces[i].end - pieces[i].begin); };
  std::uint64_t hashes[kHashed];
  auto prefetch = [&](std::size_t i) {
    const std::string_view piece = piece_at(i);
    // A piece longer than any token (a megabyte of spaces) is never looked up: not hashed.
    hashes[i % kHashed] = piece.size() <= ranks.max_token_bytes() ? token_hash(piece) : 0;
    ranks.prefetch(piece, hashes[i % kHashed]);
  };
  Rank whole[kLookedUp];
  auto look_up = [&](std::size_t i) {
    const std::string_view piece = piece_at(i);
    whole[i % kLookedUp] = ranks.find(piece, hashes[i % kHashed]);
    if (whole[i % kLookedUp] == kNoRank) memo.prefetch(piece, hashes[i % kHashed]);
  };
  for (std::size_t i = 0; i < n && i < kSlotAhead; ++i) prefetch(i);
  for (std::size_t i = 0; i < n && i < kLookupAhead; ++i) look_up(i);
  for (std::size_t i = 0; i < n; ++i) {
    if (i + kSlotAhead < n) prefetch(i + kSlotAhead);
    if (i + kLookupAhead < n) look_up(i + kLookupAhead);
    if (!visit(i, piece_at(i), whole[i % kLookedUp])) return false;
  }
  return true;
}

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_ENCODER_PREFETCHING_WALK_H_
