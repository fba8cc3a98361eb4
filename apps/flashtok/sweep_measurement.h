// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_APPS_SWEEP_MEASUREMENT_H_
#define FLASHTOK_APPS_SWEEP_MEASUREMENT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "flashtok/flashtok.h"
#include "flashtok/workloads/request.h"

namespace flashtok::cli {

// One backtrack_pieces value on one workload's appends. A turn is wrong when
// the append took the cache from the right ids to wrong ones; the cache is
// then put right (untimed), so that every turn is judged on its own.
// Without that, one wrong turn spoils every later turn of its session, as it
// would a KV cache: `spoiled` counts those, from a second cache never put right.
struct BacktrackPoint {
  std::string workload, encoding, backtrack;  // backtrack: "0".."8" or "auto"
  std::size_t checks = 0, mismatches = 0;     // appends checked against a full encode, and wrong turns
  std::size_t spoiled = 0;                    // appends whose ids are wrong when nothing puts the cache right
  double mean_us = 0, p99_us = 0;             // latency of an append
  double mean_rollback_tokens = 0;
  std::size_t max_rollback_tokens = 0;
};

// One capacity of the shared prefix cache (blocks) or of the session cache (sessions).
struct CapacityPoint {
  std::string workload, cache, encoding;
  std::size_t capacity = 0;
  double reuse = 0;  // hit rate (shared prefix) or share of prompt bytes reused (sessions)
  std::size_t evictions = 0;
  double speedup = 0;  // total full-encode time over total cache time: the median pass
  double speedup_low = 0, speedup_high = 0;  // the slowest and fastest pass
  std::size_t passes = 0;
};

// One length of the fixed prefix, the suffix after it, or an append-only history.
struct SizePoint {
  std::string sweep;  // "prefix", "suffix", "history"
  std::string encoding;
  std::size_t size;   // tokens (prefix, history) or bytes (suffix)
  double full_us;     // medians
  double cached_us;
};

// "0..8" or "0,2,4": the fixed values to sweep; auto is always added.
std::vector<Backtrack> parse_backtrack_list(const std::string& spec);

class Progress;

// How many steps sweep_backtrack, sweep_capacity and sweep_sizes take
// together, for a Progress line's "step N of M".
std::size_t sweep_steps(std::size_t values, std::size_t workloads, std::size_t encoders, bool quick);

// Each value on each workload with appends, after a warm-up pass.
std::vector<BacktrackPoint> sweep_backtrack(const std::vector<Backtrack>& values,
                                            const std::vector<workloads::Workload>& workloads,
                                            const std::vector<std::shared_ptr<const Encoder>>& encoders,
                                            Progress* progress);

// Cache capacity against reuse and speedup: the shared prefix cache's blocks
// on the shuffled few-shot workload, the session cache's sessions on sessions.
std::vector<CapacityPoint> sweep_capacity(const std::vector<std::shared_ptr<const Encoder>>& encoders,
                                          std::uint64_t seed, double scale, bool quick,
                                          const SharedPrefixTokenCache::Options& shared, Progress* progress);

// The speedup of each cache as prefix, suffix and history lengths grow.
std::vector<SizePoint> sweep_sizes(const std::vector<std::shared_ptr<const Encoder>>& encoders, std::uint64_t seed,
                                   bool quick, Progress* progress);

}  // namespace flashtok::cli

#endif  // FLASHTOK_APPS_SWEEP_MEASUREMENT_H_
