// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_WORKLOADS_GENERATOR_H_
#define FLASHTOK_WORKLOADS_GENERATOR_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "flashtok/workloads/error.h"
#include "flashtok/workloads/request.h"

namespace flashtok::workloads {

// Sizes of a generated workload: scale multiplies turns, requests and context
// length; quick shrinks everything about tenfold for CI smoke runs.
struct Size {
  double scale = 1.0;
  bool quick = false;

  // n scaled, at least `at_least`.
  std::size_t of(std::size_t n, std::size_t at_least = 1) const;
};

// The synthetic workloads, deterministic from the seed: same seed, same bytes
// on every platform. Throws WorkloadError naming the known workloads.
Workload generate(std::string_view name, std::uint64_t seed, Size size = {});

// A registered workload: its name, what it models, and its generator.
struct WorkloadInfo {
  std::string name;
  std::string description;
  Workload (*make)(std::uint64_t seed, Size size);
};
// Every workload, in the order `all` runs them. A new workload is one line
// in the table of generator.cc and its generator in a file of its own.
const std::vector<WorkloadInfo>& workload_catalog();

// The generators, one per workload (chat_workloads.cc, prefix_workloads.cc, edit_workloads.cc).
Workload make_voice(std::uint64_t seed, Size size);
Workload make_mobile(std::uint64_t seed, Size size);
Workload make_sessions(std::uint64_t seed, Size size);
Workload make_ide(std::uint64_t seed, Size size);
Workload make_shared_prefix(std::uint64_t seed, Size size, bool shuffled);
Workload make_shared_prefix_grouped(std::uint64_t seed, Size size);
Workload make_shared_prefix_shuffled(std::uint64_t seed, Size size);
Workload make_shared_prefix_many(std::uint64_t seed, Size size);
Workload make_edits(std::uint64_t seed, Size size);   // edit_workloads.cc
Workload make_stream(std::uint64_t seed, Size size);  // stream_workloads.cc

}  // namespace flashtok::workloads

#endif  // FLASHTOK_WORKLOADS_GENERATOR_H_
