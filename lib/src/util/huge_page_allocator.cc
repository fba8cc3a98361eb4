// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "util/huge_page_allocator.h"

#include <cstdlib>
#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace flashtok::internal {
#if defined(__linux__)
namespace {
constexpr std::size_t kHugePage = std::size_t{2} << 20;
}  // namespace
#endif

void* allocate_maybe_huge(std::size_t bytes) {
#if defined(__linux__)
  if (bytes >= kHugePage) {
    const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
    void* p = std::aligned_alloc(kHugePage, rounded);
    if (p == nullptr) throw std::bad_alloc();
    madvise(p, rounded, MADV_HUGEPAGE);  // advice only: without huge pages it works the same, slower
    return p;
  }
#endif
  return ::operator new(bytes);
}

void free_maybe_huge(void* p, std::size_t bytes) noexcept {
#if defined(__linux__)
  if (bytes >= kHugePage) {
    std::free(p);
    return;
  }
#endif
  (void)bytes;
  ::operator delete(p);
}

}  // namespace flashtok::internal
