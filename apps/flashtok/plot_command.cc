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

nlohmann::json load_results(const std::string& path) {
  nlohmann::json results;
  try {
    results = nlohmann::json::parse(read_file(path));
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
  };
  auto options = std::make_shared<Options>();
  auto* plot = app.add_subcommand("plot", "Draw PNG figures from bench and sweep results.json files");
  plot->add_option("--in", options->inputs, "A results.json (repeatable)")->capture_default_str();
  plot->add_option("--out", options->out, "Folder for the PNGs (created if missing)")->capture_default_str();
  plot->callback([options] {
    std::vector<nlohmann::json> results;
    for (const auto& path : options->inputs) results.push_back(load_results(path));
    make_report_dir(options->out);
    const auto files = draw_figures(results, options->out);
    if (files.empty()) throw CommandError("nothing to plot: give bench or sweep results");
    for (const auto& f : files) std::printf("%s/%s\n", options->out.c_str(), f.c_str());
  });
}

}  // namespace flashtok::cli
