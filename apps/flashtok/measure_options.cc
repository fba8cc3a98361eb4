// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "measure_options.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "cli_support.h"
#include "flashtok/workloads/generator.h"

namespace flashtok::cli {

void MeasureOptions::add_to(CLI::App* app, const std::vector<std::string>& default_encodings, bool with_gate) {
  encodings = default_encodings;
  app->add_option("--encoding", encodings, "Encodings, comma-separated")->delimiter(',')->capture_default_str();
  auto* workload = app->add_option("--workload", workloads, "Workloads, comma-separated, or all")
                       ->delimiter(',')
                       ->capture_default_str();
  app->add_option("--replay", replay,
                  "Replay your own requests (JSONL, docs/CLI.md 'Replay format') instead; repeatable, one workload "
                  "per file")
      ->excludes(workload);
  app->add_option("--label", label, "Name this run in compare and plot (default: its --out folder's name)");
  app->add_option("--seed", seed, "Seed of the synthetic workloads")->capture_default_str();
  add_scale_option(app, &scale);
  app->add_flag("--quick", quick, "About a tenth of the work, for CI smoke runs");
  app->add_option("--out", out, "Report folder (default reports/out/<command>)");
  app->add_flag("--json", json, "Also print results.json to standard output");
  app->add_option("--backtrack-pieces", backtrack, "auto (exact) or N pieces (the heuristic)")->capture_default_str();
  add_max_input_option(app, &max_input_bytes);
  app->add_option("--block-bytes", block_bytes, "Block size of the shared prefix cache, in bytes")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 20))
      ->capture_default_str();
  if (with_gate) {
    app->add_flag("--no-plot", no_plot, "Do not draw PNG figures");
    auto* base = app->add_option("--baseline", baseline, "A saved results.json to compare ratios with");
    app->add_option("--max-regression", max_regression, "Percent a ratio may drop below the baseline")
        ->needs(base)
        ->check(finite_number(0.0, 100.0))
        ->capture_default_str();
  }
}

void MeasureOptions::add_metric_option(CLI::App* app) {
  app->add_option("--metric", metric,
                  "wall (time) or instructions (counted under valgrind's callgrind: slower, and stable to 0.1%)")
      ->check(CLI::IsMember({"wall", "instructions"}))
      ->capture_default_str();
}

Backtrack parse_backtrack(const std::string& value) {
  if (value == "auto") return Backtrack::automatic();
  if (!value.empty() && value.size() < 6 && value.find_first_not_of("0123456789") == std::string::npos) {
    return Backtrack::pieces(std::stoul(value));
  }
  throw CommandError("--backtrack-pieces must be 'auto' or a number of pieces, not '" + value + "'");
}

Backtrack MeasureOptions::parsed_backtrack() const { return parse_backtrack(backtrack); }

SharedPrefixTokenCache::Options MeasureOptions::shared_prefix_options() const {
  SharedPrefixTokenCache::Options options;
  options.block_bytes = block_bytes;
  return options;
}

std::vector<workloads::Workload> MeasureOptions::load_workloads() const {
  if (!replay.empty()) return load_replays();
  std::vector<std::string> names;
  for (const auto& name : workloads) {
    if (name == "all") {
      for (const auto& info : workloads::workload_catalog()) names.push_back(info.name);
    } else {
      names.push_back(name);
    }
  }
  std::vector<workloads::Workload> out;
  for (const auto& name : names) out.push_back(workloads::generate(name, seed, workloads::Size{scale, quick}));
  return out;
}

// Each file's workload is named after the file ("replay:<name>"), and its
// figures are keyed by that name: two files of one name would mix them.
std::vector<workloads::Workload> MeasureOptions::load_replays() const {
  std::vector<workloads::Workload> out;
  for (const auto& path : replay) {
    out.push_back(load_replay(path, max_input_bytes));
    for (std::size_t i = 0; i + 1 < out.size(); ++i) {
      if (out[i].name == out.back().name) {
        throw CommandError("--replay " + path + ": another --replay file has the same name (" + out.back().name +
                           "); rename one");
      }
    }
  }
  return out;
}

std::vector<std::shared_ptr<const Encoder>> MeasureOptions::load_encoders() const {
  std::vector<std::shared_ptr<const Encoder>> out;
  for (const auto& name : encodings) out.push_back(Encoder::builtin(name));  // Error -> exit 2
  return out;
}

}  // namespace flashtok::cli
