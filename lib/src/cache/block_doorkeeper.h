// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_CACHE_BLOCK_DOORKEEPER_H_
#define FLASHTOK_SRC_CACHE_BLOCK_DOORKEEPER_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace flashtok::internal {

// How often each recently seen block key was seen: the shared prefix cache
// admits a block only on its second sighting (TinyLFU's doorkeeper: a block
// seen once, like the question at the end of a prompt, never costs an
// insertion), and into a full cache only if it was seen more often than the
// block it would evict.
//
// Two-way and lossy: a key lives in the pair of slots its low bits pick, the
// newer first, until two newer keys of that pair push it out; an old key's
// count is then forgotten (its next sighting counts as the first). A slot
// holds the key's top 56 bits and a count of up to 255, so a wrong count
// needs two keys equal in those bits and in the pair's index bits. Either
// mistake only costs time, never an id. Not thread-safe: its owner's lock
// guards it.
class BlockDoorkeeper {
 public:
  // Room for about `keys` keys: a power of two of slots, at least 64 and at
  // most 2^16 (512 KB).
  explicit BlockDoorkeeper(std::size_t keys) {
    std::size_t slots = 64;
    while (slots < std::min<std::size_t>(keys, std::size_t{1} << 16)) slots *= 2;
    slots_.assign(slots, 0);
  }

  // Counts one sighting of key; returns its sightings, this one included.
  unsigned record(std::uint64_t key) {
    std::uint64_t* pair = &slots_[key & (slots_.size() - 2)];
    const std::uint64_t tag = key & ~kCount;
    unsigned count = 0;
    if (pair[0] != 0 && (pair[0] & ~kCount) == tag) {
      count = static_cast<unsigned>(pair[0] & kCount);
    } else {
      if (pair[1] != 0 && (pair[1] & ~kCount) == tag) count = static_cast<unsigned>(pair[1] & kCount);
      pair[1] = pair[0];  // the newer key goes first
    }
    count = std::min(count + 1, 255u);
    pair[0] = tag | count;  // never 0, the empty slot: the count is at least 1
    return count;
  }

  // Halves every count (a count of 1 is forgotten), so that old popularity
  // fades as TinyLFU's aging does.
  void halve() {
    for (std::uint64_t& slot : slots_) {
      const std::uint64_t count = (slot & kCount) >> 1;
      slot = count == 0 ? 0 : (slot & ~kCount) | count;
    }
  }

  std::size_t memory_bytes() const { return slots_.size() * sizeof(std::uint64_t); }

 private:
  static constexpr std::uint64_t kCount = 0xFF;
  std::vector<std::uint64_t> slots_;
};

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_CACHE_BLOCK_DOORKEEPER_H_
