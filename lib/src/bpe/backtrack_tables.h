// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_BPE_BACKTRACK_TABLES_H_
#define FLASHTOK_SRC_BPE_BACKTRACK_TABLES_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "bpe/digit_tokens.h"
#include "bpe/token_trie.h"
#include "util/bit_matrix.h"
#include "util/built_once.h"
#include "vocab/rank_table.h"

namespace flashtok::internal {

// What the backtracking encoder (backtrack_encoder.h) knows of a vocabulary:
// the longest token that starts a text (a trie), each token's next shorter
// prefix token, and the two tokens BPE joins last when it merges the token's
// own bytes (its split), from which `compatible` tells whether BPE keeps two
// adjacent tokens apart.
//
// Exact only when every token is the BPE of its own bytes, and every token
// of two bytes or more is joined from tokens of lower rank (merge order is
// rank order): `usable()` says whether the vocabulary is so, checked while
// the splits are built. The four built-in vocabularies are; a rank file may
// not be, and its long pieces then take the heap merge.
//
// Built from a rank table on first use, once per table (tables_of below).
// Immutable after construction but for the digit tokens' tables and the
// short pairs, which only some long pieces need: the first call that asks
// for one builds it while other callers wait (util/built_once.h). Safe to
// share across threads.
class BacktrackTables {
 public:
  explicit BacktrackTables(const RankTable& ranks);

  bool usable() const noexcept { return usable_; }

  // The longest token that is a prefix of `text`, or kNoRank.
  Rank longest_prefix(std::string_view text) const noexcept { return trie_.longest_prefix(text); }
  // The longest token that is a proper prefix of `token`'s bytes, or kNoRank.
  Rank next_prefix(Rank token) const noexcept { return prefixes_[token].next_prefix; }
  std::size_t length(Rank token) const noexcept { return prefixes_[token].length; }

  // Whether BPE of `left`'s bytes followed by `right`'s gives the two tokens
  // `left`, `right` (both the BPE of their own bytes): undoes the two tokens'
  // merges, the later first, and fails if, while two parts face each other
  // across the boundary, BPE would join them before the next merge on either
  // side (on a tie of ranks, the leftmost pair first).
  bool compatible(Rank left, Rank right) const noexcept {
    Rank limit = kNoRank;  // rank of the merge that ends the current facing
    for (;;) {
      if (may_join_below(left, right, limit)) {
        const Rank joined = joined_rank(left, right);
        if (joined != kNoRank && joined < limit) return false;
      }
      const bool left_is_byte = splits_[left].left == kNoRank;
      const bool right_is_byte = splits_[right].left == kNoRank;
      if (left_is_byte && right_is_byte) return true;
      if (!left_is_byte && (right_is_byte || left > right)) {
        limit = left;  // the left part's merge is to the left of the facing pair: it wins a tie
        left = splits_[left].right;
      } else {
        limit = right + 1;  // the right part's merge loses a tie to the facing pair
        right = splits_[right].left;
      }
    }
  }

  // longest_prefix() and compatible() for pieces of digits, from smaller
  // tables (digit_tokens.h); not built() for a vocabulary the method is not
  // exact for. Built on the first call (thread-safe; 13-34 ms once: only a
  // process that meets a long piece of digits, which only r50k_base's and
  // p50k_base's patterns make, pays); memory_bytes() counts them once built.
  // `ranks` is the table these tables were built from; for any other table
  // the answer is an empty DigitTokens (not built()), so a wrong table costs
  // speed, never an id.
  const DigitTokens& digit_tokens(const RankTable& ranks) const;

  // compatible() of every pair of short tokens, those of one or two bytes of
  // the base64 alphabet (1,330 in r50k_base, 1,712 in cl100k_base, 1,986 in
  // o200k_base: 0.2-0.5 MB), row and column short_index(token). In a long
  // piece of base64 or letters nearly every token is one, and the general
  // test was half the walk. Built on the first call, from compatible()
  // (thread-safe; 22-57 ms once, so only a process whose long pieces are of
  // that alphabet pays); memory_bytes() counts it once built.
  const BitMatrix& short_pairs() const;
  static constexpr std::uint16_t kNotShort = 0xFFFF;
  std::uint16_t short_index(Rank token) const noexcept { return prefixes_[token].short_index; }

  // Heap bytes held; the digit tokens' tables and the short pairs once built.
  std::size_t memory_bytes() const noexcept;

 private:
  // Two arrays by rank, so that each of the encoder's two loops touches only
  // what it reads: the walk over prefixes, and compatible() over splits.
  // The short index rides here, not in an array of its own: the walk reads
  // a token's length just before it tests the token, so the index costs no
  // further cache line.
  struct PrefixInfo {
    Rank next_prefix = kNoRank;
    std::uint16_t length = 0;  // of the token's bytes (a rank table's are 16-bit)
    std::uint16_t short_index = kNotShort;  // row and column in short_pairs_
  };
  struct SplitInfo {
    Rank left = kNoRank;  // the split: kNoRank for a one-byte token
    Rank right = kNoRank;
    Rank lowest_join_as_left = kNoRank;   // lowest token whose split's left is this one
    Rank lowest_join_as_right = kNoRank;  // ... whose split's right is this one
  };
  struct PairSlot {
    std::uint64_t key;  // left << 32 | right; kEmpty when free
    Rank joined;
  };
  static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};

  // False when no token below `limit` has the split (left, right); true when
  // one may. Answers most of compatible's questions without the pair table,
  // which is megabytes and missed in cache on every probe of a long piece:
  // from the two tokens' own entries (read for their splits anyway), then
  // from a Bloom filter of the splits small enough to stay in the L2 cache.
  bool may_join_below(Rank left, Rank right, Rank limit) const noexcept {
    if (splits_[left].lowest_join_as_left >= limit || splits_[right].lowest_join_as_right >= limit) return false;
    const std::uint64_t hash = pair_hash(left, right);
    const std::uint64_t bits = filter_bits(hash);
    return (pair_filter_[hash >> filter_shift_] & bits) == bits;
  }
  // One multiply: bit k of the product depends on the key's bits 0..k, so
  // the bits from 32 up, which the filter reads, mix both ranks. The word is
  // the top bits (at most 20 of them), the two bits in it the six-bit fields
  // at 32 and 38.
  static std::uint64_t pair_hash(Rank left, Rank right) noexcept {
    return ((std::uint64_t{left} << 32) | right) * 0x9E3779B97F4A7C15ull;
  }
  static std::uint64_t filter_bits(std::uint64_t hash) noexcept {
    return (std::uint64_t{1} << ((hash >> 32) & 63)) | (std::uint64_t{1} << ((hash >> 38) & 63));
  }

  // The token whose split is (left, right), or kNoRank.
  Rank joined_rank(Rank left, Rank right) const noexcept {
    const std::uint64_t key = (std::uint64_t{left} << 32) | right;
    for (std::size_t i = slot_of(key);; i = (i + 1) & pair_mask_) {
      if (pairs_[i].key == key) return pairs_[i].joined;
      if (pairs_[i].key == kEmpty) return kNoRank;
    }
  }
  std::size_t slot_of(std::uint64_t key) const noexcept {
    return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> 32) & pair_mask_;
  }
  bool find_split(const RankTable& ranks, Rank token);
  void find_short_tokens(const RankTable& ranks);

  TokenTrie trie_;
  std::vector<PrefixInfo> prefixes_;  // by rank
  std::vector<SplitInfo> splits_;     // by rank
  std::vector<PairSlot> pairs_;  // open addressing, power-of-two size
  std::size_t pair_mask_ = 0;
  std::vector<std::uint64_t> pair_filter_;  // two bits of one word per split
  unsigned filter_shift_ = 0;  // 64 - log2 of its words
  bool usable_ = true;
  std::uint64_t table_id_;  // of the rank table they were built from
  BuiltOnce<DigitTokens> digits_;  // from compatible()
  std::vector<Rank> short_tokens_;  // by short index
  BuiltOnce<BitMatrix> short_pairs_;  // from compatible()
};

// Whether `c` is of the base64 alphabet (letters, digits, '+', '/'), whose
// tokens of one or two bytes are BacktrackTables' short tokens.
inline bool is_base64_byte(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

// The tables of a rank table: built on the first call for the table (by one
// thread; others wait), then shared by every thread while the encoding that
// owns the table lives (vocab/table_state.h). Thread-safe.
std::shared_ptr<const BacktrackTables> tables_of(const RankTable& ranks);

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_BPE_BACKTRACK_TABLES_H_
