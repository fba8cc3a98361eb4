// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_RANK_TABLE_H_
#define FLASHTOK_RANK_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace flashtok {

// A token id. For BPE, the id of a token is also its merge priority (rank):
// lower ranks merge first.
using Rank = std::uint32_t;
inline constexpr Rank kNoRank = 0xFFFFFFFFu;

// The vocabulary of an encoding: a bijection between byte strings and ranks.
//
// Lookups by bytes use an open-addressing hash table over one contiguous byte
// arena, so a lookup never allocates and touches at most a few cache lines.
// Two-byte strings, the most frequent lookups during merging, have a direct
// 65536-entry table. Immutable after construction; safe to share across threads.
class RankTable {
 public:
  RankTable() = default;

  // Builds the table. Throws flashtok::Error(kCorruptData) on a duplicate byte
  // string or a duplicate rank.
  explicit RankTable(std::vector<std::pair<std::string, Rank>> tokens);

  // The rank of exactly these bytes, or kNoRank.
  Rank find(std::string_view bytes) const noexcept {
    if (bytes.size() == 2) {
      return pair_ranks_[(static_cast<std::uint8_t>(bytes[0]) << 8) |
                         static_cast<std::uint8_t>(bytes[1])];
    }
    if (bytes.size() == 1) return byte_ranks_[static_cast<std::uint8_t>(bytes[0])];
    return find_hashed(bytes);
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
  // Heap bytes held, for the memory footprint report.
  std::size_t memory_bytes() const noexcept;

 private:
  struct Slot {
    std::uint32_t hash_tag;  // high bits of the hash, to skip most byte compares
    Rank rank;               // kNoRank marks an empty slot
  };

  Rank find_hashed(std::string_view bytes) const noexcept;

  std::string arena_;                   // every token's bytes, back to back
  std::vector<std::uint32_t> offsets_;  // by rank: where its bytes start in arena_
  std::vector<std::uint16_t> lengths_;  // by rank: byte length, 0 = no such rank
  std::vector<Slot> slots_;             // power-of-two open-addressing table
  std::vector<Rank> pair_ranks_;        // 65536 entries: rank of every 2-byte string
  Rank byte_ranks_[256] = {};
  std::size_t count_ = 0;
  std::size_t max_token_bytes_ = 0;
};

}  // namespace flashtok

#endif  // FLASHTOK_RANK_TABLE_H_
