// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// flashtok workloads list | dump NAME | corpus KIND: see what the benchmarks replay.
#include <string>

#include "cli_support.h"
#include "commands/command.h"
#include "flashtok/workloads/generator.h"
#include "flashtok/workloads/jsonl.h"
#include "flashtok/workloads/text_generator.h"

namespace flashtok::cli {
namespace {

struct ListOptions {};

int run_list(const ListOptions&) {
  std::string out;
  for (const auto& info : workloads::workload_catalog()) out += info.name + "\t" + info.description + "\n";
  write_stdout(out);
  return kExitOk;
}

struct CorpusOptions {
  std::string kind;
  std::size_t bytes = 1 << 20;
  std::uint64_t seed = 42;
};

int run_corpus(const CorpusOptions& o) {
  write_stdout(workloads::corpus(o.kind, o.bytes, o.seed));
  return kExitOk;
}

struct DumpOptions {
  std::string name;
  std::uint64_t seed = 42;
  double scale = 1.0;
  bool quick = false;
};

int run_dump(const DumpOptions& o) {
  const auto workload = workloads::generate(o.name, o.seed, workloads::Size{o.scale, o.quick});
  write_stdout(workloads::to_jsonl(workload.requests));
  return kExitOk;
}

}  // namespace

void register_workloads(CLI::App& app, CommandRun* chosen) {
  auto* workloads = app.add_subcommand("workloads", "List the synthetic workloads or dump one as JSONL");
  workloads->require_subcommand(1);
  run_when_chosen(workloads->add_subcommand("list", "Name and description of each workload"),
                  std::make_shared<ListOptions>(), run_list, chosen);

  auto corpus_options = std::make_shared<CorpusOptions>();
  auto* corpus = workloads->add_subcommand("corpus", "Write text of one kind (prose, code, multilingual, chat)");
  corpus->add_option("kind", corpus_options->kind, "prose, code, multilingual or chat")->required();
  corpus->add_option("--bytes", corpus_options->bytes, "About this many bytes")->capture_default_str();
  corpus->add_option("--seed", corpus_options->seed, "Seed")->capture_default_str();
  run_when_chosen(corpus, corpus_options, run_corpus, chosen);

  auto dump_options = std::make_shared<DumpOptions>();
  auto* dump = workloads->add_subcommand("dump", "Write a workload's requests as JSONL (the replay format)");
  dump->add_option("name", dump_options->name, "Workload name")->required();
  dump->add_option("--seed", dump_options->seed, "Seed")->capture_default_str();
  add_scale_option(dump, &dump_options->scale);
  dump->add_flag("--quick", dump_options->quick, "A tenth of the size");
  run_when_chosen(dump, dump_options, run_dump, chosen);
}

}  // namespace flashtok::cli
