// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_APPS_REGRESSION_GATE_H_
#define FLASHTOK_APPS_REGRESSION_GATE_H_

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "measure_options.h"

namespace flashtok::cli {

struct GateOutcome {
  std::size_t compared = 0;
  std::vector<std::string> regressions;          // "key: 12.3 -> 8.1 (-34%)"
  std::vector<std::string> missing_in_baseline;  // listed, not failed
  std::vector<std::string> missing_in_run;
};

// Compares the "ratios" of a run with those of a baseline results file.
// Ratios are speedups measured within one run, so they travel between
// machines where absolute times do not. A ratio regresses when it falls more
// than max_regression_pct percent below the baseline's. Throws CommandError
// (exit 2) for an unreadable baseline or one of another schema version, seed,
// scale or quick flag.
GateOutcome compare_with_baseline(const nlohmann::json& run, const std::string& baseline_path,
                                  double max_regression_pct);

// Markdown section describing the outcome.
std::string gate_summary(const GateOutcome& outcome, const std::string& baseline_path, double max_regression_pct);

// The end of bench and sweep: applies the gate when --baseline is given
// (adding its outcome to the report), writes the report, and returns the exit
// code: kExitRegression when a ratio regressed, else kExitOk.
int finish_measurement(const MeasureOptions& options, nlohmann::json results, std::string summary_md);

}  // namespace flashtok::cli

#endif  // FLASHTOK_APPS_REGRESSION_GATE_H_
