// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_FREQUENT_PREFIXES_H_
#define FLASHTOK_FREQUENT_PREFIXES_H_

#include <cstddef>
#include <string>
#include <vector>

#include "flashtok/export.h"

namespace flashtok {

struct FrequentPrefix {
  std::string text;
  std::size_t count;  // how many of the texts start with it
};

// Candidate prefixes to prebuild a SharedPrefixTokenCache with: for each length
// min_len, min_len + step, ... up to max_len bytes (cut back to a UTF-8
// character boundary), every prefix of the texts that at least `threshold`
// texts share, ranked by count x length, best first, at most max_results.
// A prefix is dropped when a longer one with the same count covers it: it
// would only add blocks the longer one already has.
//
// Cost: O(total bytes of the texts) hashing plus a sort of the candidates.
FLASHTOK_EXPORT std::vector<FrequentPrefix> frequent_prefixes(const std::vector<std::string>& texts,
                                                              std::size_t min_len, std::size_t max_len,
                                                              std::size_t step, std::size_t threshold,
                                                              std::size_t max_results);

}  // namespace flashtok

#endif  // FLASHTOK_FREQUENT_PREFIXES_H_
