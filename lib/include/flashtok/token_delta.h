// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_TOKEN_DELTA_H_
#define FLASHTOK_TOKEN_DELTA_H_

#include <cstddef>
#include <vector>

#include "flashtok/rank.h"

namespace flashtok {

// What a caller does to its own token list (and KV cache) after a change:
// drop the last rollback_tokens ids, then append tokens_to_append. When
// restart is set (a session the cache did not hold: new, erased or evicted),
// drop every id first; rollback_tokens is then 0.
struct TokenDelta {
  std::size_t rollback_tokens = 0;
  std::vector<Rank> tokens_to_append;
  bool restart = false;
};

}  // namespace flashtok

#endif  // FLASHTOK_TOKEN_DELTA_H_
