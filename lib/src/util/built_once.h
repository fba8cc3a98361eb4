// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_UTIL_BUILT_ONCE_H_
#define FLASHTOK_SRC_UTIL_BUILT_ONCE_H_

#include <atomic>
#include <mutex>
#include <utility>

namespace flashtok::internal {

// A value that the first caller of get() builds while other callers wait,
// then read by all: for the parts of shared tables that only some inputs
// need, so that a process whose input never asks for one never pays for it.
//
// Thread-safe. A caller that got the value through get() sees it complete
// (std::call_once orders the build before every return); if_built() lets
// a reader that must not build (a memory count) look at it without waiting.
template <typename T>
class BuiltOnce {
 public:
  // The value, built by `build()` (which returns a T) on the first call.
  template <typename Build>
  const T& get(Build&& build) const {
    std::call_once(once_, [&] {
      value_ = std::forward<Build>(build)();
      ready_.store(true, std::memory_order_release);
    });
    return value_;
  }

  // The value if some get() has built it, else null; never builds or waits.
  const T* if_built() const noexcept { return ready_.load(std::memory_order_acquire) ? &value_ : nullptr; }

 private:
  mutable std::once_flag once_;
  mutable T value_{};  // written once, inside once_
  mutable std::atomic<bool> ready_{false};
};

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_UTIL_BUILT_ONCE_H_
