// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// The allocations of systems other than Linux (util/zeroed_array.cc: calloc
// rounded up to a cache line; util/huge_page_allocator.cc: operator new),
// which tests/CMakeLists.txt compiles here with __linux__ undefined, so that
// a build elsewhere is not the first to compile them.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "util/huge_page_allocator.h"
#include "util/zeroed_array.h"

#if defined(__linux__)
#error "built with __linux__ undefined: this tests the other systems' path"
#endif

namespace flashtok::testing {
namespace {

const std::size_t kSizes[] = {0, 1, 7, 63, 64, 65, 1000, 4096, std::size_t{3} << 20};

TEST(AllocationFallback, ZeroedArrayIsZeroAlignedAndWritable) {
  for (const std::size_t size : kSizes) {
    // Dirty the heap first, so that zeros are calloc's doing, not luck.
    void* dirty = std::malloc(size * 4 + 256);
    std::memset(dirty, 0xA5, size * 4 + 256);
    std::free(dirty);
    internal::ZeroedArray<std::uint32_t> array(size);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(array.data()) % 64, 0u) << size;
    for (std::size_t i = 0; i < size; ++i) {
      ASSERT_EQ(array[i], 0u) << i << " of " << size;
      array[i] = 0xFFFFFFFFu;  // every byte written: a short block shows under ASan
    }
  }
}

TEST(AllocationFallback, HugePageAllocatorServesEverySize) {
  for (const std::size_t size : kSizes) {
    void* p = internal::allocate_maybe_huge(size + 1);
    ASSERT_NE(p, nullptr);
    std::memset(p, 1, size + 1);
    internal::free_maybe_huge(p, size + 1);
  }
}

}  // namespace
}  // namespace flashtok::testing
