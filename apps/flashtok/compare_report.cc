// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "compare_report.h"

#include <fmt/format.h>

#include "report.h"
#include "text_table.h"

namespace flashtok::cli {
namespace {

std::string verdict(const ComparedFigure& f, double pct) {
  if (!f.gated) return "";
  if (f.regressed) return "REGRESSED";
  if (f.past_threshold(pct)) return "not significant";
  return f.p_value && *f.p_value < kSignificance ? (f.b > f.a ? "faster" : "slower, within threshold") : "";
}

std::vector<std::vector<std::string>> rows(const Comparison& c) {
  std::vector<std::vector<std::string>> out;
  for (const auto& f : c.figures) {
    out.push_back({f.key, fixed(f.a, 2), fixed(f.b, 2), fixed(f.ratio(), 2) + "x",
                   f.p_value ? fmt::format("{:.3f}", *f.p_value) : "n/a", verdict(f, c.max_regression_pct)});
  }
  return out;
}

std::vector<std::string> header(const Comparison& c) {
  return {"figure", "A: " + c.label_a, "B: " + c.label_b, "B/A", "p (U test)", "verdict"};
}

}  // namespace

std::string comparison_terminal_table(const Comparison& c) { return text_table(header(c), rows(c), 1); }

std::string comparison_markdown(const Comparison& c) {
  std::string md = "# flashtok compare\n\n";
  md += fmt::format("A is `{}`, B is `{}`{}. {} figures compared, {} regressed past {}%. Speedups (higher is "
                    "better) are gated; latencies in µs are shown. A speedup regressed when B is more than the "
                    "threshold below A and, where both runs have {} passes or more, the Mann-Whitney U test on "
                    "the passes finds the difference significant (p < {}).\n\n",
                    c.label_a, c.label_b, c.matched_across.empty() ? "" : " (matched across " + c.matched_across + ")",
                    c.figures.size(), c.regressions(), c.max_regression_pct, kFewestPassesForTest, kSignificance);
  md += markdown_table(header(c), rows(c));
  for (const auto& k : c.only_in_a) md += "- only in A: " + k + "\n";
  for (const auto& k : c.only_in_b) md += "- only in B: " + k + "\n";
  return md;
}

}  // namespace flashtok::cli
