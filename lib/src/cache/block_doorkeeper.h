// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_CACHE_BLOCK_DOORKEEPER_H_
#define FLASHTOK_SRC_CACHE_BLOCK_DOORKEEPER_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace flashtok::internal {

// The keys of recently seen blocks, so that a full cache admits a block only
// on its second sighting (TinyLFU's doorkeeper): a block seen once, like the
// question at the end of a prompt, then never costs an eviction.
//
// Two-way and lossy: a key lives in the pair of slots its low bits pick, the
// newer first, until two newer keys of that pair push it out, so an old
// sighting may be forgotten (the next one then counts as the first). A false
// "seen" needs two keys equal in all bits but the lowest. Either mistake only
// costs time, never an id. Not thread-safe: its owner's lock guards it.
class BlockDoorkeeper {
 public:
  // Room for about `keys` keys: a power of two of slots, at least 64 and at
  // most 2^16 (512 KB).
  explicit BlockDoorkeeper(std::size_t keys) {
    std::size_t slots = 64;
    while (slots < std::min<std::size_t>(keys, std::size_t{1} << 16)) slots *= 2;
    slots_.assign(slots, 0);
  }

  // Whether key is still remembered; remembers it either way.
  bool seen_before(std::uint64_t key) {
    std::uint64_t* pair = &slots_[key & (slots_.size() - 2)];
    const std::uint64_t tag = key | 1;  // never 0, the empty slot
    if (pair[0] == tag) return true;
    const bool seen = pair[1] == tag;
    pair[1] = pair[0];
    pair[0] = tag;
    return seen;
  }

  std::size_t memory_bytes() const { return slots_.size() * sizeof(std::uint64_t); }

 private:
  std::vector<std::uint64_t> slots_;
};

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_CACHE_BLOCK_DOORKEEPER_H_
