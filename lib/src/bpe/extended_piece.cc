// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "bpe/extended_piece.h"

#include "bpe/backtrack_tables.h"

namespace flashtok::internal {

bool extend_piece_ids(const RankTable& ranks, const BacktrackTables& tables, MergeScratch& scratch,
                      const Rank* old_ids, std::size_t old_count, std::size_t old_size, std::string_view new_piece,
                      std::size_t* kept, std::vector<Rank>* tail) {
  if (!tables.usable()) return false;
  const std::size_t tail_start = tail->size();
  // (count, at): the first `count` old ids end at byte `at`.
  std::size_t count = old_count;
  std::size_t at = old_size;
  auto step_back = [&](std::size_t ids) {
    for (; ids > 0 && count > 0; --ids) at -= tables.length(old_ids[--count]);
  };
  // Old ids past the new end cannot stay; the new bytes before them agree.
  while (at > new_piece.size()) step_back(1);
  for (std::size_t stride = 1;; stride *= 2) {
    tail->resize(tail_start);
    if (at < new_piece.size()) byte_pair_encode(ranks, new_piece.substr(at), scratch, tail);
    // The one pair that meets at `at`; nothing meets at the piece's start,
    // and nothing merged after the last kept id leaves them as they are.
    const bool joins = count == 0 || tail->size() == tail_start ||
                       tables.compatible(old_ids[count - 1], (*tail)[tail_start]);
    if (joins) {
      *kept = count;
      return true;
    }
    step_back(stride == 1 ? 1 : stride / 2);
  }
}

}  // namespace flashtok::internal
