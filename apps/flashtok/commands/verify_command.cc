// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// flashtok verify: every cache against a full encode after every request, and
// the encoder against tiktoken's ids for the golden texts. Exit 1 on any mismatch.
#include <cstdio>

#include "cli_support.h"
#include "commands/command.h"
#include "flashtok/error.h"
#include "junit_report.h"
#include "measure_options.h"
#include "report.h"
#include "verification.h"
#include "verify_report.h"

namespace flashtok::cli {
namespace {

struct VerifyOptions {
  MeasureOptions common;
  std::string junit;  // --junit FILE
};

int run(const VerifyOptions& options) {
  const MeasureOptions& o = options.common;
  const auto encoders = o.load_encoders();
  const auto workloads = o.load_workloads();
  const Verification v = verify_all(encoders, workloads, o.parsed_backtrack(), o.shared_prefix_options());
  nlohmann::json results = new_results(o);
  add_verification(v, &results);
  StagedFiles staged;
  if (!options.junit.empty()) {
    try {
      staged.write(options.junit, verification_junit(v));  // put in place with the report
    } catch (const Error& e) {
      throw CommandError(std::string("cannot write --junit file: ") + e.what());
    }
  }
  write_report(o, results, verification_markdown(v, o.backtrack), &staged);
  std::fprintf(stderr, "verify: %zu mismatches in %zu checks; report in %s\n", v.mismatches(), v.checks(),
               o.out_dir().c_str());
  return v.mismatches() == 0 ? kExitOk : kExitMismatch;
}

}  // namespace

void register_verify(CLI::App& app, CommandRun* chosen) {
  auto options = std::make_shared<VerifyOptions>();
  options->common.command = "verify";
  auto* verify = app.add_subcommand("verify", "Check every cache against a full encode, token by token");
  options->common.add_to(verify, {"cl100k_base", "o200k_base", "r50k_base", "p50k_base"}, /*with_gate=*/false);
  verify->add_option("--junit", options->junit,
                     "Also write JUnit XML: one test case per workload x encoding x cache, a failure carrying "
                     "the first mismatch");
  run_when_chosen(verify, options, run, chosen);
}

}  // namespace flashtok::cli
