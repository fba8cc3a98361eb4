// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// The two clocks measurements read, in microseconds: the CLI's and the
// benchmark programs'.
#ifndef FLASHTOK_APPS_COMMON_CLOCKS_H_
#define FLASHTOK_APPS_COMMON_CLOCKS_H_

#include <time.h>

#include <chrono>

namespace flashtok {

// CPU time of the calling thread: what a measurement costs, with the time
// the thread waited for a core left out, so that a busy neighbour on a
// shared machine disturbs it far less than wall time.
inline double thread_cpu_us() {
  timespec t{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_nsec) / 1e3;
}

inline double wall_us() {
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace flashtok

#endif  // FLASHTOK_APPS_COMMON_CLOCKS_H_
