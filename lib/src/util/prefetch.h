// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_UTIL_PREFETCH_H_
#define FLASHTOK_SRC_UTIL_PREFETCH_H_

namespace flashtok::internal {

// Starts loading the cache line holding *p, so that a read of it a little
// later does not wait on memory. Changes nothing else; p need not be read.
inline void prefetch_line(const void* p) noexcept {
#if defined(__GNUC__)
  // GCC 12 deletes a __builtin_prefetch inside some conditions, with the
  // address computation (a hash) it depends on: an empty asm that may change
  // the address keeps both.
  asm volatile("" : "+r"(p));
  __builtin_prefetch(p);
#else
  (void)p;
#endif
}

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_UTIL_PREFETCH_H_
