// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "flashtok/rank_table.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "flashtok/error.h"

namespace flashtok {
namespace {

std::uint64_t load_partial(const char* p, std::size_t n) {
  std::uint64_t w = 0;
  std::memcpy(&w, p, n);
  return w;
}

// A small multiply-xorshift hash. Token byte strings are short (mostly under
// 16 bytes), so it reads whole 8-byte words and never loops per byte.
std::uint64_t hash_bytes(std::string_view s) {
  std::uint64_t h = 0x9E3779B97F4A7C15ull * (s.size() + 1);
  const char* p = s.data();
  std::size_t n = s.size();
  while (n >= 8) {
    h = (h ^ load_partial(p, 8)) * 0xBF58476D1CE4E5B9ull;
    h ^= h >> 31;
    p += 8;
    n -= 8;
  }
  h = (h ^ load_partial(p, n)) * 0x94D049BB133111EBull;
  h ^= h >> 29;
  h *= 0xBF58476D1CE4E5B9ull;
  return h ^ (h >> 32);
}

std::size_t table_size_for(std::size_t count) {
  std::size_t size = 1024;
  while (size < count * 2) size *= 2;  // load factor <= 0.5 keeps probes short
  return size;
}

}  // namespace

RankTable::RankTable(std::vector<std::pair<std::string, Rank>> tokens) {
  Rank end = 0;
  std::size_t total_bytes = 0;
  for (const auto& [bytes, rank] : tokens) {
    if (rank == kNoRank) throw Error(ErrorCode::kCorruptData, "rank 4294967295 is reserved");
    if (bytes.empty()) throw Error(ErrorCode::kCorruptData, "a token has no bytes");
    if (bytes.size() > 0xFFFF) throw Error(ErrorCode::kCorruptData, "a token is longer than 65535 bytes");
    end = std::max(end, rank + 1);
    total_bytes += bytes.size();
  }
  // The id-to-bytes arrays are indexed by rank. Real rank files number their
  // tokens 0, 1, 2, ...; a sparse one (found by fuzzing: one rank near 2^32)
  // would make them gigabytes, so it is refused as corrupt.
  if (end > 2 * tokens.size() + 1024) {
    throw Error(ErrorCode::kCorruptData, "rank " + std::to_string(end - 1) + " is far beyond the " +
                                             std::to_string(tokens.size()) +
                                             " tokens of the file: ranks must number the tokens 0, 1, 2, ...");
  }
  arena_.reserve(total_bytes);
  offsets_.assign(end, 0);
  lengths_.assign(end, 0);
  slots_.assign(table_size_for(tokens.size()), Slot{0, kNoRank});
  pair_ranks_.assign(65536, kNoRank);
  std::fill(std::begin(byte_ranks_), std::end(byte_ranks_), kNoRank);
  const std::size_t mask = slots_.size() - 1;

  for (const auto& [bytes, rank] : tokens) {
    if (lengths_[rank] != 0) {
      throw Error(ErrorCode::kCorruptData, "rank " + std::to_string(rank) + " appears twice");
    }
    if (find(bytes) != kNoRank) {
      throw Error(ErrorCode::kCorruptData,
                  "the same token bytes have two ranks (" + std::to_string(find(bytes)) + " and " +
                      std::to_string(rank) + ")");
    }
    offsets_[rank] = static_cast<std::uint32_t>(arena_.size());
    lengths_[rank] = static_cast<std::uint16_t>(bytes.size());
    arena_ += bytes;
    max_token_bytes_ = std::max(max_token_bytes_, bytes.size());
    ++count_;

    const auto* b = reinterpret_cast<const std::uint8_t*>(bytes.data());
    if (bytes.size() == 1) byte_ranks_[b[0]] = rank;
    if (bytes.size() == 2) pair_ranks_[(b[0] << 8) | b[1]] = rank;
    const std::uint64_t h = hash_bytes(bytes);
    std::size_t i = h & mask;
    while (slots_[i].rank != kNoRank) i = (i + 1) & mask;
    slots_[i] = Slot{static_cast<std::uint32_t>(h >> 32), rank};
  }
}

Rank RankTable::find_hashed(std::string_view bytes) const noexcept {
  if (slots_.empty()) return kNoRank;
  const std::uint64_t h = hash_bytes(bytes);
  const auto tag = static_cast<std::uint32_t>(h >> 32);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = h & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.rank == kNoRank) return kNoRank;
    if (slot.hash_tag == tag && lengths_[slot.rank] == bytes.size() &&
        std::memcmp(arena_.data() + offsets_[slot.rank], bytes.data(), bytes.size()) == 0) {
      return slot.rank;
    }
  }
}

std::size_t RankTable::memory_bytes() const noexcept {
  return arena_.capacity() + offsets_.capacity() * sizeof(std::uint32_t) +
         lengths_.capacity() * sizeof(std::uint16_t) + slots_.capacity() * sizeof(Slot) +
         pair_ranks_.capacity() * sizeof(Rank) + sizeof(*this);
}

}  // namespace flashtok
