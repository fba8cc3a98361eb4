// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_TESTS_FUZZ_CHECK_H_
#define FLASHTOK_TESTS_FUZZ_CHECK_H_

#include <cstdio>
#include <cstdlib>

// A property a fuzz target checks: on failure, say which and abort, so that
// libFuzzer saves the input as a crash.
#define FUZZ_CHECK(condition)                                                     \
  do {                                                                            \
    if (!(condition)) {                                                           \
      std::fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                               \
    }                                                                             \
  } while (0)

#endif  // FLASHTOK_TESTS_FUZZ_CHECK_H_
