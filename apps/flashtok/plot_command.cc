// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// flashtok plot: PNG figures from results.json files, without re-measuring.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli_support.h"
#include "commands.h"
#include "common/io.h"
#include "figures.h"
#include "report.h"

namespace flashtok::cli {
namespace {

nlohmann::json load_results(const std::string& path, std::size_t max_bytes) {
  const std::string content = read_input(path, max_bytes);
  nlohmann::json results;
  try {
    results = nlohmann::json::parse(content);
  } catch (const nlohmann::json::exception& e) {
    throw CommandError(path + ": not valid JSON: " + e.what());
  }
  if (!results.is_object() || !results.contains("schema_version")) throw CommandError(path + ": no schema_version");
  if (results.at("schema_version") != kSchemaVersion) {
    throw CommandError(path + ": schema_version " + results.at("schema_version").dump() + ", but this flashtok reads " +
                       std::to_string(kSchemaVersion));
  }
  return results;
}

}  // namespace

void add_plot_command(CLI::App& app) {
  struct Options {
    std::vector<std::string> inputs = {"reports/out/bench/results.json", "reports/out/sweep/results.json"};
    std::string out = "reports/out/figures";
    std::size_t max_input_bytes = kDefaultMaxInputBytes;
  };
  auto options = std::make_shared<Options>();
  auto* plot = app.add_subcommand("plot", "Draw PNG figures from bench and sweep results.json files");
  plot->add_option("--in", options->inputs, "A results.json (repeatable)")->capture_default_str();
  plot->add_option("--out", options->out, "Folder for the PNGs (created if missing)")->capture_default_str();
  add_max_input_option(plot, &options->max_input_bytes);
  plot->callback([options] {
    std::vector<nlohmann::json> results;
    for (const auto& path : options->inputs) results.push_back(load_results(path, options->max_input_bytes));
    make_report_dir(options->out);
    StagedFiles staged;  // all figures or none
    const auto files = draw_figures(results, options->out, &staged);
    if (files.empty()) throw CommandError("nothing to plot: give bench or sweep results");
    staged.commit();
    for (const auto& f : files) std::printf("%s/%s\n", options->out.c_str(), f.c_str());
  });
}

}  // namespace flashtok::cli
