// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_TOKEN_DELTA_H_
#define FLASHTOK_TOKEN_DELTA_H_

#include <cstddef>
#include <vector>

#include "flashtok/rank.h"

namespace flashtok {

// What a caller does to its own token list (and KV cache) after a change.
//
// As a rollback and an append: drop the last rollback_tokens ids, then append
// tokens_to_append. When restart is set (a session the cache did not hold:
// new, erased or evicted), drop every id first; rollback_tokens is then 0.
//
// As one splice, for a caller that can keep ids after an edit: the old ids
// [first_changed, first_changed + replaced_tokens) become the first
// replacement_tokens ids of tokens_to_append, and the old ids from
// first_changed + replaced_tokens on are kept (tokens_to_append ends with
// them). Ids before first_changed never change. A KV cache must still
// recompute every position from first_changed on: the kept ids are the same
// tokens, but each later key and value depends on the changed tokens before
// it (and the positions shift when the replacement changes the count).
struct TokenDelta {
  std::size_t rollback_tokens = 0;
  std::vector<Rank> tokens_to_append;
  bool restart = false;

  std::size_t first_changed = 0;       // equals the old id count minus rollback_tokens
  std::size_t replaced_tokens = 0;     // old ids replaced from first_changed on
  std::size_t replacement_tokens = 0;  // leading ids of tokens_to_append that replace them
};

// The splice view alone, for a caller that edits its token list in place:
// replace the old ids [first_changed, kept_from()) with `replacement`. The
// old ids before first_changed and from kept_from() on stay (the latter now
// from first_changed + replacement.size()), and are not copied here, so an
// edit near the start of a long prompt costs the size of what changed, not
// of the prompt. When restart is set (a session the cache did not hold),
// drop every id first; first_changed and replaced_tokens are then 0 and
// `replacement` is every id. A KV cache must still recompute every position
// from first_changed on (see TokenDelta).
struct TokenSplice {
  bool restart = false;
  std::size_t first_changed = 0;
  std::size_t replaced_tokens = 0;  // old ids replaced from first_changed on
  std::vector<Rank> replacement;    // the new ids in their place
  std::size_t kept_tokens = 0;      // old ids kept after them, to the end

  // The index of the first old id kept after the replaced ones.
  std::size_t kept_from() const noexcept { return first_changed + replaced_tokens; }
};

}  // namespace flashtok

#endif  // FLASHTOK_TOKEN_DELTA_H_
