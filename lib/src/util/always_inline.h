// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_UTIL_ALWAYS_INLINE_H_
#define FLASHTOK_SRC_UTIL_ALWAYS_INLINE_H_

// Inlines a small function into every caller even where the compiler's
// heuristics would not (the scanners' per-character helpers: a call per
// character is a large share of scanning text).
#if defined(__GNUC__)
#define FLASHTOK_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define FLASHTOK_ALWAYS_INLINE inline
#endif

#endif  // FLASHTOK_SRC_UTIL_ALWAYS_INLINE_H_
