// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_APPS_MEASURE_OPTIONS_H_
#define FLASHTOK_APPS_MEASURE_OPTIONS_H_

#include <CLI/CLI.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cli_support.h"
#include "flashtok/flashtok.h"
#include "flashtok/workloads/request.h"

namespace flashtok::cli {

// The options verify, bench and sweep share (docs/CLI.md "Commands").
struct MeasureOptions {
  std::string command;
  std::vector<std::string> encodings;
  std::vector<std::string> workloads = {"all"};
  std::vector<std::string> replay;  // --replay, repeatable: one workload per file
  std::string label;                // --label: names the run in compare and plot
  std::uint64_t seed = 42;
  double scale = 1.0;
  bool quick = false;
  std::string out;  // default reports/out/<command>
  bool json = false;
  bool no_plot = false;
  std::string baseline;
  double max_regression = 20.0;
  std::string backtrack = "auto";
  std::size_t max_input_bytes = kDefaultMaxInputBytes;  // of --replay and --baseline
  std::size_t block_bytes = SharedPrefixTokenCache::Options().block_bytes;  // --block-bytes
  std::string metric = "wall";  // --metric (bench): "wall" time or "instructions" counted by callgrind

  void add_to(CLI::App* command_app, const std::vector<std::string>& default_encodings, bool with_gate);
  // --metric wall|instructions (bench only).
  void add_metric_option(CLI::App* command_app);
  // Throws CommandError (exit 2) for unknown names, a bad --backtrack-pieces, --replay with --workload,
  // two --replay files of the same name.
  std::vector<workloads::Workload> load_workloads() const;
  std::vector<std::shared_ptr<const Encoder>> load_encoders() const;
  std::vector<workloads::Workload> load_replays() const;
  Backtrack parsed_backtrack() const;
  SharedPrefixTokenCache::Options shared_prefix_options() const;
  std::string out_dir() const { return out.empty() ? "reports/out/" + command : out; }
};

// "auto" or a number of pieces. Throws CommandError on anything else.
Backtrack parse_backtrack(const std::string& value);

}  // namespace flashtok::cli

#endif  // FLASHTOK_APPS_MEASURE_OPTIONS_H_
