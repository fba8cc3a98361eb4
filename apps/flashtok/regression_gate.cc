// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "regression_gate.h"

#include <fmt/format.h>

#include "cli_support.h"
#include "common/io.h"
#include "figures.h"
#include "report.h"

namespace flashtok::cli {

GateOutcome compare_with_baseline(const nlohmann::json& run, const std::string& path, double pct) {
  nlohmann::json baseline;
  try {
    baseline = nlohmann::json::parse(read_file(path));
  } catch (const std::exception& e) {
    throw CommandError("baseline " + path + ": " + e.what());
  }
  if (!baseline.is_object() || baseline.value("schema_version", -1) != run.at("schema_version")) {
    throw CommandError("baseline " + path + " has schema_version " + baseline.value("schema_version", nlohmann::json(-1)).dump() +
                       ", this flashtok writes " + run.at("schema_version").dump());
  }
  for (const char* field : {"seed", "scale", "quick"}) {
    const auto& mine = run.at("parameters").at(field);
    const auto theirs = baseline.value("parameters", nlohmann::json::object()).value(field, nlohmann::json());
    if (mine != theirs) {
      throw CommandError(fmt::format("baseline {} was run with {} = {}, this run with {}", path, field, theirs.dump(),
                                     mine.dump()));
    }
  }
  GateOutcome outcome;
  const auto& base = baseline.value("ratios", nlohmann::json::object());
  const auto& mine = run.value("ratios", nlohmann::json::object());
  for (const auto& [key, value] : mine.items()) {
    if (!base.contains(key)) {
      outcome.missing_in_baseline.push_back(key);
      continue;
    }
    const double before = base.at(key).get<double>(), now = value.get<double>();
    ++outcome.compared;
    if (now < before * (1.0 - pct / 100.0)) {
      outcome.regressions.push_back(
          fmt::format("{}: {:.2f} -> {:.2f} ({:+.1f}%)", key, before, now, 100.0 * (now - before) / before));
    }
  }
  for (const auto& [key, value] : base.items()) {
    if (!mine.contains(key)) outcome.missing_in_run.push_back(key);
  }
  return outcome;
}

std::string gate_summary(const GateOutcome& o, const std::string& path, double pct) {
  std::string md = fmt::format("\n## Regression gate\n\nBaseline `{}`, threshold {}%: {} ratios compared, {} regressed.\n\n",
                               path, pct, o.compared, o.regressions.size());
  for (const auto& r : o.regressions) md += "- REGRESSED " + r + "\n";
  for (const auto& k : o.missing_in_baseline) md += "- not in the baseline: " + k + "\n";
  for (const auto& k : o.missing_in_run) md += "- not in this run: " + k + "\n";
  return md;
}

int finish_measurement(const MeasureOptions& options, nlohmann::json results, std::string md) {
  int code = kExitOk;
  if (!options.baseline.empty()) {
    const GateOutcome outcome = compare_with_baseline(results, options.baseline, options.max_regression);
    results["gate"] = {{"baseline", options.baseline},
                       {"max_regression_pct", options.max_regression},
                       {"compared", outcome.compared},
                       {"regressions", outcome.regressions},
                       {"missing_in_baseline", outcome.missing_in_baseline},
                       {"missing_in_run", outcome.missing_in_run}};
    md += gate_summary(outcome, options.baseline, options.max_regression);
    if (!outcome.regressions.empty()) code = kExitRegression;
  }
  if (!options.no_plot) {
    make_report_dir(options.out_dir());
    md += figures_markdown(draw_figures({results}, options.out_dir()));
  }
  write_report(options, results, md);
  std::fprintf(stderr, "%s: report in %s\n", options.command.c_str(), options.out_dir().c_str());
  if (code == kExitRegression) {
    for (const auto& r : results["gate"]["regressions"]) std::fprintf(stderr, "regressed: %s\n", r.get<std::string>().c_str());
  }
  return code;
}

}  // namespace flashtok::cli
