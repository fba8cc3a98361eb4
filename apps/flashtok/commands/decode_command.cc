// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// flashtok decode: the bytes of token ids, the inverse of encode.
#include <string>
#include <vector>

#include "cli_support.h"
#include "commands/command.h"
#include "token_formats.h"

namespace flashtok::cli {
namespace {

struct DecodeOptions {
  EncodingFlags encoding;
  std::string format = "ids";
  std::size_t max_input_bytes = kDefaultMaxInputBytes;
  std::string input = "-";
};

int run(const DecodeOptions& o) {
  const auto encoder = o.encoding.load(o.max_input_bytes);
  const std::string input = read_input(o.input, o.max_input_bytes);
  const std::vector<Rank> ids = o.format == "u32" ? parse_ids_u32(input) : parse_ids_text(input);
  write_stdout(encoder->decode_bytes(ids));
  return kExitOk;
}

}  // namespace

void register_decode(CLI::App& app, CommandRun* chosen) {
  auto options = std::make_shared<DecodeOptions>();
  auto* decode = app.add_subcommand("decode", "Write the bytes of token ids (the inverse of encode)");
  options->encoding.add_to(decode);
  decode->add_option("--format", options->format, "ids (decimal, whitespace-separated) or u32")
      ->check(CLI::IsMember({"ids", "u32"}))
      ->capture_default_str();
  add_max_input_option(decode, &options->max_input_bytes);
  decode->add_option("input", options->input, "File of ids, or - for standard input")->capture_default_str();
  run_when_chosen(decode, options, run, chosen);
}

}  // namespace flashtok::cli
