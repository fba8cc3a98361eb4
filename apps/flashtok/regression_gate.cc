// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "regression_gate.h"

#include <fmt/format.h>

#include <algorithm>

#include "bench_report.h"
#include "cli_support.h"
#include "common/io.h"
#include "comparison.h"
#include "figures.h"
#include "report.h"
#include "staged_files.h"

namespace flashtok::cli {
namespace {

// "3 (such as 'voice/append-only/cl100k_base/speedup_total')"
std::string count_and_example(const nlohmann::json& ratios) {
  if (ratios.empty()) return "none";
  return fmt::format("{} (such as '{}')", ratios.size(), ratios.begin().key());
}

// Tells on stderr which ratios the gate could not compare.
void report_unmatched(const GateOutcome& o) {
  if (!o.missing_in_baseline.empty()) {
    std::fprintf(stderr, "gate: %zu ratios of this run are not in the baseline: %s\n", o.missing_in_baseline.size(),
                 fmt::format("{}", fmt::join(o.missing_in_baseline, ", ")).c_str());
  }
  if (!o.missing_in_run.empty()) {
    std::fprintf(stderr, "gate: %zu ratios of the baseline are not in this run: %s\n", o.missing_in_run.size(),
                 fmt::format("{}", fmt::join(o.missing_in_run, ", ")).c_str());
  }
}

// "key: 12.30 -> 8.10 (-34.1%), p = 0.008, 9 vs 9 passes": a gated figure
// of the baseline (A) against this run (B), and what its verdict rests on.
std::string verdict_line(const ComparedFigure& f) {
  const std::string test = f.p_value ? fmt::format("p = {:.3f}", *f.p_value) : "no U test";
  const std::string passes = f.passes_a > 0 && f.passes_b > 0 ? fmt::format("{} vs {} passes", f.passes_b, f.passes_a)
                                                              : "no per-pass values";
  return fmt::format("{}: {:.2f} -> {:.2f} ({:+.1f}%), {}, {}", f.key, f.a, f.b, 100.0 * (f.ratio() - 1), test, passes);
}

}  // namespace

nlohmann::json load_baseline(const MeasureOptions& options, const nlohmann::json& run) {
  if (options.baseline.empty()) return nullptr;
  const std::string& path = options.baseline;
  const std::string content = read_input(path, options.max_input_bytes);
  nlohmann::json baseline;
  try {
    baseline = nlohmann::json::parse(content);
  } catch (const std::exception& e) {
    throw CommandError("baseline " + path + ": " + e.what());
  }
  if (!baseline.is_object() || baseline.value("schema_version", -1) != run.at("schema_version")) {
    throw CommandError("baseline " + path + " has schema_version " + baseline.value("schema_version", nlohmann::json(-1)).dump() +
                       ", this flashtok writes " + run.at("schema_version").dump());
  }
  if (baseline.value("command", nlohmann::json()) != run.at("command")) {
    throw CommandError(fmt::format("baseline {} is the report of {}, not of {}: its ratios cannot match", path,
                                   baseline.value("command", nlohmann::json()).dump(), run.at("command").dump()));
  }
  const std::string metric_a = metric_of(baseline), metric_b = metric_of(run);
  if (metric_a != metric_b) {
    throw CommandError(fmt::format("baseline {} measured {}, this run measures {}: their ratios cannot be compared "
                                   "(record the baseline with --metric {})",
                                   path, metric_a, metric_b, metric_b));
  }
  for (const char* field : {"seed", "scale", "quick"}) {
    const auto& mine = run.at("parameters").at(field);
    const auto theirs = baseline.value("parameters", nlohmann::json::object()).value(field, nlohmann::json());
    if (mine != theirs) {
      throw CommandError(fmt::format("baseline {} was run with {} = {}, this run with {}", path, field, theirs.dump(),
                                     mine.dump()));
    }
  }
  return baseline;
}

GateOutcome compare_ratios(const nlohmann::json& run, const nlohmann::json& baseline, double pct) {
  GateOutcome outcome;
  outcome.metric = metric_of(run);
  const auto base = baseline.value("ratios", nlohmann::json::object());
  const auto mine = run.value("ratios", nlohmann::json::object());
  const Comparison c = compare_runs(baseline, run, pct, KeyMatch::kExact);
  bool any_passes = false;
  outcome.fewest_passes_run = outcome.fewest_passes_baseline = SIZE_MAX;
  for (const ComparedFigure& f : c.figures) {
    if (!f.gated) continue;
    ++outcome.compared;
    outcome.tested += f.p_value.has_value();
    if (f.passes_a > 0 && f.passes_b > 0) {
      any_passes = true;
      outcome.fewest_passes_baseline = std::min(outcome.fewest_passes_baseline, f.passes_a);
      outcome.fewest_passes_run = std::min(outcome.fewest_passes_run, f.passes_b);
    }
    const std::string line = verdict_line(f);
    if (f.regressed) outcome.regressions.push_back(line);
    if (f.past_threshold(pct) && !f.regressed) outcome.not_significant.push_back(line);
    if (f.too_noisy) outcome.too_noisy.push_back(line);
  }
  if (!any_passes) outcome.fewest_passes_run = outcome.fewest_passes_baseline = 0;
  for (const auto& key : c.only_in_b) {
    if (mine.contains(key)) outcome.missing_in_baseline.push_back(key);
  }
  for (const auto& key : c.only_in_a) {
    if (base.contains(key)) outcome.missing_in_run.push_back(key);
  }
  return outcome;
}

std::string gate_summary(const GateOutcome& o, const std::string& path, double pct) {
  std::string md = fmt::format("\n## Regression gate\n\nBaseline `{}`, threshold {}%: {} ratios compared, {} regressed.\n\n",
                               path, pct, o.compared, o.regressions.size());
  if (o.compared == 0) {
    md += "No ratio of the baseline matches this run: NOT GATED (exit 2).\n\n";
  } else if (o.metric == "instructions") {
    md += fmt::format(
        "The speedups are ratios of instruction counts (callgrind), each the median of its passes ({} of this run, "
        "{} of the baseline). Identical code counts the same to well under 1%, so the threshold alone decides: "
        "no U test.\n\n",
        o.fewest_passes_run, o.fewest_passes_baseline);
  } else {
    md += fmt::format(
        "A speedup (total or p50) is the median of its passes; its verdict rests on at least {} passes of this run "
        "against {} of the baseline. {} of {} verdicts are backed by the Mann-Whitney U test on the passes: a drop "
        "past the threshold counts only when p < {} (the test needs {} passes on each side, `--repeat {}`). The "
        "others (fewer passes, or a baseline without per-pass values) rest on the threshold alone.\n\n",
        o.fewest_passes_run, o.fewest_passes_baseline, o.tested, o.compared, kSignificance, kFewestPassesForTest,
        kFewestPassesForTest);
  }
  for (const auto& r : o.regressions) md += "- REGRESSED " + r + "\n";
  for (const auto& r : o.not_significant) md += "- past the threshold, not significant: " + r + "\n";
  for (const auto& r : o.too_noisy) {
    md += fmt::format("- too noisy to judge (passes spread over {:.0f}% of their mean): {}\n", 100 * kNoisySpread, r);
  }
  for (const auto& k : o.missing_in_baseline) md += "- not in the baseline: " + k + "\n";
  for (const auto& k : o.missing_in_run) md += "- not in this run: " + k + "\n";
  return md;
}

int finish_measurement(const MeasureOptions& options, nlohmann::json results, std::string md,
                       const nlohmann::json& baseline, const std::function<void(const nlohmann::json&)>& show) {
  GateOutcome outcome;
  if (!baseline.is_null()) {
    outcome = compare_ratios(results, baseline, options.max_regression);
    results["gate"] = {{"baseline", options.baseline},
                       {"metric", outcome.metric},
                       {"max_regression_pct", options.max_regression},
                       {"compared", outcome.compared},
                       {"significance", kSignificance},
                       {"tested", outcome.tested},
                       {"fewest_passes", {{"run", outcome.fewest_passes_run}, {"baseline", outcome.fewest_passes_baseline}}},
                       {"regressions", outcome.regressions},
                       {"not_significant", outcome.not_significant},
                       {"too_noisy", outcome.too_noisy},
                       {"missing_in_baseline", outcome.missing_in_baseline},
                       {"missing_in_run", outcome.missing_in_run}};
    md += gate_summary(outcome, options.baseline, options.max_regression);
  }
  StagedFiles staged;
  if (!options.no_plot) {
    make_report_dir(options.out_dir());
    md += figures_markdown(draw_figures({results}, options.out_dir(), &staged));
  }
  write_report(options, results, md, &staged);
  if (!baseline.is_null() && outcome.compared == 0) {
    throw CommandError(fmt::format("no ratio of baseline {} matches this run (the baseline has {}, this run {}); "
                                   "report in {}, not gated",
                                   options.baseline, count_and_example(baseline.value("ratios", nlohmann::json::object())),
                                   count_and_example(results.value("ratios", nlohmann::json::object())),
                                   options.out_dir()));
  }
  if (show) show(results);
  std::fprintf(stderr, "%s: report in %s\n", options.command.c_str(), options.out_dir().c_str());
  report_unmatched(outcome);
  for (const auto& r : outcome.regressions) std::fprintf(stderr, "regressed: %s\n", r.c_str());
  return outcome.regressions.empty() ? kExitOk : kExitRegression;
}

}  // namespace flashtok::cli
