// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_BPE_PIECE_MEMO_H_
#define FLASHTOK_SRC_BPE_PIECE_MEMO_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "flashtok/rank.h"
#include "util/byte_hash.h"
#include "util/prefetch.h"

namespace flashtok::internal {

// The ids of recently merged pieces, so that a word seen again costs a hash
// and a compare instead of a BPE merge. Words recur
// in text (Zipf), and merging is most of the time on scripts whose words are
// seldom single tokens (Cyrillic, Devanagari, Arabic, CJK).
//
// Exact by construction: an entry is used only when its table id and every
// byte of the piece match, and what it holds is what the merge produced.
// Direct-mapped and fixed-size (2 MB): a new piece simply replaces the one in
// its slot. An entry is one cache line, which the walk prefetches whole
// (pieces up to 30 bytes merging into up to 6 ids: nearly every word of
// English and code, most words of other scripts); 32,768 of them, because
// real text has a long tail of distinct words (4 MB of English prose has
// 40,000 distinct pieces). On the real corpus this was 6-17% faster than
// 8,192 entries of 136 bytes (docs/PERFORMANCE.md). One per thread (in
// Scratch), never shared, so no locks.
class PieceMemo {
 public:
  static constexpr std::size_t kMaxBytes = 30;  // longer pieces are not remembered
  static constexpr std::size_t kMaxIds = 6;     // nor pieces that merge into more ids
  static constexpr std::size_t kSlots = 32768;  // a power of two

  PieceMemo() : entries_(kSlots) {}

  // The ids remembered for `piece` merged with table `table_id`, or nullptr;
  // sets *count to their number.
  const Rank* find(std::uint64_t table_id, std::string_view piece, std::size_t* count) const noexcept {
    return find(table_id, piece, token_hash(piece), count);
  }
  // The same for a caller that has hash == token_hash(piece) already.
  const Rank* find(std::uint64_t table_id, std::string_view piece, std::uint64_t hash,
                   std::size_t* count) const noexcept;

  // Starts loading the entry find(…, piece, …) reads, a few pieces before it
  // does: the memo is larger than L1 and its entries are read at random.
  // hash is token_hash(piece), which the walk has computed already.
  void prefetch(std::string_view piece, std::uint64_t hash) const noexcept {
    if (piece.size() <= kMaxBytes) prefetch_line(&entries_[slot_of_hash(hash)]);
  }

  // Remembers the ids of `piece` (if it and they fit).
  void remember(std::uint64_t table_id, std::string_view piece, const Rank* ids, std::size_t count) noexcept {
    remember(table_id, piece, token_hash(piece), ids, count);
  }
  void remember(std::uint64_t table_id, std::string_view piece, std::uint64_t hash, const Rank* ids,
                std::size_t count) noexcept;

 private:
  struct alignas(64) Entry {  // one cache line
    std::uint64_t table_id = 0;  // 0: empty (table ids start at 1)
    std::uint8_t length = 0;
    std::uint8_t count = 0;
    char bytes[kMaxBytes];
    Rank ids[kMaxIds];
  };
  static_assert(sizeof(Entry) == 64);

  // The rank table indexes by the low bits of the same hash: the memo takes
  // high ones, so that pieces sharing a rank-table slot seldom share an entry.
  static std::size_t slot_of_hash(std::uint64_t hash) noexcept {
    return static_cast<std::size_t>(hash >> 40) & (kSlots - 1);
  }

  std::vector<Entry> entries_;
};

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_BPE_PIECE_MEMO_H_
