// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// flashtok encode: the token ids of a file or of standard input.
#include <fmt/format.h>

#include <string>
#include <vector>

#include "cli_support.h"
#include "commands/command.h"
#include "token_formats.h"

namespace flashtok::cli {
namespace {

struct EncodeOptions {
  EncodingFlags encoding;
  std::string format = "ids";
  std::string allowed_special;
  bool strict_utf8 = false;
  std::size_t max_input_bytes = kDefaultMaxInputBytes;
  std::string input = "-";
};

CommandError unknown_special_token(const std::string& name, const Encoding& encoding) {
  std::string known;
  for (const auto& [token, id] : encoding.special_tokens()) known += (known.empty() ? "" : ", ") + token;
  return CommandError(fmt::format("--allowed-special: {} has no special token '{}' (it has: {})", encoding.name(), name,
                                  known.empty() ? "none" : known));
}

// "all" or comma-separated names, each one the encoding has: an unknown name
// would otherwise be ignored, and its text encoded as ordinary text.
SpecialTokenSet parse_special_list(const std::string& list, const Encoding& encoding) {
  SpecialTokenSet set;
  if (list == "all") return SpecialTokenSet::all();
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t comma = list.find(',', start);
    const std::string name = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!name.empty() && !encoding.special_tokens().count(name)) throw unknown_special_token(name, encoding);
    if (!name.empty()) set.names.push_back(name);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return set;
}

int run(const EncodeOptions& o) {
  const auto encoder = o.encoding.load(o.max_input_bytes);
  const bool ordinary = o.allowed_special.empty();
  const SpecialTokenSet allowed = ordinary ? SpecialTokenSet::none() : parse_special_list(o.allowed_special, encoder->encoding());
  const std::string text = read_input(o.input, o.max_input_bytes);
  if (o.strict_utf8) require_utf8(text);
  if (o.format == "count" && ordinary) {
    write_stdout(std::to_string(encoder->count(text)) + "\n");
    return kExitOk;
  }
  const std::vector<Rank> ids =
      ordinary ? encoder->encode_ordinary(text) : encoder->encode(text, allowed, SpecialTokenSet::none());
  if (o.format == "count") {
    write_stdout(std::to_string(ids.size()) + "\n");
  } else {
    write_stdout(o.format == "u32" ? format_u32(ids) : format_ids(ids));
  }
  return kExitOk;
}

}  // namespace

void register_encode(CLI::App& app, CommandRun* chosen) {
  auto options = std::make_shared<EncodeOptions>();
  auto* encode = app.add_subcommand("encode", "Print the token ids of a file (or standard input)");
  options->encoding.add_to(encode);
  encode->add_option("--format", options->format, "ids (one per line), u32 (little-endian), count")
      ->check(CLI::IsMember({"ids", "u32", "count"}))
      ->capture_default_str();
  encode->add_option("--allowed-special", options->allowed_special,
                     "Comma-separated special tokens to encode as their ids, or 'all' (default: none; their "
                     "text is encoded as ordinary text)");
  encode->add_flag("--strict-utf8", options->strict_utf8,
                   "Refuse input that is not valid UTF-8 (default: encode it losslessly)");
  add_max_input_option(encode, &options->max_input_bytes);
  encode->add_option("input", options->input, "File to encode, or - for standard input")->capture_default_str();
  run_when_chosen(encode, options, run, chosen);
}

}  // namespace flashtok::cli
