// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_APPEND_ONLY_TOKEN_CACHE_H_
#define FLASHTOK_APPEND_ONLY_TOKEN_CACHE_H_

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
class TokenizedText;
}  // namespace internal

// How an append-only cache picks the piece to re-encode from.
class Backtrack {
 public:
  // Exact: from the first piece whose scan looked at the old end of the text
  // (docs/ALGORITHM.md). The default.
  static Backtrack automatic() { return Backtrack(true, 0); }
  // The fixed-k heuristic of earlier prefix caches: from k pieces before the
  // end. Fast, but wrong for some appends when k is small; kept so that
  // `flashtok sweep` can measure how often.
  static Backtrack pieces(std::size_t k) { return Backtrack(false, k); }

  bool is_automatic() const noexcept { return automatic_; }
  // k of pieces(k); 0 when automatic.
  std::size_t pieces() const noexcept { return pieces_; }
  std::string to_string() const { return automatic_ ? "auto" : std::to_string(pieces_); }

 private:
  Backtrack(bool is_automatic, std::size_t pieces) : automatic_(is_automatic), pieces_(pieces) {}
  bool automatic_;
  std::size_t pieces_;
};

// The tokens of a text that only grows, such as a conversation history.
//
// The cache keeps the text, its ids, and for every piece its first byte,
// first id and how far the scans up to it looked. An append re-encodes from the first
// piece whose scan looked at the old end of the text and
// reports the change as a TokenDelta, trimmed to the ids that really differ:
// after `append_ordinary(a)`, tokens() == encoder.encode_ordinary(text()) with
// Backtrack::automatic(), for every text and every a. Cost: O(appended bytes + bytes of the
// re-encoded pieces), independent of the history's length.
//
// Not thread-safe: one cache per conversation, or guard it.
class FLASHTOK_EXPORT AppendOnlyTokenCache {
 public:
  explicit AppendOnlyTokenCache(std::shared_ptr<const Encoder> encoder, std::string_view initial_text = {},
                                Backtrack backtrack = Backtrack::automatic());
  ~AppendOnlyTokenCache();
  AppendOnlyTokenCache(AppendOnlyTokenCache&&) noexcept;
  AppendOnlyTokenCache& operator=(AppendOnlyTokenCache&&) noexcept;

  // Appends text and returns how the ids changed. An empty text returns an
  // empty delta. Any bytes are accepted (the encoder is lossless on invalid
  // UTF-8); if an exception escapes (out of memory) the cache is unchanged.
  TokenDelta append_ordinary(std::string_view text);
  // The same into *delta, replacing its contents and reusing its capacity:
  // a stream of appends through one TokenDelta allocates nothing once it
  // has grown. If an exception escapes, the cache is unchanged and *delta
  // unspecified.
  void append_ordinary(std::string_view text, TokenDelta* delta);

  // Replaces the text and re-encodes it from scratch.
  void reset(std::string_view text);

  const std::vector<Rank>& tokens() const noexcept;
  const std::string& text() const noexcept;
  std::size_t size() const noexcept { return tokens().size(); }
  std::size_t piece_count() const noexcept;
  Backtrack backtrack() const noexcept { return backtrack_; }
  const Encoder& encoder() const noexcept;

 private:
  Backtrack backtrack_;
  std::unique_ptr<internal::TokenizedText> state_;  // never null but after a move
};

}  // namespace flashtok

#endif  // FLASHTOK_APPEND_ONLY_TOKEN_CACHE_H_
