// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_APPS_BENCH_REPORT_H_
#define FLASHTOK_APPS_BENCH_REPORT_H_

#include <nlohmann/json.hpp>

#include <string>

#include "bench_measurement.h"

namespace flashtok::cli {

// Adds bench's fields to a results document (docs/CLI.md "results.json"):
// results (one row per workload x encoding x cache), series, load_ms,
// peak_rss_mb, encoder_throughput and the ratios the gate compares.
void add_bench(const BenchMeasurement& m, nlohmann::json* results);

// summary.md of a bench run, from the results document add_bench() filled.
std::string bench_markdown(const nlohmann::json& results);

}  // namespace flashtok::cli

#endif  // FLASHTOK_APPS_BENCH_REPORT_H_
