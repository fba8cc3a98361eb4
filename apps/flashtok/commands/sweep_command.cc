// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// flashtok sweep: how often each fixed backtrack_pieces is wrong and what it
// costs, next to auto; and the speedup of each cache as prefix, suffix and
// history lengths grow.
#include "cli_support.h"
#include "commands/command.h"
#include "measure_options.h"
#include "regression_gate.h"
#include "report.h"
#include "sweep_measurement.h"
#include "sweep_report.h"

namespace flashtok::cli {
namespace {

int run(const MeasureOptions& options) {
  MeasureOptions o = options;
  if (o.replay.empty() && o.workloads == std::vector<std::string>{"all"}) o.workloads = {"voice", "mobile", "stream"};
  const auto encoders = o.load_encoders();
  const auto workloads = o.load_workloads();
  nlohmann::json results = new_results(o);
  const nlohmann::json baseline = load_baseline(o, results);  // a wrong one fails before measuring
  SweepMeasurement m;
  {
    const auto values = parse_backtrack_list(o.backtrack == "auto" ? "0..8" : o.backtrack);
    Progress steps("sweep", sweep_steps(values.size(), workloads.size(), encoders.size(), o.quick));
    m.backtrack = sweep_backtrack(values, workloads, encoders, &steps);
    m.capacity = sweep_capacity(encoders, o.seed, o.scale, o.quick, o.shared_prefix_options(), &steps);
    m.sizes = sweep_sizes(encoders, o.seed, o.quick, &steps);
  }  // clears the progress line
  add_sweep(m, &results);
  return finish_measurement(o, results, sweep_markdown(m, results), baseline);
}

}  // namespace

void register_sweep(CLI::App& app, CommandRun* chosen) {
  auto options = std::make_shared<MeasureOptions>();
  options->command = "sweep";
  auto* sweep = app.add_subcommand("sweep", "Sweep backtrack_pieces and prefix, suffix and history sizes");
  options->add_to(sweep, {"cl100k_base", "o200k_base"}, /*with_gate=*/true);
  sweep->get_option("--backtrack-pieces")->description("Fixed values to sweep, e.g. 0..8 or 0,1,2 (auto is always added)");
  run_when_chosen(sweep, options, run, chosen);
}

}  // namespace flashtok::cli
