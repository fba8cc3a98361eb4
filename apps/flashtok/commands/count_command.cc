// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// flashtok count: the number of tokens of a file or of standard input.
#include <string>

#include "cli_support.h"
#include "commands/command.h"

namespace flashtok::cli {
namespace {

struct CountOptions {
  EncodingFlags encoding;
  bool strict_utf8 = false;
  std::size_t max_input_bytes = kDefaultMaxInputBytes;
  std::string input = "-";
};

int run(const CountOptions& o) {
  const auto encoder = o.encoding.load(o.max_input_bytes);
  const std::string text = read_input(o.input, o.max_input_bytes);
  if (o.strict_utf8) require_utf8(text);
  write_stdout(std::to_string(encoder->count(text)) + "\n");
  return kExitOk;
}

}  // namespace

void register_count(CLI::App& app, CommandRun* chosen) {
  auto options = std::make_shared<CountOptions>();
  auto* count = app.add_subcommand("count", "Print the number of tokens of a file (or standard input)");
  options->encoding.add_to(count);
  count->add_flag("--strict-utf8", options->strict_utf8, "Refuse input that is not valid UTF-8");
  add_max_input_option(count, &options->max_input_bytes);
  count->add_option("input", options->input, "File, or - for standard input")->capture_default_str();
  run_when_chosen(count, options, run, chosen);
}

}  // namespace flashtok::cli
