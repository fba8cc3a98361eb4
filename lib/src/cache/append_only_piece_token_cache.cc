// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "flashtok/append_only_piece_token_cache.h"

#include "cache/tokenized_text.h"

namespace flashtok {

AppendOnlyPieceTokenCache::AppendOnlyPieceTokenCache(std::shared_ptr<const Encoder> encoder,
                                                     std::string_view initial_text, Backtrack backtrack)
    : backtrack_(backtrack), state_(std::make_unique<internal::TokenizedText>(std::move(encoder))) {
  reset(initial_text);
}

AppendOnlyPieceTokenCache::~AppendOnlyPieceTokenCache() = default;
AppendOnlyPieceTokenCache::AppendOnlyPieceTokenCache(AppendOnlyPieceTokenCache&&) noexcept = default;
AppendOnlyPieceTokenCache& AppendOnlyPieceTokenCache::operator=(AppendOnlyPieceTokenCache&&) noexcept = default;

void AppendOnlyPieceTokenCache::reset(std::string_view text) { state_->replace_from(0, text); }

TokenDelta AppendOnlyPieceTokenCache::append_ordinary(std::string_view text) {
  if (backtrack_.is_auto()) return state_->replace_from(state_->text().size(), text);
  return state_->append_backtracking(text, backtrack_.pieces());
}

const std::vector<Rank>& AppendOnlyPieceTokenCache::tokens() const noexcept { return state_->tokens(); }
const std::string& AppendOnlyPieceTokenCache::text() const noexcept { return state_->text(); }
std::size_t AppendOnlyPieceTokenCache::piece_count() const noexcept { return state_->piece_count(); }
const Encoder& AppendOnlyPieceTokenCache::encoder() const noexcept { return state_->encoder(); }

}  // namespace flashtok
