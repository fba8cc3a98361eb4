// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "cache/tokenized_text.h"

#include <algorithm>

#include "encoder/piece_walk.h"
#include "encoder/scratch.h"

namespace flashtok::internal {
namespace {

// Scratch entries kept between rewrites: enough for a long turn.
constexpr std::size_t kKeptScratch = 4096;

}  // namespace

TokenSplice splice_of(TokenDelta&& delta) {
  TokenSplice splice;
  splice.restart = delta.restart;
  splice.first_changed = delta.first_changed;
  splice.replaced_tokens = delta.rollback_tokens;
  splice.replacement = std::move(delta.tokens_to_append);
  return splice;
}

void set_delta(std::size_t first_changed, std::size_t rollback, const Rank* fresh, const Rank* fresh_end,
               TokenDelta* delta) {
  delta->restart = false;
  delta->rollback_tokens = rollback;
  delta->tokens_to_append.assign(fresh, fresh_end);
  delta->first_changed = first_changed;
  delta->replaced_tokens = rollback;
  delta->replacement_tokens = delta->tokens_to_append.size();
}

TokenDelta TokenizedText::delta_of(TokenSplice splice) const {
  TokenDelta delta;
  delta.restart = splice.restart;
  delta.first_changed = splice.first_changed;
  delta.replaced_tokens = splice.replaced_tokens;
  delta.replacement_tokens = splice.replacement.size();
  delta.rollback_tokens = splice.replaced_tokens + splice.kept_tokens;
  delta.tokens_to_append = std::move(splice.replacement);
  // The kept ids are the last ones of tokens_ now.
  delta.tokens_to_append.insert(delta.tokens_to_append.end(),
                                tokens_.end() - static_cast<std::ptrdiff_t>(splice.kept_tokens), tokens_.end());
  return delta;
}

TokenizedText::TokenizedText(std::shared_ptr<const Encoder> encoder) : encoder_(std::move(encoder)) {}

void TokenizedText::unchanged(TokenDelta* delta) const {
  set_delta(tokens_.size(), 0, nullptr, nullptr, delta);
}

void TokenizedText::replace_from(std::size_t keep, std::string_view tail, TokenDelta* delta) {
  keep = std::min(keep, text_.size());
  if (keep == text_.size() && tail.empty()) return unchanged(delta);
  if (keep == text_.size() && append_in_long_piece(tail, delta)) return;
  rewrite(first_piece_reaching(keep), keep, tail, delta);
}

TokenDelta TokenizedText::append_backtracking(std::string_view tail, std::size_t pieces_back) {
  TokenDelta delta;
  if (tail.empty()) {
    unchanged(&delta);
  } else {
    rewrite(pieces_.size() - std::min(pieces_back, pieces_.size()), text_.size(), tail, &delta);
  }
  return delta;
}

void TokenizedText::rewrite(std::size_t first, std::size_t from_byte, std::string_view tail, TokenDelta* delta) {
  const PieceRecord first_piece = first < pieces_.size() ? pieces_[first] : PieceRecord{from_byte, tokens_.size(), 0};
  const std::size_t first_byte = first_piece.begin;
  const std::size_t first_token = first_piece.first_token;
  const std::size_t reach_before = first > 0 ? pieces_[first - 1].max_reach : 0;

  // Edit text_ in place (copying the history would make an append O(history)),
  // keeping what is removed so that a failure (out of memory) can undo it.
  const std::string removed = text_.substr(from_byte);
  // The new ids and pieces go to buffers kept between calls, so that an
  // append allocates nothing but the delta it returns. They are the thread's
  // Scratch, not the text's: a server holding thousands of sessions would
  // otherwise hold thousands of them.
  Scratch& scratch = Scratch::of_this_thread();
  std::vector<Rank>& fresh = scratch.ids;
  std::vector<PieceRecord>& fresh_pieces = scratch.pieces;
  fresh.clear();
  fresh_pieces.clear();
  std::size_t common = 0;  // leading ids the old and new tails share
  bool in_place = false;   // the new records fit in the block of the first one
  bool take_fresh = false;  // tokens_ becomes the fresh ids' buffer
  PieceTable::Staged staged;
  try {
    text_.resize(from_byte);
    text_.append(tail);
    // About one id and one piece per 4 bytes of text: a long rewrite (a
    // session's first prompt) then fills the buffers without growing them
    // by doubling, each step copying what it holds. Too small only grows.
    const std::size_t guess = (text_.size() - first_byte) / 4 + 16;
    if (guess > kKeptScratch) {
      fresh.reserve(guess);
      fresh_pieces.reserve(guess);
    }
    encode_pieces(*encoder_, scratch, text_, first_byte, reach_before, &fresh, [&](const PieceRecord& p) {
      fresh_pieces.push_back(PieceRecord{p.begin, first_token + p.first_token, p.max_reach});
      return true;
    });
    // Every id new and a scratch buffer too large to keep: tokens_ takes it.
    take_fresh = first_token == 0 && fresh.size() > kKeptScratch;
    if (!take_fresh) reserve_geometrically(&tokens_, first_token + fresh.size());
    in_place = pieces_.reserve_tail(first, fresh_pieces.size());
    if (!in_place) {
      staged = pieces_.stage({{true, 0, first}, {false, 0, fresh_pieces.size()}}, fresh_pieces);
    }
    // Report only the ids that changed: the old and new tails often agree at first.
    const auto old_tail = tokens_.begin() + static_cast<std::ptrdiff_t>(first_token);
    common = static_cast<std::size_t>(
        std::mismatch(old_tail, tokens_.end(), fresh.begin(), fresh.end()).first - old_tail);
    set_delta(first_token + common, tokens_.size() - first_token - common, fresh.data() + common,
              fresh.data() + fresh.size(), delta);
  } catch (...) {
    text_.resize(from_byte);  // within the old capacity: cannot throw
    text_.append(removed);
    throw;
  }

  // Capacity is reserved: nothing below allocates or throws.
  if (take_fresh) {
    // The scratch would be dropped below: take its buffer instead of
    // copying the ids once more.
    tokens_.swap(fresh);
  } else {
    tokens_.resize(first_token + common);
    tokens_.insert(tokens_.end(), delta->tokens_to_append.begin(), delta->tokens_to_append.end());
  }
  if (in_place) {
    pieces_.replace_tail(first, fresh_pieces.data(), fresh_pieces.size(), 0);
  } else {
    pieces_.commit(std::move(staged));
  }
  if (pieces_.fragmented()) pieces_.compact();
  long_run_.rewritten(from_byte, text_);
  // Keep scratch the size of a turn, not of the largest rewrite ever (a whole
  // history on reset).
  if (fresh.capacity() > kKeptScratch || fresh_pieces.capacity() > kKeptScratch) {
    fresh = {};
    fresh_pieces = {};
  }
}

std::size_t TokenizedText::memory_bytes() const noexcept {
  return text_.capacity() + tokens_.capacity() * sizeof(Rank) + pieces_.memory_bytes();
}

}  // namespace flashtok::internal
