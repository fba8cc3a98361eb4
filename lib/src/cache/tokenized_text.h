// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_CACHE_TOKENIZED_TEXT_H_
#define FLASHTOK_SRC_CACHE_TOKENIZED_TEXT_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "encoder/piece_record.h"
#include "flashtok/encoder.h"
#include "flashtok/token_delta.h"

namespace flashtok::internal {

// A text together with its ids and, for each piece, where it starts, where
// its ids start, and how far the scans up to it looked (docs/ALGORITHM.md).
// That is enough to change the text from any byte on and re-encode only from
// the first piece the change can affect: the building block of the
// append-only and session caches.
//
// Not thread-safe.
class TokenizedText {
 public:
  explicit TokenizedText(std::shared_ptr<const Encoder> encoder);

  // Replaces text()[keep, end) with `tail` (keep <= size of text()) and
  // re-encodes exactly: from the first piece whose scan looked at byte `keep`
  // or beyond. tokens() then equals a full encode of the new text. The delta
  // names only the ids that changed. If an exception escapes, nothing changed.
  TokenDelta replace_from(std::size_t keep, std::string_view tail);

  // Appends `tail` but re-encodes from `pieces_back` pieces before the end,
  // whatever the scans looked at: the fixed-k heuristic, not always exact.
  TokenDelta append_backtracking(std::string_view tail, std::size_t pieces_back);

  const std::string& text() const noexcept { return text_; }
  const std::vector<Rank>& tokens() const noexcept { return tokens_; }
  std::size_t piece_count() const noexcept { return pieces_.size(); }
  const Encoder& encoder() const noexcept { return *encoder_; }
  const std::shared_ptr<const Encoder>& encoder_ptr() const noexcept { return encoder_; }
  // Heap bytes held (text, ids, piece records), for cache capacity limits.
  std::size_t memory_bytes() const noexcept;

 private:
  // The index of the first piece whose scan looked at byte `pos` or beyond.
  // max_reach never decreases along pieces_, so this is a binary search.
  std::size_t first_piece_reaching(std::size_t pos) const;
  // Changes text_ from byte `from_byte` to `tail`, re-encodes from piece
  // `first` (which starts at or before from_byte) and records the result.
  TokenDelta rewrite(std::size_t first, std::size_t from_byte, std::string_view tail);

  std::shared_ptr<const Encoder> encoder_;
  std::string text_;
  std::vector<Rank> tokens_;
  std::vector<PieceRecord> pieces_;  // first_token indexes tokens_
};

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_CACHE_TOKENIZED_TEXT_H_
