// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "flashtok/fixed_prefix_token_cache.h"

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
  internal::encode_pieces(*encoder_, internal::Scratch::of_this_thread(), prefix_, 0, 0, &stable_tokens_,
                          [this](const internal::PieceRecord& piece) {
                            if (piece.max_reach <= prefix_.size()) return true;
                            stable_bytes_ = piece.begin;  // this piece and all after it depend on what follows
                            return false;
                          });
  stable_tokens_.shrink_to_fit();
}

void FixedPrefixTokenCache::encode_tail(std::string_view suffix, std::vector<Rank>* tail) const {
  tail->clear();
  encoder_->encode_ordinary(join(internal::Scratch::of_this_thread().text, unstable_text(), suffix), tail);
}

std::vector<Rank> FixedPrefixTokenCache::encode_ordinary(std::string_view suffix) const {
  std::vector<Rank> ids;
  ids.reserve(stable_tokens_.size() + (unstable_text().size() + suffix.size()) / 2 + 1);
  ids = stable_tokens_;
  encoder_->encode_ordinary(join(internal::Scratch::of_this_thread().text, unstable_text(), suffix), &ids);
  return ids;
}

std::size_t FixedPrefixTokenCache::count(std::string_view suffix) const {
  return stable_tokens_.size() +
         encoder_->count(join(internal::Scratch::of_this_thread().text, unstable_text(), suffix));
}

}  // namespace flashtok
