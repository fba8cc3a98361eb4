// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// The everyday commands: encode, decode, count.
#include <fmt/format.h>

#include <iostream>
#include <string>
#include <vector>

#include "cli_support.h"
#include "commands.h"
#include "flashtok/stream_decoder.h"
#include "flashtok/utf8_validity.h"

namespace flashtok::cli {
namespace {

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

std::string format_ids(const std::vector<Rank>& ids) {
  std::string out;
  out.reserve(ids.size() * 6);
  for (const Rank id : ids) {
    out += std::to_string(id);
    out += '\n';
  }
  return out;
}

std::string format_u32(const std::vector<Rank>& ids) {
  std::string out(ids.size() * 4, '\0');
  for (std::size_t i = 0; i < ids.size(); ++i) {
    for (int b = 0; b < 4; ++b) out[4 * i + b] = static_cast<char>((ids[i] >> (8 * b)) & 0xFF);
  }
  return out;
}

std::vector<Rank> parse_ids_text(const std::string& text, std::size_t first_line = 1) {
  std::vector<Rank> ids;
  std::size_t line = first_line;
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (c == '\n') ++line;
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',') {
      ++i;
      continue;
    }
    std::uint64_t value = 0;
    const std::size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9' && value <= 0xFFFFFFFFull) {
      value = value * 10 + static_cast<std::uint64_t>(text[i++] - '0');
    }
    if (i == start || value > 0xFFFFFFFEull ||
        (i < text.size() && std::string_view(" \t\r\n,").find(text[i]) == std::string_view::npos)) {
      const std::size_t word_end = text.find_first_of(" \t\r\n,", start);
      const std::string word = text.substr(start, std::min<std::size_t>(20, word_end - start));
      throw CommandError(fmt::format("line {}: expected a token id (a decimal number), found '{}'", line, word));
    }
    ids.push_back(static_cast<Rank>(value));
  }
  return ids;
}

// decode --stream: ids arrive on standard input a line at a time (a model's
// output); the bytes of every character they complete are written and
// flushed at once, a character cut across tokens only when whole. The output
// is decode's, byte for byte (lossless).
void stream_decode(const Encoder& encoder, std::size_t max_line_bytes) {
  StreamDecoder decoder(encoder.encoding_ptr(), StreamDecoder::Mode::kBytes);
  std::string line;
  for (std::size_t number = 1; std::getline(std::cin, line); ++number) {
    if (line.size() > max_line_bytes) throw CommandError(fmt::format("line {} is over --max-input bytes", number));
    std::string text;
    for (const Rank id : parse_ids_text(line, number)) text += decoder.push(id);
    write_stdout(text);
  }
  write_stdout(decoder.flush());
}

std::vector<Rank> parse_ids_u32(const std::string& bytes) {
  if (bytes.size() % 4 != 0) {
    throw CommandError(fmt::format("u32 input has {} bytes, not a multiple of 4", bytes.size()));
  }
  std::vector<Rank> ids(bytes.size() / 4);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    Rank id = 0;
    for (int b = 3; b >= 0; --b) id = (id << 8) | static_cast<unsigned char>(bytes[4 * i + b]);
    ids[i] = id;
  }
  return ids;
}

struct EncodeOptions {
  EncodingFlags encoding;
  std::string format = "ids";
  std::string allowed_special;
  bool strict_utf8 = false;
  std::size_t max_input_bytes = kDefaultMaxInputBytes;
  std::string input = "-";
};

void check_utf8(const std::string& text) {
  if (const auto bad = first_invalid_utf8(text)) {
    throw CommandError(fmt::format("input is not valid UTF-8 at byte offset {}", *bad));
  }
}

void run_encode(const EncodeOptions& o) {
  const auto encoder = o.encoding.load(o.max_input_bytes);
  const bool ordinary = o.allowed_special.empty();
  const SpecialTokenSet allowed = ordinary ? SpecialTokenSet::none() : parse_special_list(o.allowed_special, encoder->encoding());
  const std::string text = read_input(o.input, o.max_input_bytes);
  if (o.strict_utf8) check_utf8(text);
  if (o.format == "count" && ordinary) {
    write_stdout(std::to_string(encoder->count(text)) + "\n");
    return;
  }
  const std::vector<Rank> ids =
      ordinary ? encoder->encode_ordinary(text) : encoder->encode(text, allowed, SpecialTokenSet::none());
  if (o.format == "count") {
    write_stdout(std::to_string(ids.size()) + "\n");
  } else {
    write_stdout(o.format == "u32" ? format_u32(ids) : format_ids(ids));
  }
}

}  // namespace

void add_encode_commands(CLI::App& app) {
  auto encode_options = std::make_shared<EncodeOptions>();
  auto* encode = app.add_subcommand("encode", "Print the token ids of a file (or standard input)");
  encode_options->encoding.add_to(encode);
  encode->add_option("--format", encode_options->format, "ids (one per line), u32 (little-endian), count")
      ->check(CLI::IsMember({"ids", "u32", "count"}))
      ->capture_default_str();
  encode->add_option("--allowed-special", encode_options->allowed_special,
                     "Comma-separated special tokens to encode as their ids, or 'all' (default: none; their "
                     "text is encoded as ordinary text)");
  encode->add_flag("--strict-utf8", encode_options->strict_utf8,
                   "Refuse input that is not valid UTF-8 (default: encode it losslessly)");
  add_max_input_option(encode, &encode_options->max_input_bytes);
  encode->add_option("input", encode_options->input, "File to encode, or - for standard input")
      ->capture_default_str();
  encode->callback([encode_options] { run_encode(*encode_options); });

  auto count_options = std::make_shared<EncodeOptions>();
  auto* count = app.add_subcommand("count", "Print the number of tokens of a file (or standard input)");
  count_options->encoding.add_to(count);
  count_options->format = "count";
  count->add_flag("--strict-utf8", count_options->strict_utf8, "Refuse input that is not valid UTF-8");
  add_max_input_option(count, &count_options->max_input_bytes);
  count->add_option("input", count_options->input, "File, or - for standard input")->capture_default_str();
  count->callback([count_options] { run_encode(*count_options); });

  struct DecodeOptions {
    EncodingFlags encoding;
    std::string format = "ids";
    std::size_t max_input_bytes = kDefaultMaxInputBytes;
    std::string input = "-";
    bool stream = false;
  };
  auto decode_options = std::make_shared<DecodeOptions>();
  auto* decode = app.add_subcommand("decode", "Write the bytes of token ids (the inverse of encode)");
  decode_options->encoding.add_to(decode);
  decode->add_option("--format", decode_options->format, "ids (decimal, whitespace-separated) or u32")
      ->check(CLI::IsMember({"ids", "u32"}))
      ->capture_default_str();
  add_max_input_option(decode, &decode_options->max_input_bytes);
  decode->add_option("input", decode_options->input, "File of ids, or - for standard input")
      ->capture_default_str();
  decode->add_flag("--stream", decode_options->stream,
                   "Write the text as ids arrive on standard input, whole characters only");
  decode->callback([decode_options] {
    const auto encoder = decode_options->encoding.load(decode_options->max_input_bytes);
    if (decode_options->stream) {
      if (decode_options->input != "-" || decode_options->format != "ids") {
        throw CommandError("--stream reads ids as text (--format ids) from standard input");
      }
      return stream_decode(*encoder, decode_options->max_input_bytes);
    }
    const std::string input = read_input(decode_options->input, decode_options->max_input_bytes);
    const std::vector<Rank> ids = decode_options->format == "u32" ? parse_ids_u32(input) : parse_ids_text(input);
    write_stdout(encoder->decode_bytes(ids));
  });
}

}  // namespace flashtok::cli
