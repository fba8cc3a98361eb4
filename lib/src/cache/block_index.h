// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_CACHE_BLOCK_INDEX_H_
#define FLASHTOK_SRC_CACHE_BLOCK_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "util/prefetch.h"

namespace flashtok::internal {

// The shared prefix cache's index of trie nodes by block key: open
// addressing with linear probing in one array of (key, pointer) slots, so a
// lookup whose slot was prefetched costs no further miss before the node
// (std::unordered_map costs a bucket and a list node), and the slots of the
// next blocks of a text can all be prefetched before any is read.
//
// Keys are hashes (any value, 0 included); a null pointer marks an empty
// slot. At most half the slots are used, so probes are short; erasing shifts
// later slots of the run back instead of leaving tombstones. Not
// thread-safe: its owner's lock guards it.
template <typename T>
class BlockIndex {
 public:
  // Starts loading the slot where a lookup of key begins.
  void prefetch(std::uint64_t key) const noexcept {
    if (!slots_.empty()) prefetch_line(&slots_[home(key)]);
  }

  // The value under key, or null.
  T* find(std::uint64_t key) const noexcept {
    if (slots_.empty()) return nullptr;
    for (std::size_t i = home(key);; i = (i + 1) & mask()) {
      const Slot& slot = slots_[i];
      if (!slot.value) return nullptr;
      if (slot.key == key) return slot.value;
    }
  }

  // Adds key (not present) with a non-null value. Strong guarantee.
  void insert(std::uint64_t key, T* value) {
    if (2 * (size_ + 1) > slots_.size()) grow();
    place(key, value);
    ++size_;
  }

  // Removes key if present.
  void erase(std::uint64_t key) noexcept {
    if (slots_.empty()) return;
    std::size_t i = home(key);
    while (slots_[i].value && slots_[i].key != key) i = (i + 1) & mask();
    if (!slots_[i].value) return;
    // Backward shift: move each later slot of the run into the hole unless
    // its home lies cyclically in (hole, slot], where it must stay.
    std::size_t hole = i;
    for (std::size_t j = (i + 1) & mask(); slots_[j].value; j = (j + 1) & mask()) {
      const std::size_t h = home(slots_[j].key);
      const bool stays = hole <= j ? (hole < h && h <= j) : (hole < h || h <= j);
      if (!stays) {
        slots_[hole] = slots_[j];
        hole = j;
      }
    }
    slots_[hole] = Slot{};
    --size_;
  }

  std::size_t size() const noexcept { return size_; }
  std::size_t memory_bytes() const noexcept { return slots_.capacity() * sizeof(Slot); }
  static constexpr std::size_t kSlotBytes = sizeof(std::uint64_t) + sizeof(void*);

 private:
  struct Slot {
    std::uint64_t key = 0;
    T* value = nullptr;
  };

  std::size_t mask() const noexcept { return slots_.size() - 1; }
  // Fibonacci hashing: the top bits of key times 2^64 / phi.
  std::size_t home(std::uint64_t key) const noexcept {
    return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> shift_);
  }

  void place(std::uint64_t key, T* value) noexcept {
    std::size_t i = home(key);
    while (slots_[i].value) i = (i + 1) & mask();
    slots_[i] = Slot{key, value};
  }

  void grow() {
    std::vector<Slot> old(slots_.empty() ? 16 : 2 * slots_.size());
    old.swap(slots_);
    shift_ = 64;
    for (std::size_t n = slots_.size(); n > 1; n /= 2) --shift_;
    for (const Slot& slot : old) {
      if (slot.value) place(slot.key, slot.value);
    }
  }

  std::vector<Slot> slots_;
  unsigned shift_ = 64;
  std::size_t size_ = 0;
};

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_CACHE_BLOCK_INDEX_H_
