// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// flashtok bench: for every request of every workload, a full encode of the
// text the cache stands for against the cache itself, timed in the same run.
#include <cstdio>
#include <optional>

#include "bench_measurement.h"
#include "bench_report.h"
#include "cli_support.h"
#include "commands/command.h"
#include "instruction_count.h"
#include "measure_options.h"
#include "regression_gate.h"
#include "report.h"
#include "throughput_texts.h"

namespace flashtok::cli {
namespace {

struct BenchOptions {
  MeasureOptions common;
  int repeat = 0;  // not given: 3, or 1 with --quick
  int threads = 1;
  std::string corpus;  // --corpus DIR: the encoder's throughput on its text files, not on generated text
};

int run(const BenchOptions& b) {
  const MeasureOptions& o = b.common;
  if (!b.corpus.empty() && o.metric == "instructions") {
    throw CommandError(
        "--corpus: the encoder's throughput is a wall-time figure, not measured with --metric instructions");
  }
  std::optional<InstructionCounter> counter;
  if (o.metric == "instructions") {
    if (b.threads != 1) throw CommandError("--metric instructions counts one thread: leave --threads out");
    const std::optional<std::string> out_file = callgrind_out_file();
    if (!out_file) return run_under_callgrind();  // which runs this command again, counting
    counter.emplace(*out_file);
  }
  BenchSettings settings;
  settings.counter = counter ? &*counter : nullptr;
  settings.repeat = b.repeat > 0 ? b.repeat : o.quick ? 1 : 3;
  settings.threads = b.threads;
  settings.backtrack = o.parsed_backtrack();
  settings.shared = o.shared_prefix_options();
  settings.throughput_texts =
      b.corpus.empty() ? synthetic_texts(o.seed, o.quick) : real_texts(b.corpus, o.max_input_bytes);
  settings.quick = o.quick;
  nlohmann::json results = new_results(o);
  results["parameters"]["repeat"] = settings.repeat;
  results["parameters"]["threads"] = settings.threads;
  results["parameters"]["metric"] = o.metric;
  results["parameters"]["corpus"] = b.corpus.empty() ? nlohmann::json() : nlohmann::json(b.corpus);
  const nlohmann::json baseline = load_baseline(o, results);  // a wrong one fails before measuring
  const auto workloads = o.load_workloads();
  add_bench(measure_bench(o.encodings, workloads, settings), &results);
  return finish_measurement(o, results, bench_markdown(results), baseline, [&o](const nlohmann::json& run) {
    const std::string table = bench_terminal_table(run);
    if (o.json) {
      std::fputs(table.c_str(), stderr);  // standard output is the JSON's
    } else {
      write_stdout(table);
    }
    for (const auto& warning : bench_warnings(run)) std::fprintf(stderr, "%s\n", warning.c_str());
  });
}

}  // namespace

void register_bench(CLI::App& app, CommandRun* chosen) {
  auto options = std::make_shared<BenchOptions>();
  options->common.command = "bench";
  auto* bench = app.add_subcommand("bench", "Time every cache against a full encode over the workloads");
  options->common.add_to(bench, {"cl100k_base", "o200k_base"}, /*with_gate=*/true);
  options->common.add_metric_option(bench);
  bench->add_option("--repeat", options->repeat,
                    "Measured passes over each workload (after one warm-up; default 3, 1 with --quick)")
      ->check(CLI::Range(1, 1000));
  bench->add_option("--threads", options->threads, "Replay the workload on this many threads at once")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  bench->add_option("--corpus", options->corpus,
                    "Time the full encoder on the .txt files of this folder (real text: "
                    "workloads/corpus/build_corpus.sh DIR) instead of generated text");
  run_when_chosen(bench, options, run, chosen);
}

}  // namespace flashtok::cli
