// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "util/zeroed_array.h"

#include <cstdint>
#include <cstdlib>
#include <new>
#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace flashtok::internal {

void* allocate_zeroed(std::size_t bytes) {
#if defined(__linux__)
  // Page-aligned, so cache-line-aligned.
  void* p = mmap(nullptr, bytes == 0 ? 1 : bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  return p;
#else
  // calloc's block, rounded up to a cache line; the offset is kept in the
  // line before, for free_zeroed.
  constexpr std::size_t kLine = 64;
  void* raw = std::calloc(bytes + 2 * kLine, 1);
  if (raw == nullptr) throw std::bad_alloc();
  const auto address = reinterpret_cast<std::uintptr_t>(raw);
  const std::uintptr_t aligned = (address + 2 * kLine - 1) & ~std::uintptr_t{kLine - 1};
  reinterpret_cast<std::uintptr_t*>(aligned)[-1] = aligned - address;
  return reinterpret_cast<void*>(aligned);
#endif
}

void free_zeroed(void* p, std::size_t bytes) noexcept {
  if (p == nullptr) return;
#if defined(__linux__)
  munmap(p, bytes == 0 ? 1 : bytes);
#else
  (void)bytes;
  const auto aligned = reinterpret_cast<std::uintptr_t>(p);
  std::free(reinterpret_cast<void*>(aligned - reinterpret_cast<std::uintptr_t*>(aligned)[-1]));
#endif
}

void touch_pages(void* p, std::size_t bytes) noexcept {
  // Volatile, so that writing a byte back is not optimised away: a read
  // alone would map the system's shared zero page, not a page of our own.
  // 4 KB steps: with larger pages some steps land on a page already touched.
  auto* b = static_cast<volatile unsigned char*>(p);
  for (std::size_t at = 0; at < bytes; at += 4096) b[at] = b[at];
}

}  // namespace flashtok::internal
