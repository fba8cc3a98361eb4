// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "flashtok/append_only_piece_token_cache.h"

#include <algorithm>

namespace flashtok {
namespace {

// reserve(n) with the exact n on every append would reallocate, and copy the
// whole history, each time; doubling keeps appends amortized O(appended).
template <typename T>
void reserve_geometrically(std::vector<T>* v, std::size_t n) {
  if (n > v->capacity()) v->reserve(std::max(n, 2 * v->capacity()));
}

}  // namespace

AppendOnlyPieceTokenCache::AppendOnlyPieceTokenCache(std::shared_ptr<const Encoder> encoder,
                                                     std::string_view initial_text, Backtrack backtrack)
    : encoder_(std::move(encoder)), backtrack_(backtrack) {
  reset(initial_text);
}

void AppendOnlyPieceTokenCache::reset(std::string_view text) {
  text_.assign(text);
  tokens_.clear();
  pieces_.clear();
  first_unstable_ = 0;
  reencode_from(0, 0);
}

std::size_t AppendOnlyPieceTokenCache::restart_piece() const {
  if (!backtrack_.is_auto()) return pieces_.size() - std::min(backtrack_.pieces(), pieces_.size());
  // Without exact reaches (a user's pattern on RE2) nothing is provably stable.
  return encoder_->pretokenizer().tracks_reads() ? first_unstable_ : 0;
}

TokenDelta AppendOnlyPieceTokenCache::append_ordinary(std::string_view text) {
  if (text.empty()) return {};
  const std::size_t first = restart_piece();
  const std::size_t first_byte = first < pieces_.size() ? pieces_[first].begin : text_.size();
  const std::size_t old_size = text_.size();
  text_.append(text);
  try {
    return reencode_from(first, first_byte);
  } catch (...) {
    text_.resize(old_size);  // reencode_from changes nothing else before it can throw
    throw;
  }
}

TokenDelta AppendOnlyPieceTokenCache::reencode_from(std::size_t first, std::size_t first_byte) {
  const std::size_t first_token = first < pieces_.size() ? pieces_[first].first_token : tokens_.size();
  std::vector<Rank> fresh;
  std::vector<PieceRecord> fresh_pieces;
  std::size_t fresh_unstable = std::string::npos;
  const std::string_view text = text_;
  encoder_->pretokenizer().split(text, first_byte, [&](const Piece* pieces, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
      const Piece& p = pieces[i];
      if (fresh_unstable == std::string::npos && p.touched_end(text.size())) {
        fresh_unstable = first + fresh_pieces.size();
      }
      fresh_pieces.push_back(PieceRecord{p.begin, p.reach, first_token + fresh.size()});
      encoder_->encode_piece(text.substr(p.begin, p.end - p.begin), &fresh);
    }
    return true;
  });

  // Report only the ids that changed: the old and new tails often agree at first.
  const auto old_tail = tokens_.begin() + static_cast<std::ptrdiff_t>(first_token);
  const std::size_t old_count = tokens_.size() - first_token;
  const std::size_t common = static_cast<std::size_t>(
      std::mismatch(old_tail, tokens_.end(), fresh.begin(), fresh.end()).first - old_tail);
  TokenDelta delta;
  delta.rollback_tokens = old_count - common;
  delta.tokens_to_append.assign(fresh.begin() + static_cast<std::ptrdiff_t>(common), fresh.end());

  // Reserve first so that nothing below can throw half-way through.
  reserve_geometrically(&tokens_, first_token + fresh.size());
  reserve_geometrically(&pieces_, first + fresh_pieces.size());
  tokens_.resize(first_token + common);
  tokens_.insert(tokens_.end(), delta.tokens_to_append.begin(), delta.tokens_to_append.end());
  pieces_.resize(first);
  pieces_.insert(pieces_.end(), fresh_pieces.begin(), fresh_pieces.end());
  first_unstable_ = fresh_unstable == std::string::npos ? pieces_.size() : fresh_unstable;
  return delta;
}

}  // namespace flashtok
