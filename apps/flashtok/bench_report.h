// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_APPS_BENCH_REPORT_H_
#define FLASHTOK_APPS_BENCH_REPORT_H_

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "bench_measurement.h"

namespace flashtok::cli {

// Adds bench's fields to a results document (docs/CLI.md "results.json"):
// results (one row per workload x encoding x cache), series, load_ms,
// peak_rss_mb, encoder_throughput and the ratios the gate compares.
void add_bench(const BenchMeasurement& m, nlohmann::json* results);

// summary.md of a bench run, from the results document add_bench() filled.
std::string bench_markdown(const nlohmann::json& results);

// The terminal's view of a bench run: per workload x encoding x cache the
// full encode's and the cache's p50 and p99 and the speedup as the mean of
// the measured passes' total speedups with their standard deviation
// ("27.1x ± 3.2"), "noisy" beside a speedup too spread out to judge.
std::string bench_terminal_table(const nlohmann::json& results);

// One line each when the run is too short (fewer passes than
// kFewestPassesToJudge) or some speedups too noisy to judge; none for
// instruction counts, whose passes agree.
std::vector<std::string> bench_warnings(const nlohmann::json& results);

// Relative spread (standard deviation over mean of the passes' speedups)
// above which a figure is flagged as too noisy to judge.
inline constexpr double kNoisySpread = 0.25;
// Passes below which no spread can be judged at all.
inline constexpr std::size_t kFewestPassesToJudge = 3;

}  // namespace flashtok::cli

#endif  // FLASHTOK_APPS_BENCH_REPORT_H_
