// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_FIXED_PREFIX_TOKEN_CACHE_H_
#define FLASHTOK_FIXED_PREFIX_TOKEN_CACHE_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "flashtok/encoder.h"
#include "flashtok/export.h"
#include "flashtok/token_delta.h"

namespace flashtok {
namespace internal {
class LongPiecePrefix;
}  // namespace internal

// A fixed prefix (a system prompt, a template, project context) encoded once
// and reused with many suffixes.
//
// At construction the prefix's pieces are split where the first piece whose
// scan looked at the prefix's end begins: the ids before that point
// (stable_tokens) cannot change whatever follows, the text after it
// (unstable_text, usually a few bytes) is re-encoded with each suffix. So
//
//   encode_ordinary(suffix) == encoder.encode_ordinary(prefix + suffix)
//
// for every suffix, at the cost of encoding unstable_text + suffix only.
// With an encoder on the general regex path (a user's pattern) nothing is
// provably stable and every call re-encodes the whole prefix: exact, not fast.
//
// A prefix that ends inside a long piece (a megabyte of spaces, a line of
// '-' or of box-drawing characters, a long word) has the piece in its
// unstable text. Its ids are then not re-encoded: they are kept up to a
// boundary that a test proves shared (docs/ALGORITHM.md), so a request costs
// the suffix, a few of the piece's tokens and, unless the piece is a long run
// of one class of bytes, a scan of the piece. encode_delta() returns only what
// changed; encode_tail() copies the piece's kept ids.
//
// Immutable after construction; const methods are thread-safe.
class FLASHTOK_EXPORT FixedPrefixTokenCache {
 public:
  FixedPrefixTokenCache(std::shared_ptr<const Encoder> encoder, std::string prefix);

  // The ids of prefix + suffix. Copies stable_tokens() into the result: for a
  // long prefix prefer encode_tail().
  std::vector<Rank> encode_ordinary(std::string_view suffix) const;

  // Only the ids that follow stable_tokens(): the ids of prefix + suffix are
  // stable_tokens() followed by *tail. Replaces the contents of *tail and
  // reuses its capacity, so a request costs no copy of the prefix ids.
  void encode_tail(std::string_view suffix, std::vector<Rank>* tail) const;

  // The number of ids of prefix + suffix.
  std::size_t count(std::string_view suffix) const;

  // prefix + suffix as a change of the prefix's own ids (stable_tokens()
  // followed by unstable_tokens()), for a caller that holds those (and their
  // KV cache): drop the last delta->rollback_tokens of them, then append
  // delta->tokens_to_append. Ids the suffix does not change are not rolled
  // back, so a request costs about the suffix, also when the prefix ends in a
  // long piece. Replaces the contents of *delta and reuses its capacity;
  // restart is never set.
  void encode_delta(std::string_view suffix, TokenDelta* delta) const;

  const std::vector<Rank>& stable_tokens() const noexcept { return stable_tokens_; }
  // The ids of unstable_text() in the prefix alone (they may change with a
  // suffix): the prefix's ids are stable_tokens() followed by these.
  const std::vector<Rank>& unstable_tokens() const noexcept { return unstable_tokens_; }
  std::string_view unstable_text() const noexcept {
    return std::string_view(prefix_).substr(stable_bytes_);
  }
  const std::string& prefix() const noexcept { return prefix_; }
  const Encoder& encoder() const noexcept { return *encoder_; }

 private:
  std::shared_ptr<const Encoder> encoder_;
  std::string prefix_;
  std::size_t stable_bytes_ = 0;  // prefix_[0, stable_bytes_) gave stable_tokens_
  std::vector<Rank> stable_tokens_;
  std::vector<Rank> unstable_tokens_;
  // Set when unstable_text() is one long piece (see above).
  std::shared_ptr<const internal::LongPiecePrefix> long_piece_;

  // The ids of unstable_text() + suffix start with the returned number of
  // unstable_tokens_; appends the others to *fresh.
  std::size_t encode_unstable(std::string_view suffix, std::vector<Rank>* fresh) const;
  // Without a long piece: appends the ids of unstable_text() + suffix to *out.
  void append_tail_ids(std::string_view suffix, std::vector<Rank>* out) const;
};

}  // namespace flashtok

#endif  // FLASHTOK_FIXED_PREFIX_TOKEN_CACHE_H_
