// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "flashtok/append_only_piece_token_cache.h"

namespace flashtok {

AppendOnlyPieceTokenCache::AppendOnlyPieceTokenCache(std::shared_ptr<const Encoder> encoder,
                                                     std::string_view initial_text, Backtrack backtrack)
    : backtrack_(backtrack), state_(std::move(encoder)) {
  reset(initial_text);
}

void AppendOnlyPieceTokenCache::reset(std::string_view text) { state_.replace_from(0, text); }

TokenDelta AppendOnlyPieceTokenCache::append_ordinary(std::string_view text) {
  if (backtrack_.is_auto()) return state_.replace_from(state_.text().size(), text);
  return state_.append_backtracking(text, backtrack_.pieces());
}

}  // namespace flashtok
