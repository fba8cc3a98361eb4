// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_APPS_REGRESSION_GATE_H_
#define FLASHTOK_APPS_REGRESSION_GATE_H_

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <vector>

#include "measure_options.h"

namespace flashtok::cli {

struct GateOutcome {
  std::string metric = "wall";  // of both runs (comparison.h metric_of)
  std::size_t compared = 0;
  std::size_t tested = 0;  // verdicts backed by the U test (both sides had kFewestPassesForTest passes)
  std::size_t fewest_passes_run = 0, fewest_passes_baseline = 0;  // what the verdicts rest on
  std::vector<std::string> regressions;          // "key: 12.30 -> 8.10 (-34.1%), p = 0.008, 9 vs 9 passes"
  std::vector<std::string> not_significant;      // past the threshold, but the U test cannot tell them apart
  std::vector<std::string> too_noisy;            // passes spread too wide to judge (either side)
  std::vector<std::string> missing_in_baseline;  // listed, not failed
  std::vector<std::string> missing_in_run;
};

// Reads --baseline (null when none is given) and checks that it can be
// compared with this run, whose header `run` new_results() made: the same
// schema version, command, seed, scale and quick flag. Throws CommandError
// (exit 2) otherwise. Called before measuring, so that a wrong baseline fails
// at once.
nlohmann::json load_baseline(const MeasureOptions& options, const nlohmann::json& run);

// Compares the "ratios" of a run with those of a baseline, matched by key.
// Ratios are speedups measured within one run, so they travel between
// machines where absolute times do not. A ratio regresses when it falls more
// than max_regression_pct percent below the baseline's and, when both runs
// kept kFewestPassesForTest passes or more, the Mann-Whitney U test on the
// passes finds the drop significant (compare_runs decides; with fewer
// passes the threshold alone decides, and the report says so).
GateOutcome compare_ratios(const nlohmann::json& run, const nlohmann::json& baseline, double max_regression_pct);

// Markdown section describing the outcome.
std::string gate_summary(const GateOutcome& outcome, const std::string& baseline_path, double max_regression_pct);

// The end of bench and sweep: applies the gate when there is a baseline
// (adding its outcome to the report), writes the report with its figures, and
// returns the exit code: kExitRegression when a ratio regressed, else kExitOk.
// When no ratio of the baseline matches this run the report is written, not
// gated, and CommandError (exit 2) says so: a gate that compares nothing
// must not pass. `show`, when given, prints the run for the terminal once
// the report is in place, before the gate's verdict (and never before an
// exit 2, whose one line must be all of stderr).
int finish_measurement(const MeasureOptions& options, nlohmann::json results, std::string summary_md,
                       const nlohmann::json& baseline, const std::function<void(const nlohmann::json&)>& show = {});

}  // namespace flashtok::cli

#endif  // FLASHTOK_APPS_REGRESSION_GATE_H_
