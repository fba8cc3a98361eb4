// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_VOCAB_RANK_TABLE_H_
#define FLASHTOK_SRC_VOCAB_RANK_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "flashtok/rank.h"
#include "util/byte_hash.h"
#include "util/huge_page_allocator.h"
#include "util/prefetch.h"

namespace flashtok::internal {

class PieceSplitter;
class PremergedChars;

// The vocabulary of an encoding: a bijection between byte strings and ranks.
//
// Lookups by bytes never allocate. find(bytes) sends one- and two-byte
// strings, the most frequent lookups during merging, to direct tables;
// longer ones, and every whole piece the encoder's walk asks about, probe an
// open-addressing hash table (of all tokens) whose 16-byte slots hold a
// string of up to 8 bytes itself, so most lookups touch one cache line and
// compare one word; only longer tokens are compared against the byte arena.
// Immutable after construction; safe to share across threads.
class RankTable {
 public:
  // Where one token's bytes are in a shared buffer, and its rank.
  struct Span {
    std::uint32_t offset;
    std::uint32_t length;
    Rank rank;
  };

  // An empty table: every find() is kNoRank.
  RankTable();

  // Builds the table. Throws flashtok::Error(kCorruptData) on a duplicate byte
  // string or a duplicate rank.
  explicit RankTable(const std::vector<std::pair<std::string, Rank>>& tokens);
  // The same from one buffer (as a rank file parses): token i is
  // bytes.substr(spans[i].offset, spans[i].length). Keeps `bytes`.
  using SpanList = std::vector<Span, HugePageAllocator<Span>>;  // megabytes when loading a file
  RankTable(std::string bytes, const SpanList& spans);

  // The rank of exactly these bytes, or kNoRank.
  Rank find(std::string_view bytes) const noexcept {
    if (bytes.size() == 2) {
      return pair_ranks_[(static_cast<std::uint8_t>(bytes[0]) << 8) |
                         static_cast<std::uint8_t>(bytes[1])];
    }
    if (bytes.size() == 1) return byte_ranks_[static_cast<std::uint8_t>(bytes[0])];
    if (bytes.size() > max_token_bytes_) return kNoRank;
    return find_hashed(bytes);
  }

  // find(bytes) for a caller that has key == token_key(bytes) and hash ==
  // token_hash(bytes) already (the encoder's walk computes them once per
  // piece, for this, prefetch and the memo). Strings of every length take
  // the hashed path (the slots and the filter hold the 1- and 2-byte tokens
  // too): a walk over pieces of random lengths mispredicted the branch to the
  // direct tables (docs/PERFORMANCE.md, "Branches the walk mispredicted").
  Rank find(std::string_view bytes, std::uint64_t key, std::uint64_t hash) const noexcept {
    if (bytes.size() > max_token_bytes_ || !may_contain(hash)) return kNoRank;
    return slots_[probe(bytes, key, hash)].rank;
  }

  // Starts loading the slot find(bytes) reads first, so that a find a few
  // pieces later does not wait on memory: the table is megabytes, larger
  // than a core's L2 cache, and each distinct piece has its own random slot.
  // hash is token_hash(bytes). Changes nothing.
  void prefetch(std::string_view bytes, std::uint64_t hash) const noexcept {
    if (bytes.size() <= max_token_bytes_) prefetch_line(&slots_[hash & slot_mask_]);
  }

  // The bytes of a rank; empty when the table has no such rank.
  std::string_view bytes_of(Rank rank) const noexcept {
    if (rank >= lengths_.size() || lengths_[rank] == 0) return {};
    return std::string_view(arena_.data() + offsets_[rank], lengths_[rank]);
  }

  bool contains(Rank rank) const noexcept { return !bytes_of(rank).empty(); }
  std::size_t size() const noexcept { return count_; }
  // One past the largest rank (ranks may have gaps).
  Rank end_rank() const noexcept { return static_cast<Rank>(lengths_.size()); }
  std::size_t max_token_bytes() const noexcept { return max_token_bytes_; }
  // Unique to each table built in this process (a copy keeps it): what
  // per-thread memos of merged pieces are keyed by.
  std::uint64_t id() const noexcept { return id_; }
  // Where this vocabulary's long pieces may be cut (piece_splitter.h). Built
  // from every token on first use (thread-safe): a few milliseconds that
  // loading an encoding does not pay, nor text without 3-byte characters.
  const PieceSplitter& splitter() const;
  // The characters a merge may start as one part (premerged_chars.h). Built
  // on first use like the splitter (about a millisecond).
  const PremergedChars& premerged_chars() const;
  // Heap bytes held, for the memory footprint report: the splitter and the
  // characters counted once an encode has built them. Builds nothing.
  std::size_t memory_bytes() const;

 private:
  // A hit on a token of up to 8 bytes reads only its slot; on a longer one,
  // its slot and its bytes in the arena (the slot says where), not a third
  // line for the offset.
  struct Slot {
    std::uint64_t key;  // the bytes, zero-padded, if at most 8; else their length and a hash of them
    Rank rank;          // kNoRank marks an empty slot
    std::uint32_t aux;  // the length if at most 8 bytes, else where the bytes start in arena_
  };

  // Whether a string whose token_hash is h may be a token: a Bloom filter of
  // every token, 16 bits or more each, small enough to
  // stay in the L2 cache while the slots are megabytes. Most strings a merge
  // asks about are not tokens; this answers them without a cache miss.
  bool may_contain(std::uint64_t h) const noexcept {
    const std::uint64_t bits = filter_bits(h);
    return (filter_[(h >> 20) & filter_mask_] & bits) == bits;
  }
  static std::uint64_t filter_bits(std::uint64_t h) noexcept {
    return (std::uint64_t{1} << ((h >> 52) & 63)) | (std::uint64_t{1} << ((h >> 58) & 63));
  }
  Rank find_hashed(std::string_view bytes) const noexcept;
  // The slot holding these bytes (whose token_key is key and token_hash is
  // hash), or the empty slot where they would go.
  std::size_t probe(std::string_view bytes, std::uint64_t key, std::uint64_t hash) const noexcept;
  void insert(std::string_view bytes, std::uint32_t offset, Rank rank);

  std::uint64_t id_ = 0;
  std::string arena_;                   // every token's bytes
  std::vector<std::uint32_t> offsets_;  // by rank: where its bytes start in arena_
  std::vector<std::uint16_t> lengths_;  // by rank: byte length, 0 = no such rank
  std::vector<Slot, HugePageAllocator<Slot>> slots_;  // power-of-two open-addressing table
  std::vector<std::uint64_t> filter_;   // power-of-two words: may_contain
  // slots_.size() - 1 and filter_.size() - 1, kept: each lookup masks with
  // both, and a vector's size is a subtraction and a shift (2% of a full encode).
  std::size_t slot_mask_ = 0;
  std::size_t filter_mask_ = 0;
  std::vector<Rank> pair_ranks_;        // 65536 entries: rank of every 2-byte string
  Rank byte_ranks_[256] = {};
  std::size_t count_ = 0;
  std::size_t max_token_bytes_ = 0;
  struct Derived;  // what is built from the tokens on first use
  std::shared_ptr<Derived> derived_;  // never null; copies of a table share it
};

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_VOCAB_RANK_TABLE_H_
