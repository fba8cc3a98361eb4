// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_BPE_PIECE_MEMO_H_
#define FLASHTOK_SRC_BPE_PIECE_MEMO_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "flashtok/rank.h"
#include "util/byte_hash.h"
#include "util/prefetch.h"
#include "util/zeroed_array.h"

namespace flashtok::internal {

// The ids of recently merged pieces, so that a word seen again costs a hash
// and a compare instead of a BPE merge. Words recur
// in text (Zipf), and merging is most of the time on scripts whose words are
// seldom single tokens (Cyrillic, Devanagari, Arabic, CJK).
//
// Exact by construction: an entry is used only when its table id and every
// byte of the piece match, and what it holds is what the merge produced.
// Direct-mapped and fixed-size: a new piece simply replaces the one in its
// slot. Two tiers:
// - 32,768 entries of one cache line (2 MB), which the walk prefetches whole:
//   pieces up to 30 bytes merging into up to 6 ids, nearly every word of
//   English and code. So many because real text has a long tail of distinct
//   words (4 MB of English prose has 40,000 distinct pieces); on the real
//   corpus this was 6-17% faster than 8,192 entries of 136 bytes.
// - 4,096 entries of two lines (512 KB) for the longer words of other scripts
//   (up to 48 bytes, 16 ids): a Greek or Cyrillic word under cl100k_base is
//   often more than 6 ids, and without this tier was merged every time. A
//   short piece with many ids keeps its bytes in the first tier, marked, so
//   a miss on a short piece still costs one line.
// (docs/PERFORMANCE.md.) One per thread (in Scratch), never shared, so no
// locks.
class PieceMemo {
 public:
  static constexpr std::size_t kMaxBytes = 48;  // longer pieces are not remembered
  static constexpr std::size_t kMaxIds = 16;    // nor pieces that merge into more ids
  static constexpr std::size_t kSlots = 32768;  // one-line entries; a power of two
  static constexpr std::size_t kLongSlots = 4096;  // two-line entries; a power of two

  PieceMemo() : entries_(kSlots), long_entries_(kLongSlots) {}

  // The ids remembered for `piece` merged with table `table_id`, or nullptr;
  // sets *count to their number.
  const Rank* find(std::uint64_t table_id, std::string_view piece, std::size_t* count) const noexcept {
    return find(table_id, piece, token_hash(piece), count);
  }
  // The same for a caller that has hash == token_hash(piece) already.
  const Rank* find(std::uint64_t table_id, std::string_view piece, std::uint64_t hash,
                   std::size_t* count) const noexcept;

  // Starts loading the entry find(…, piece, …) reads first, a few pieces
  // before it does: the memo is larger than L1 and its entries are read at
  // random. hash is token_hash(piece), which the walk has computed already.
  void prefetch(std::string_view piece, std::uint64_t hash) const noexcept {
    if (piece.size() <= kLineBytes) {
      prefetch_line(&entries_[slot_of(hash)]);
    } else if (piece.size() <= kMaxBytes) {
      prefetch_line(&long_entries_[long_slot_of(hash)]);
    }
  }

  // Remembers the ids of `piece` (if it and they fit).
  void remember(std::uint64_t table_id, std::string_view piece, const Rank* ids, std::size_t count) noexcept {
    remember(table_id, piece, token_hash(piece), ids, count);
  }
  void remember(std::uint64_t table_id, std::string_view piece, std::uint64_t hash, const Rank* ids,
                std::size_t count) noexcept;

  // Makes the memo's 2.5 MB resident now, remembering nothing: a thread that
  // calls it at startup does not fault pages in as its first requests fill
  // the memo (on the Xeon VM of 2026-12-07, 0.7-1.9 ms over a thread's first
  // 64 KB of text, more than encoding it: FirstTextOfThread).
  void touch_pages() noexcept {
    entries_.touch_pages();
    long_entries_.touch_pages();
  }

 private:
  static constexpr std::size_t kLineBytes = 30;  // the first tier's pieces
  static constexpr std::size_t kLineIds = 6;
  static constexpr std::uint8_t kInLongTier = 0xFF;  // a first-tier count: the ids are in the second tier

  template <std::size_t Bytes, std::size_t Ids>
  struct Entry {
    // All zero bytes is an empty entry (ZeroedArray): table ids start at 1.
    std::uint64_t table_id;
    std::uint8_t length;
    std::uint8_t count;
    char bytes[Bytes];
    Rank ids[Ids];

    bool holds(std::uint64_t table, std::string_view piece) const noexcept;
  };
  struct alignas(64) LineEntry : Entry<kLineBytes, kLineIds> {};
  struct alignas(64) LongEntry : Entry<kMaxBytes, kMaxIds> {};
  static_assert(sizeof(LineEntry) == 64 && sizeof(LongEntry) == 128);

  // The rank table indexes by the low bits of the same hash: the memo takes
  // other ones, so that pieces sharing a rank-table slot seldom share an entry.
  static std::size_t slot_of(std::uint64_t hash) noexcept {
    return static_cast<std::size_t>(hash >> 40) & (kSlots - 1);
  }
  static std::size_t long_slot_of(std::uint64_t hash) noexcept {
    return static_cast<std::size_t>(hash >> 24) & (kLongSlots - 1);
  }

  // Untouched until used: a thread's first encode does not clear 2.5 MB.
  ZeroedArray<LineEntry> entries_;
  ZeroedArray<LongEntry> long_entries_;
};

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_BPE_PIECE_MEMO_H_
