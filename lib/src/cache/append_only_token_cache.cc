// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "flashtok/append_only_token_cache.h"

#include "cache/tokenized_text.h"

namespace flashtok {

AppendOnlyTokenCache::AppendOnlyTokenCache(std::shared_ptr<const Encoder> encoder, std::string_view initial_text,
                                           Backtrack backtrack)
    : backtrack_(backtrack), state_(std::make_unique<internal::TokenizedText>(std::move(encoder))) {
  reset(initial_text);
}

AppendOnlyTokenCache::~AppendOnlyTokenCache() = default;
AppendOnlyTokenCache::AppendOnlyTokenCache(AppendOnlyTokenCache&&) noexcept = default;
AppendOnlyTokenCache& AppendOnlyTokenCache::operator=(AppendOnlyTokenCache&&) noexcept = default;

void AppendOnlyTokenCache::reset(std::string_view text) { state_->replace_from(0, text); }

TokenDelta AppendOnlyTokenCache::append_ordinary(std::string_view text) {
  TokenDelta delta;
  append_ordinary(text, &delta);
  return delta;
}

void AppendOnlyTokenCache::append_ordinary(std::string_view text, TokenDelta* delta) {
  if (backtrack_.is_automatic()) {
    state_->replace_from(state_->text().size(), text, delta);
  } else {
    *delta = state_->append_backtracking(text, backtrack_.pieces());
  }
}

const std::vector<Rank>& AppendOnlyTokenCache::tokens() const noexcept { return state_->tokens(); }
const std::string& AppendOnlyTokenCache::text() const noexcept { return state_->text(); }
std::size_t AppendOnlyTokenCache::piece_count() const noexcept { return state_->piece_count(); }
const Encoder& AppendOnlyTokenCache::encoder() const noexcept { return state_->encoder(); }

}  // namespace flashtok
