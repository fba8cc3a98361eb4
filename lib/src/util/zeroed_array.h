// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_UTIL_ZEROED_ARRAY_H_
#define FLASHTOK_SRC_UTIL_ZEROED_ARRAY_H_

#include <cstddef>
#include <type_traits>

namespace flashtok::internal {

// Memory whose every byte is zero, aligned to a cache line, that costs
// nothing until it is touched: on Linux fresh pages mapped from the system,
// which zeroes each one when it is first used; elsewhere calloc.
void* allocate_zeroed(std::size_t bytes);
void free_zeroed(void* p, std::size_t bytes) noexcept;
// Makes every page of [p, p + bytes) resident now: each page's first byte is
// read and written back unchanged.
void touch_pages(void* p, std::size_t bytes) noexcept;

// A fixed array of zero bytes in such memory. A std::vector would write
// every element at construction, that is fault in and clear every page at
// once: for a thread's piece memo (2.5 MB) about a millisecond on its first
// encode, paid by each worker of a thread pool. (calloc alone does not
// avoid it: memory the thread's heap gets back from another is cleared.)
// Only for plain types that all zero bytes make a valid value of.
template <typename T>
class ZeroedArray {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>,
                "ZeroedArray holds plain data that zero bytes make valid");
  static_assert(alignof(T) <= 64, "ZeroedArray aligns to a cache line only");

 public:
  explicit ZeroedArray(std::size_t size) : data_(static_cast<T*>(allocate_zeroed(size * sizeof(T)))), size_(size) {}
  ~ZeroedArray() { free_zeroed(data_, size_ * sizeof(T)); }
  ZeroedArray(const ZeroedArray&) = delete;
  ZeroedArray& operator=(const ZeroedArray&) = delete;

  T& operator[](std::size_t i) noexcept { return data_[i]; }
  const T& operator[](std::size_t i) const noexcept { return data_[i]; }
  const T* data() const noexcept { return data_; }
  std::size_t size() const noexcept { return size_; }
  // Pays now for the pages that would otherwise be faulted in (and zeroed by
  // the system) one by one as the array fills; the contents stay as they are.
  void touch_pages() noexcept { internal::touch_pages(data_, size_ * sizeof(T)); }

 private:
  T* data_;
  std::size_t size_;
};

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_UTIL_ZEROED_ARRAY_H_
