// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "flashtok/huge_page_allocator.h"

#include <cstdlib>
#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace flashtok::internal {
namespace {

constexpr std::size_t kHugePage = std::size_t{2} << 20;

bool worth_a_huge_page(std::size_t bytes) {
#if defined(__linux__)
  return bytes >= kHugePage;
#else
  (void)bytes;
  return false;
#endif
}

}  // namespace

void* allocate_maybe_huge(std::size_t bytes) {
  if (!worth_a_huge_page(bytes)) return ::operator new(bytes);
  const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
  void* p = std::aligned_alloc(kHugePage, rounded);
  if (p == nullptr) throw std::bad_alloc();
#if defined(__linux__)
  madvise(p, rounded, MADV_HUGEPAGE);  // advice only: without huge pages it works the same, slower
#endif
  return p;
}

void free_maybe_huge(void* p, std::size_t bytes) noexcept {
  if (worth_a_huge_page(bytes)) {
    std::free(p);
  } else {
    ::operator delete(p);
  }
}

}  // namespace flashtok::internal
