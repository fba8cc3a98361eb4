// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_BPE_SMALL_PIECE_MERGE_H_
#define FLASHTOK_SRC_BPE_SMALL_PIECE_MERGE_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "util/byte_hash.h"
#include "util/byte_view.h"
#include "vocab/premerged_chars.h"
#include "vocab/rank_table.h"

namespace flashtok::internal {

// Pieces up to this many bytes take the quadratic scan.
inline constexpr std::size_t kSmallPiece = 128;

// tiktoken's own merge, for pieces of at most kSmallPiece bytes: scan every
// adjacent pair for the lowest rank (the leftmost of equals), join it, and
// again until no pair is a token; quadratic, and the fastest when n is small.
// Calls emit(rank) for each part of the merged piece, in order. The caller
// sends longer pieces elsewhere: the arrays below are sized for kSmallPiece.
template <typename Emit>
void merge_small_piece(const RankTable& ranks, std::string_view piece, Emit emit) {
  // One record per part, so that a merge shifts a single array.
  struct Part {
    std::uint32_t begin;  // first byte of the part
    Rank rank;            // of the part's bytes (so emitting needs no lookup)
    Rank joined;          // of this part and the next one joined, or kNoRank
  };
  Part part[kSmallPiece + 1];  // the last one only marks the end
  // Bytes, except characters the vocabulary lets start whole (exact:
  // premerged_chars.h): half the parts of a Cyrillic or Greek word.
  const PremergedChars* chars = nullptr;  // fetched at the first lead byte: ASCII text never builds it
  const auto* s = reinterpret_cast<const unsigned char*>(piece.data());
  std::size_t parts = 0;
  for (std::size_t i = 0; i < piece.size(); ++parts) {
    std::size_t length = 1;
    Rank rank = kNoRank;
    if (s[i] >= 0xC0) {
      if (chars == nullptr) chars = &ranks.premerged_chars();
      rank = chars->find(s, piece.size(), i, &length);
    }
    if (rank == kNoRank) {
      length = 1;
      rank = ranks.find(bytes_between(piece, i, i + 1));
    }
    part[parts] = Part{static_cast<std::uint32_t>(i), rank, kNoRank};
    i += length;
  }
  part[parts] = Part{static_cast<std::uint32_t>(piece.size()), kNoRank, kNoRank};
  // The piece again, with 8 bytes after it that a key may read past its end:
  // the key of two parts of up to 8 bytes is then one load and a mask, not
  // pack_short's tests of the length, which a merge's random lengths defeat.
  char padded[kSmallPiece + 8];
  if (!piece.empty()) std::memcpy(padded, piece.data(), piece.size());  // an empty view's data() may be null
  std::memset(padded + piece.size(), 0, 8);
  auto joined_rank = [&](std::size_t i) {  // parts i and i+1
    if (i + 2 > parts) return kNoRank;
    const std::size_t begin = part[i].begin;
    const std::size_t length = part[i + 2].begin - begin;
    const std::string_view bytes(padded + begin, length);
    if (length == 2 || length > 8) return ranks.find(bytes);  // the direct pair table; or hashed whole
    const std::uint64_t key = pack_short_readable(bytes.data(), length);
    return ranks.find(bytes, key, finish_hash(key, length));
  };
  for (std::size_t i = 0; i < parts; ++i) part[i].joined = joined_rank(i);

  while (parts > 1) {
    // The lowest rank, the leftmost of equals. Selects, not a branch: which
    // pair wins is data the branch predictor cannot learn.
    std::size_t best = 0;
    Rank best_rank = part[0].joined;
    for (std::size_t i = 1; i + 1 < parts; ++i) {
      const bool lower = part[i].joined < best_rank;
      best = lower ? i : best;
      best_rank = lower ? part[i].joined : best_rank;
    }
    if (best_rank == kNoRank) break;
    // Join parts best and best+1.
    part[best].rank = part[best].joined;
    std::memmove(&part[best + 1], &part[best + 2], (parts - best - 1) * sizeof part[0]);
    --parts;
    part[best].joined = joined_rank(best);
    if (best > 0) part[best - 1].joined = joined_rank(best - 1);
  }
  for (std::size_t i = 0; i < parts; ++i) emit(part[i].rank);
}

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_BPE_SMALL_PIECE_MERGE_H_
