// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "flashtok/fixed_prefix_token_cache.h"

#include "bpe/byte_pair_encode.h"
#include "encoder/encoder_access.h"
#include "vocab/encoding_access.h"

namespace flashtok {
namespace {

// unstable_text + suffix, in a per-thread buffer so a request does not allocate.
std::string_view joined(std::string_view unstable, std::string_view suffix) {
  thread_local std::string buffer;
  buffer.assign(unstable);
  buffer.append(suffix);
  return buffer;
}

}  // namespace

FixedPrefixTokenCache::FixedPrefixTokenCache(std::shared_ptr<const Encoder> encoder, std::string prefix)
    : encoder_(std::move(encoder)), prefix_(std::move(prefix)), stable_bytes_(prefix_.size()) {
  const internal::RankTable& ranks = internal::ranks_of(encoder_->encoding());
  internal::pretokenizer_of(*encoder_).split(prefix_, 0, [&](const internal::Piece* pieces, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
      if (pieces[i].touched_end(prefix_.size())) {
        stable_bytes_ = pieces[i].begin;
        return false;  // this piece and all after it depend on what follows
      }
      internal::byte_pair_encode(
          ranks, std::string_view(prefix_).substr(pieces[i].begin, pieces[i].end - pieces[i].begin), &stable_tokens_);
    }
    return true;
  });
  stable_tokens_.shrink_to_fit();
}

void FixedPrefixTokenCache::encode_tail(std::string_view suffix, std::vector<Rank>* tail) const {
  tail->clear();
  encoder_->encode_ordinary(joined(unstable_text(), suffix), tail);
}

std::vector<Rank> FixedPrefixTokenCache::encode_ordinary(std::string_view suffix) const {
  std::vector<Rank> ids;
  ids.reserve(stable_tokens_.size() + (unstable_text().size() + suffix.size()) / 2 + 1);
  ids = stable_tokens_;
  encoder_->encode_ordinary(joined(unstable_text(), suffix), &ids);
  return ids;
}

std::size_t FixedPrefixTokenCache::count(std::string_view suffix) const {
  return stable_tokens_.size() + encoder_->count(joined(unstable_text(), suffix));
}

}  // namespace flashtok
