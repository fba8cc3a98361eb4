// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_UTIL_HUGE_PAGE_ALLOCATOR_H_
#define FLASHTOK_SRC_UTIL_HUGE_PAGE_ALLOCATOR_H_

#include <cstddef>
#include <new>

namespace flashtok::internal {

// Memory for arrays of megabytes that are read at random (the rank table's
// hash slots). On Linux, an allocation of 2 MiB or more is aligned to 2 MiB
// and advised to use transparent huge pages: a few page faults instead of
// thousands when it is filled (most of an encoding's load time on a VM), and
// far fewer TLB misses when it is probed. Elsewhere, plain operator new.
void* allocate_maybe_huge(std::size_t bytes);
void free_maybe_huge(void* p, std::size_t bytes) noexcept;

template <typename T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) noexcept {}  // NOLINT(google-explicit-constructor)
  T* allocate(std::size_t n) { return static_cast<T*>(allocate_maybe_huge(n * sizeof(T))); }
  void deallocate(T* p, std::size_t n) noexcept { free_maybe_huge(p, n * sizeof(T)); }
  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const noexcept { return true; }
  template <typename U>
  bool operator!=(const HugePageAllocator<U>&) const noexcept { return false; }
};

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_UTIL_HUGE_PAGE_ALLOCATOR_H_
