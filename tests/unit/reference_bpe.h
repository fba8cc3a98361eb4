// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_TESTS_REFERENCE_BPE_H_
#define FLASHTOK_TESTS_REFERENCE_BPE_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vocab/rank_table.h"

namespace flashtok::testing {

// BPE written from the definition, as slowly and plainly as possible: merge
// the adjacent pair whose bytes have the lowest rank, the leftmost of equals,
// until no adjacent pair is a token. The reference for every faster merge
// (unit tests and fuzz targets). No whole-token shortcut: that is the
// caller's. This form starts from the given parts instead of bytes.
inline std::vector<Rank> reference_bpe_from(const internal::RankTable& ranks, std::vector<std::string> parts) {
  for (;;) {
    std::size_t best = parts.size();
    Rank best_rank = kNoRank;
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
      const Rank r = ranks.find(parts[i] + parts[i + 1]);
      if (r < best_rank) {
        best_rank = r;
        best = i;
      }
    }
    if (best == parts.size()) break;
    parts[best] += parts[best + 1];
    parts.erase(parts.begin() + static_cast<std::ptrdiff_t>(best) + 1);
  }
  std::vector<Rank> ids;
  for (const auto& p : parts) ids.push_back(ranks.find(p));
  return ids;
}

inline std::vector<Rank> reference_bpe(const internal::RankTable& ranks, std::string_view piece) {
  std::vector<std::string> parts;
  for (char c : piece) parts.emplace_back(1, c);
  return reference_bpe_from(ranks, std::move(parts));
}

}  // namespace flashtok::testing

#endif  // FLASHTOK_TESTS_REFERENCE_BPE_H_
