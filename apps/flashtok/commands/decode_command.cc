// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// flashtok decode: the bytes of token ids, the inverse of encode.
#include <fmt/format.h>

#include <iostream>
#include <string>
#include <vector>

#include "cli_support.h"
#include "commands/command.h"
#include "flashtok/stream_decoder.h"
#include "token_formats.h"

namespace flashtok::cli {
namespace {

struct DecodeOptions {
  EncodingFlags encoding;
  std::string format = "ids";
  std::size_t max_input_bytes = kDefaultMaxInputBytes;
  std::string input = "-";
  bool stream = false;
};

// --stream: ids arrive on standard input a line at a time (a model's
// output); the bytes of every character they complete are written and
// flushed at once, a character cut across tokens only when whole. The output
// is decode's, byte for byte (lossless).
//
// A line is refused as soon as it passes --max-input-bytes, before it is
// whole: std::getline would first buffer a newline-free stream (/dev/zero)
// until memory ran out.
bool read_bounded_line(std::streambuf& in, std::size_t number, std::size_t max_bytes, std::string* line) {
  line->clear();
  for (int c = in.sbumpc(); c != std::char_traits<char>::eof(); c = in.sbumpc()) {
    if (c == '\n') return true;
    if (line->size() == max_bytes) throw CommandError(fmt::format("line {} is over --max-input-bytes", number));
    line->push_back(static_cast<char>(c));
  }
  return !line->empty();
}

int run_stream(const Encoder& encoder, std::size_t max_line_bytes) {
  StreamDecoder decoder(encoder.encoding_ptr(), StreamDecoder::Mode::kBytes);
  std::string line;
  for (std::size_t number = 1; read_bounded_line(*std::cin.rdbuf(), number, max_line_bytes, &line); ++number) {
    std::string text;
    for (const Rank id : parse_ids_text(line, number)) text += decoder.push(id);
    write_stdout(text);
  }
  write_stdout(decoder.flush());
  return kExitOk;
}

int run(const DecodeOptions& o) {
  const auto encoder = o.encoding.load(o.max_input_bytes);
  if (o.stream) {
    if (o.input != "-" || o.format != "ids") {
      throw CommandError("--stream reads ids as text (--format ids) from standard input");
    }
    return run_stream(*encoder, o.max_input_bytes);
  }
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
  decode->add_flag("--stream", options->stream, "Write the text as ids arrive on standard input, whole characters only");
  run_when_chosen(decode, options, run, chosen);
}

}  // namespace flashtok::cli
