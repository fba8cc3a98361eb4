// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// flashtok compare A/results.json B/results.json: every figure two runs
// share, side by side; exit 3 when a speedup regressed past the threshold.
#include <fmt/format.h>

#include <cstdio>

#include "cli_support.h"
#include "commands/command.h"
#include "compare_report.h"
#include "comparison.h"
#include "flashtok/error.h"
#include "report.h"
#include "results_file.h"
#include "staged_files.h"

namespace flashtok::cli {
namespace {

struct CompareOptions {
  std::string a, b;
  double max_regression = 20.0;
  std::string out;  // summary.md goes here when given
  std::size_t max_input_bytes = kDefaultMaxInputBytes;
};

void write_markdown(const std::string& dir, const std::string& md) {
  make_report_dir(dir);
  StagedFiles staged;
  try {
    staged.write(dir + "/summary.md", md);
  } catch (const Error& e) {
    throw CommandError(std::string("cannot write the report: ") + e.what());
  }
  staged.commit();
}

int run(const CompareOptions& o) {
  const nlohmann::json a = load_results(o.a, o.max_input_bytes), b = load_results(o.b, o.max_input_bytes);
  Comparison c = compare_runs(a, b, o.max_regression);
  c.label_a = run_label(a, o.a);
  c.label_b = run_label(b, o.b);
  if (c.figures.empty()) {
    throw CommandError(fmt::format("{} and {} share no figure (A has {}, B has {}): nothing compared", o.a, o.b,
                                   c.only_in_a.size(), c.only_in_b.size()));
  }
  if (!o.out.empty()) write_markdown(o.out, comparison_markdown(c));
  write_stdout(comparison_terminal_table(c));
  std::fprintf(stderr, "compare: %zu figures compared, %zu regressed past %g%%; %zu only in A, %zu only in B\n",
               c.figures.size(), c.regressions(), o.max_regression, c.only_in_a.size(), c.only_in_b.size());
  return c.regressions() == 0 ? kExitOk : kExitRegression;
}

}  // namespace

void register_compare(CLI::App& app, CommandRun* chosen) {
  auto options = std::make_shared<CompareOptions>();
  auto* compare = app.add_subcommand("compare", "Put the figures of two results.json side by side; exit 3 on a regression");
  compare->add_option("a", options->a, "The reference run's results.json")->required();
  compare->add_option("b", options->b, "The run to judge against it")->required();
  compare->add_option("--max-regression", options->max_regression, "Percent a speedup may drop below A's")
      ->check(finite_number(0.0, 100.0))
      ->capture_default_str();
  compare->add_option("--out", options->out, "Also write summary.md (Markdown) into this folder");
  add_max_input_option(compare, &options->max_input_bytes);
  run_when_chosen(compare, options, run, chosen);
}

}  // namespace flashtok::cli
