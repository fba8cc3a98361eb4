// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "flashtok/fixed_prefix_token_cache.h"

#include <algorithm>

#include "cache/long_piece_prefix.h"
#include "cache/tokenized_text.h"
#include "encoder/piece_walk.h"
#include "encoder/scratch.h"

namespace flashtok {
namespace {

// unstable + suffix in `buffer`: the thread's Scratch::text, so that a request
// does not allocate once the buffer has grown.
const std::string& join(std::string& buffer, std::string_view unstable, std::string_view suffix) {
  buffer.assign(unstable);
  buffer.append(suffix);
  return buffer;
}

}  // namespace

FixedPrefixTokenCache::FixedPrefixTokenCache(std::shared_ptr<const Encoder> encoder, std::string prefix)
    : encoder_(std::move(encoder)), prefix_(std::move(prefix)), stable_bytes_(prefix_.size()) {
  std::size_t stable_count = 0;
  std::size_t unstable_pieces = 0;
  internal::encode_pieces(*encoder_, internal::Scratch::of_this_thread(), prefix_, 0, 0, &stable_tokens_,
                          [&](const internal::PieceRecord& piece) {
                            if (piece.max_reach > prefix_.size() && unstable_pieces++ == 0) {
                              stable_bytes_ = piece.begin;  // this piece and all after it depend on what follows
                              stable_count = piece.first_token;
                            }
                            return true;
                          });
  if (unstable_pieces == 0) stable_count = stable_tokens_.size();
  unstable_tokens_.assign(stable_tokens_.begin() + static_cast<std::ptrdiff_t>(stable_count), stable_tokens_.end());
  stable_tokens_.resize(stable_count);
  stable_tokens_.shrink_to_fit();
  if (unstable_pieces == 1) long_piece_ = internal::LongPiecePrefix::of(*encoder_, unstable_text(), unstable_tokens_);
}

std::size_t FixedPrefixTokenCache::encode_unstable(std::string_view suffix, std::vector<Rank>* fresh) const {
  if (suffix.empty()) return unstable_tokens_.size();  // the prefix alone: its own ids
  std::size_t kept = 0;
  if (long_piece_ && long_piece_->extend(*encoder_, unstable_tokens_, suffix, &kept, fresh)) return kept;
  encoder_->encode_ordinary(join(internal::Scratch::of_this_thread().text, unstable_text(), suffix), fresh);
  return 0;
}

void FixedPrefixTokenCache::append_tail_ids(std::string_view suffix, std::vector<Rank>* out) const {
  if (suffix.empty()) {
    out->insert(out->end(), unstable_tokens_.begin(), unstable_tokens_.end());
  } else {
    encoder_->encode_ordinary(join(internal::Scratch::of_this_thread().text, unstable_text(), suffix), out);
  }
}

void FixedPrefixTokenCache::encode_tail(std::string_view suffix, std::vector<Rank>* tail) const {
  tail->clear();
  if (!long_piece_) {  // the usual case: kept is 0 or all, encode straight into *tail
    append_tail_ids(suffix, tail);
    return;
  }
  std::vector<Rank>& fresh = internal::Scratch::of_this_thread().ids;
  fresh.clear();
  const std::size_t kept = encode_unstable(suffix, &fresh);
  tail->assign(unstable_tokens_.begin(), unstable_tokens_.begin() + static_cast<std::ptrdiff_t>(kept));
  tail->insert(tail->end(), fresh.begin(), fresh.end());
}

std::vector<Rank> FixedPrefixTokenCache::encode_ordinary(std::string_view suffix) const {
  if (!long_piece_) {  // the usual case: the tail's ids straight after the stable ones, no copy through scratch
    std::vector<Rank> ids;
    ids.reserve(stable_tokens_.size() + unstable_tokens_.size() + suffix.size() / 2 + 8);
    ids = stable_tokens_;
    append_tail_ids(suffix, &ids);
    return ids;
  }
  std::vector<Rank>& fresh = internal::Scratch::of_this_thread().ids;
  fresh.clear();
  const std::size_t kept = encode_unstable(suffix, &fresh);
  std::vector<Rank> ids;
  ids.reserve(stable_tokens_.size() + kept + fresh.size());
  ids = stable_tokens_;
  ids.insert(ids.end(), unstable_tokens_.begin(), unstable_tokens_.begin() + static_cast<std::ptrdiff_t>(kept));
  ids.insert(ids.end(), fresh.begin(), fresh.end());
  return ids;
}

std::size_t FixedPrefixTokenCache::count(std::string_view suffix) const {
  if (suffix.empty()) return stable_tokens_.size() + unstable_tokens_.size();
  if (long_piece_) {
    std::vector<Rank>& fresh = internal::Scratch::of_this_thread().ids;
    fresh.clear();
    std::size_t kept = 0;
    if (long_piece_->extend(*encoder_, unstable_tokens_, suffix, &kept, &fresh)) {
      return stable_tokens_.size() + kept + fresh.size();
    }
  }
  return stable_tokens_.size() +
         encoder_->count(join(internal::Scratch::of_this_thread().text, unstable_text(), suffix));
}

void FixedPrefixTokenCache::encode_delta(std::string_view suffix, TokenDelta* delta) const {
  std::vector<Rank>& fresh = internal::Scratch::of_this_thread().ids;
  fresh.clear();
  const std::size_t kept = encode_unstable(suffix, &fresh);
  // The prefix's ids that come back after the kept ones need no rollback.
  const auto old_rest = unstable_tokens_.begin() + static_cast<std::ptrdiff_t>(kept);
  const std::size_t same =
      static_cast<std::size_t>(std::mismatch(old_rest, unstable_tokens_.end(), fresh.begin(), fresh.end()).first - old_rest);
  const std::size_t common = kept + same;
  internal::set_delta(stable_tokens_.size() + common, unstable_tokens_.size() - common, fresh.data() + same,
                      fresh.data() + fresh.size(), delta);
}

}  // namespace flashtok
