// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_CACHE_TOKENIZED_TEXT_H_
#define FLASHTOK_SRC_CACHE_TOKENIZED_TEXT_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cache/long_piece_append.h"
#include "cache/piece_table.h"
#include "cache/text_alignment.h"
#include "encoder/piece_record.h"
#include "flashtok/encoder.h"
#include "flashtok/token_delta.h"

namespace flashtok::internal {

// A text together with its ids and, for each piece, where it starts, where
// its ids start, and how far the scans up to it looked (docs/ALGORITHM.md;
// the records are kept in a PieceTable).
// That is enough to change the text from any byte on and re-encode only from
// the first piece the change can affect: the building block of the
// append-only and session caches.
//
// Not thread-safe.
// One step of the edit walk (TokenizedText::splice_to): pieces encoded from
// the new text, then old pieces [kept_piece, kept_end) that come back (none
// if equal), byte_shift bytes further on (modulo 2^64).
struct EditStretch {
  std::size_t fresh_ids_end;     // where its ids end in the fresh ids
  std::size_t fresh_pieces_end;  // where its records end in the fresh records
  std::size_t kept_piece = 0;
  std::size_t kept_end = 0;
  std::size_t byte_shift = 0;
};
// Where the edit walk's new ids and records come from, and a run of ids or
// bytes that moves (tokenized_text_edit.cc).
struct EditLayout;
struct MovedRun;

// reserve(n) with the exact n on every change would reallocate, and copy the
// whole history, each time; doubling keeps appends amortized O(appended).
template <typename T>
void reserve_geometrically(std::vector<T>* v, std::size_t n) {
  if (n > v->capacity()) v->reserve(n > 2 * v->capacity() ? n : 2 * v->capacity());
}

// The splice of a delta that re-encoded up to the end (nothing kept after it).
TokenSplice splice_of(TokenDelta&& delta);
// Sets *delta (reusing its capacity) to: the old ids from first_changed on,
// rollback of them, become [fresh, fresh_end).
void set_delta(std::size_t first_changed, std::size_t rollback, const Rank* fresh, const Rank* fresh_end,
               TokenDelta* delta);

class TokenizedText {
 public:
  explicit TokenizedText(std::shared_ptr<const Encoder> encoder);

  // Replaces text()[keep, end) with `tail` (keep <= size of text()) and
  // re-encodes exactly: from the first piece whose scan looked at byte `keep`
  // or beyond. tokens() then equals a full encode of the new text. The delta
  // names only the ids that changed. If an exception escapes, nothing changed.
  TokenDelta replace_from(std::size_t keep, std::string_view tail) {
    TokenDelta delta;
    replace_from(keep, tail, &delta);
    return delta;
  }
  // The same into *delta, reusing its capacity (a stream of appends then
  // allocates nothing). If an exception escapes, *delta is unspecified.
  void replace_from(std::size_t keep, std::string_view tail, TokenDelta* delta);

  // What replace_all() did: bytes kept as a common prefix, and bytes of the
  // new text that went through the encoder (the rest kept its old pieces).
  struct EditCost {
    std::size_t prefix_bytes = 0;
    std::size_t encoded_bytes = 0;
  };

  // Makes the text `new_text` and re-encodes only around what changed: from
  // the first piece the common prefix can affect to the first piece
  // boundary after each edit where the old pieces provably come back
  // (docs/ALGORITHM.md, "Edits anywhere"); the old pieces and ids after it are
  // kept (the ids moved in place, the records' blocks re-based: PieceTable).
  // tokens() then equals a full encode of new_text. The splice is one range
  // from the first id that changed to the last; it copies none of the kept
  // ids after it. If an exception escapes, nothing changed. With
  // room_for_kept, the replacement's capacity also holds the kept ids, so
  // that delta_of() appends them without reallocating (one copy of the ids
  // in all, not three).
  TokenSplice splice_to(std::string_view new_text, EditCost* cost = nullptr, bool room_for_kept = false);
  // The same change as one splice per stretch of ids that changed, in order
  // (TokenSplice: each first_changed counts the new ids before it, each
  // kept_tokens the old ids kept up to the next splice), so that edits at
  // the start and the end of a long text do not copy the ids between them.
  // Empty if no id changed.
  std::vector<TokenSplice> splices_to(std::string_view new_text, EditCost* cost = nullptr);
  // splice_to() in the rollback/append view: the delta's tokens_to_append
  // ends with a copy of every kept id after the splice.
  TokenDelta replace_all(std::string_view new_text, EditCost* cost = nullptr);
  // The rollback/append view of `splice`, the last change of this text.
  TokenDelta delta_of(TokenSplice splice) const;

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

  // An append when the text ends inside a piece over kSmallPiece bytes (a
  // long run, a line of box-drawing characters, Han text): keeps the piece's
  // ids but for the last few and re-encodes only those and the tail
  // (tokenized_text_append.cc); a run's middle is not even scanned. False,
  // with nothing changed, when it does not apply. replace_from() tries it
  // first for every append; public for the tests that check it is taken.
  // With AppendWork::kBounded, only the append_bounded() ones.
  enum class AppendWork { kAny, kBounded };
  bool append_in_long_piece(std::string_view tail, TokenDelta* delta, AppendWork work = AppendWork::kAny);

  // The most bytes append_bounded() takes, and the most it merges.
  static constexpr std::size_t kBoundedAppend = 64;
  static constexpr std::size_t kBoundedMerge = 256;
  // replace_from(text().size(), tail, delta) if its work is bounded whatever
  // the length of the text, else false with nothing changed. Bounded: `tail`
  // (at most kBoundedAppend bytes) only lengthens the long run that ends the
  // text, which is remembered already (no look back over it); at most
  // kBoundedMerge bytes are merged; no buffer grows (growing one copies all
  // of it). Same ids, same delta as replace_from(). For a caller that
  // appends while holding a lock that users of other texts wait for
  // (SessionTokenCache's per-call appends): streaming into a run of spaces
  // or a long word mostly is such an append.
  bool append_bounded(std::string_view tail, TokenDelta* delta);

 private:
  // The index of the first piece whose scan looked at byte `pos` or beyond.
  std::size_t first_piece_reaching(std::size_t pos) const { return pieces_.first_reaching(pos); }
  // Changes text_ from byte `from_byte` to `tail`, re-encodes from piece
  // `first` (which starts at or before from_byte) and records the result.
  void rewrite(std::size_t first, std::size_t from_byte, std::string_view tail, TokenDelta* delta);

  // The delta of a change that changes no id.
  void unchanged(TokenDelta* delta) const;
  // Where re-encoding from byte `pos` starts: the begin of the first piece
  // whose scan looked at `pos` or beyond.
  std::size_t first_piece_start(std::size_t pos) const;
  // The splices an edit returns: one per changed stretch, or one range (whose
  // replacement may have room for the kept ids after it, for delta_of()).
  enum class SpliceShape { kPerStretch, kOneRange, kOneRangeRoomForKept };
  // splices_to(), or splice_to() as the only element.
  std::vector<TokenSplice> edit_to(std::string_view new_text, EditCost* cost, SpliceShape shape);
  // edit_to() once the pieces before `first` are known to stay: encodes the
  // edited stretches, resyncing onto old pieces inside `regions`, then
  // splices them in.
  std::vector<TokenSplice> resync_rewrite(std::size_t first, std::string_view new_text,
                                          const std::vector<AlignedRegion>& regions, EditCost* cost,
                                          SpliceShape shape);

  // Encodes new_text's edited stretches from piece `first` into the thread's
  // scratch (ids and records), each up to its resync point. Changes nothing.
  std::vector<EditStretch> encode_stretches(std::size_t first, std::string_view new_text,
                                            const std::vector<AlignedRegion>& regions, EditCost* cost) const;
  // Makes text_ new_text, writing only the bytes `regions` does not align
  // with the same place in it. Capacity must be reserved.
  // `runs` are the regions that change place.
  void edit_text_in_place(std::string_view new_text, const std::vector<AlignedRegion>& regions,
                          const std::vector<MovedRun>& runs) noexcept;
  // Puts the stretches' ids in place of the old ids from piece `first` on,
  // as `layout` says: kept runs moved (one memmove each), fresh ids copied
  // between them. Capacity must be reserved. (The records are staged and
  // committed apart: PieceTable.)
  void splice_ids_in(std::size_t first, const std::vector<EditStretch>& stretches,
                     const EditLayout& layout) noexcept;

  std::shared_ptr<const Encoder> encoder_;
  std::string text_;
  std::vector<Rank> tokens_;
  PieceTable pieces_;  // first_token indexes tokens_
  LongRun long_run_;   // told of every change of text_
};

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_CACHE_TOKENIZED_TEXT_H_
