// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// flashtok plot: PNG figures from results.json files, without re-measuring.
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

#include "cli_support.h"
#include "commands/command.h"
#include "common/io.h"
#include "figures.h"
#include "report.h"
#include "results_file.h"

namespace flashtok::cli {
namespace {

struct PlotOptions {
  std::vector<std::string> inputs = {"reports/out/bench/results.json", "reports/out/sweep/results.json"};
  std::string out = "reports/out/figures";
  std::size_t max_input_bytes = kDefaultMaxInputBytes;
};

// Each run's label, made unique ("bench", "bench (2)"): overlaid figures
// name every series with it.
void label_runs(std::vector<nlohmann::json>* results, const std::vector<std::string>& paths) {
  std::map<std::string, int> seen;
  for (std::size_t i = 0; i < results->size(); ++i) {
    std::string label = run_label((*results)[i], paths[i]);
    const int n = ++seen[label];
    if (n > 1) label += " (" + std::to_string(n) + ")";
    (*results)[i]["label"] = label;
  }
}

int run(const PlotOptions& o) {
  std::vector<nlohmann::json> results;
  for (const auto& path : o.inputs) results.push_back(load_results(path, o.max_input_bytes));
  label_runs(&results, o.inputs);
  make_report_dir(o.out);
  StagedFiles staged;  // all figures or none
  const auto files = draw_figures(results, o.out, &staged);
  if (files.empty()) throw CommandError("nothing to plot: give bench or sweep results");
  staged.commit();
  std::string listing;
  for (const auto& f : files) listing += o.out + "/" + f + "\n";
  write_stdout(listing);
  return kExitOk;
}

}  // namespace

void register_plot(CLI::App& app, CommandRun* chosen) {
  auto options = std::make_shared<PlotOptions>();
  auto* plot = app.add_subcommand("plot", "Draw PNG figures from bench and sweep results.json files");
  plot->add_option("--in", options->inputs, "A results.json (repeatable)")->capture_default_str();
  plot->add_option("--out", options->out, "Folder for the PNGs (created if missing)")->capture_default_str();
  add_max_input_option(plot, &options->max_input_bytes);
  run_when_chosen(plot, options, run, chosen);
}

}  // namespace flashtok::cli
