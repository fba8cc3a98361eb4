// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_APPS_COMPARISON_H_
#define FLASHTOK_APPS_COMPARISON_H_

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace flashtok::cli {

// One figure both runs have, side by side.
struct ComparedFigure {
  std::string key;   // workload/cache/encoding/metric, as in "ratios" (see compare_runs)
  double a = 0, b = 0;
  bool gated = false;            // a speedup (higher is better, compared); else a latency, shown only
  std::optional<double> p_value;  // Mann-Whitney U on the passes, when both runs have enough of them
  bool regressed = false;
  std::size_t passes_a = 0, passes_b = 0;  // the repetitions each side's value rests on (0: not kept)
  bool too_noisy = false;                  // a side's passes spread past kNoisySpread: too wide to judge

  bool past_threshold(double max_regression_pct) const { return b < a * (1.0 - max_regression_pct / 100.0); }

  double ratio() const { return a > 0 ? b / a : 0.0; }  // B over A
};

// What compare found: data only; compare_report.h turns it into tables.
struct Comparison {
  std::string label_a, label_b;
  std::string matched_across;  // "encoding cl100k_base vs o200k_base" when keys were matched without it
  double max_regression_pct = 20;
  std::vector<ComparedFigure> figures;
  std::vector<std::string> only_in_a, only_in_b;

  std::size_t regressions() const;
};

// What a run measured: "wall" (time; reports written before --metric
// existed) or "instructions" (counted by callgrind).
std::string metric_of(const nlohmann::json& run);

// Passes each run needs before the U test is asked: with 4 against 4 the
// smallest two-sided p-value is 0.029.
inline constexpr std::size_t kFewestPassesForTest = 4;
inline constexpr double kSignificance = 0.05;

// How keys of two runs match: as they are, or also across encodings when
// each run has a single one (compare's choice; the gate matches exactly).
enum class KeyMatch { kExact, kAcrossSingleEncodings };

// Every figure two results.json files share: the ratios of bench or sweep
// (gated: higher is better) and, for bench, each row's p50 and p99 latency of
// the full encode and of the cache (shown). Keys match across builds and
// --backtrack-pieces as they are; with kAcrossSingleEncodings across
// encodings when each run has a single encoding (the encoding is then left
// out of the keys). A gated figure regressed when B is more than
// max_regression_pct below A and, where both runs have kFewestPassesForTest
// passes or more, the U test finds the difference significant. Instruction
// counts skip the U test: identical code counts the same to well under 1%,
// so a drop past the threshold is never noise, and the threshold alone
// decides. Throws CommandError (exit 2) when the runs measured different
// metrics.
Comparison compare_runs(const nlohmann::json& a, const nlohmann::json& b, double max_regression_pct,
                        KeyMatch match = KeyMatch::kAcrossSingleEncodings);

}  // namespace flashtok::cli

#endif  // FLASHTOK_APPS_COMPARISON_H_
