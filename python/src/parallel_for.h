// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_PYTHON_PARALLEL_FOR_H_
#define FLASHTOK_PYTHON_PARALLEL_FOR_H_

#include <atomic>
#include <cstddef>
#include <exception>
#include <system_error>
#include <thread>
#include <vector>

namespace flashtok::python {

// Runs body(i) for every i < n on up to `threads` threads (the caller's
// among them), each taking the next index when done. The first exception
// is rethrown after every thread has stopped.
template <typename Body>
void parallel_for(std::size_t n, std::size_t threads, const Body& body) {
  std::atomic<std::size_t> next{0};
  std::exception_ptr error;
  std::atomic<bool> failed{false};
  auto work = [&] {
    for (std::size_t i; !failed.load() && (i = next.fetch_add(1)) < n;) {
      try {
        body(i);
      } catch (...) {
        if (!failed.exchange(true)) error = std::current_exception();
      }
    }
  };
  std::vector<std::thread> helpers;
  for (std::size_t t = 1; t < threads && t < n; ++t) {
    try {
      helpers.emplace_back(work);
    } catch (const std::system_error&) {
      break;  // no more threads to be had: fewer do the work
    }
  }
  work();
  for (std::thread& helper : helpers) helper.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace flashtok::python

#endif  // FLASHTOK_PYTHON_PARALLEL_FOR_H_
