// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// flashtok prefixes mine FILE: the most frequent prefixes of recorded traffic,
// to prebuild a SharedPrefixTokenCache with.
#include <nlohmann/json.hpp>

#include "cli_support.h"
#include "commands/command.h"
#include "flashtok/frequent_prefixes.h"

namespace flashtok::cli {

namespace {

struct MineOptions {
  std::string file;
  std::size_t min_len = 64, max_len = 16384, step = 64, threshold = 2, max_results = 20;
  std::size_t max_input_bytes = kDefaultMaxInputBytes;
};

int run_mine(const MineOptions& o) {
  const workloads::Workload replay = load_replay(o.file, o.max_input_bytes);
  std::vector<std::string> texts;
  for (const auto& r : replay.requests) {
    if (r.kind == workloads::RequestKind::kText || r.kind == workloads::RequestKind::kPrompt) texts.push_back(r.text);
    if (r.kind == workloads::RequestKind::kFixedPrefix) texts.push_back(r.prefix + r.text);
  }
  std::string out;
  for (const auto& p : frequent_prefixes(texts, o.min_len, o.max_len, o.step, o.threshold, o.max_results)) {
    out += nlohmann::json{{"count", p.count}, {"bytes", p.text.size()}, {"prefix", p.text}}.dump(
               -1, ' ', false, nlohmann::json::error_handler_t::replace) +
           "\n";
  }
  write_stdout(out);
  return kExitOk;
}

}  // namespace

void register_prefixes(CLI::App& app, CommandRun* chosen) {
  auto o = std::make_shared<MineOptions>();
  auto* prefixes = app.add_subcommand("prefixes", "Find shared prefixes in recorded traffic");
  prefixes->require_subcommand(1);
  auto* mine = prefixes->add_subcommand(
      "mine", "Rank the prefixes that a replay file's texts share by count x length (JSONL out: count, bytes, prefix)");
  mine->add_option("file", o->file, "A replay file (docs/CLI.md 'Replay format'); every whole text counts")->required();
  mine->add_option("--min-len", o->min_len, "Shortest prefix, bytes")->capture_default_str();
  mine->add_option("--max-len", o->max_len, "Longest prefix, bytes")->capture_default_str();
  mine->add_option("--step", o->step, "Prefix lengths tried: min-len, min-len + step, ...")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  mine->add_option("--threshold", o->threshold, "Least number of texts sharing a prefix")->capture_default_str();
  mine->add_option("--max-results", o->max_results, "At most this many prefixes")->capture_default_str();
  add_max_input_option(mine, &o->max_input_bytes);
  run_when_chosen(mine, o, run_mine, chosen);
}

}  // namespace flashtok::cli
