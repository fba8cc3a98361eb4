// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// flashtok workloads list | dump NAME | corpus KIND: see what the benchmarks replay.
#include <cstdio>

#include "cli_support.h"
#include "commands.h"
#include "flashtok/workloads/generator.h"
#include "flashtok/workloads/jsonl.h"
#include "flashtok/workloads/text_generator.h"

namespace flashtok::cli {

void add_workload_commands(CLI::App& app) {
  auto* workloads = app.add_subcommand("workloads", "List the synthetic workloads or dump one as JSONL");
  workloads->require_subcommand(1);
  workloads->add_subcommand("list", "Name and description of each workload")->callback([] {
    std::string out;
    for (const auto& info : workloads::workload_catalog()) out += info.name + "\t" + info.description + "\n";
    write_stdout(out);
  });

  struct CorpusOptions {
    std::string kind;
    std::size_t bytes = 1 << 20;
    std::uint64_t seed = 42;
  };
  auto corpus_options = std::make_shared<CorpusOptions>();
  auto* corpus = workloads->add_subcommand("corpus", "Write text of one kind (prose, code, multilingual, chat)");
  corpus->add_option("kind", corpus_options->kind, "prose, code, multilingual or chat")->required();
  corpus->add_option("--bytes", corpus_options->bytes, "About this many bytes")->capture_default_str();
  corpus->add_option("--seed", corpus_options->seed, "Seed")->capture_default_str();
  corpus->callback([corpus_options] {
    try {
      write_stdout(workloads::corpus(corpus_options->kind, corpus_options->bytes, corpus_options->seed));
    } catch (const std::invalid_argument& e) {
      throw CommandError(e.what());
    }
  });

  struct DumpOptions {
    std::string name;
    std::uint64_t seed = 42;
    double scale = 1.0;
    bool quick = false;
  };
  auto options = std::make_shared<DumpOptions>();
  auto* dump = workloads->add_subcommand("dump", "Write a workload's requests as JSONL (the replay format)");
  dump->add_option("name", options->name, "Workload name")->required();
  dump->add_option("--seed", options->seed, "Seed")->capture_default_str();
  add_scale_option(dump, &options->scale);
  dump->add_flag("--quick", options->quick, "A tenth of the size");
  dump->callback([options] {
    try {
      const auto w = workloads::generate(options->name, options->seed, workloads::Size{options->scale, options->quick});
      write_stdout(workloads::to_jsonl(w.requests));
    } catch (const std::invalid_argument& e) {
      throw CommandError(e.what());
    }
  });
}

}  // namespace flashtok::cli
