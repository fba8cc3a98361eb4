// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_APPS_SWEEP_REPORT_H_
#define FLASHTOK_APPS_SWEEP_REPORT_H_

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "sweep_measurement.h"

namespace flashtok::cli {

// What sweep measured: data only.
struct SweepMeasurement {
  std::vector<BacktrackPoint> backtrack;
  std::vector<CapacityPoint> capacity;
  std::vector<SizePoint> sizes;
};

// Adds sweep's fields to a results document (docs/CLI.md "results.json"):
// backtrack, capacity, sizes and the ratios the gate compares.
void add_sweep(const SweepMeasurement& m, nlohmann::json* results);

// summary.md of a sweep: its backtrack, capacity and sizes tables.
std::string sweep_markdown(const SweepMeasurement& m, const nlohmann::json& results);

}  // namespace flashtok::cli

#endif  // FLASHTOK_APPS_SWEEP_REPORT_H_
