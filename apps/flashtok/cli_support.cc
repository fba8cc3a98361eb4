// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "cli_support.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "common/io.h"
#include "flashtok/error.h"

namespace flashtok::cli {

void EncodingFlags::add_to(CLI::App* command) {
  command->add_option("--encoding", name, "Built-in encoding: cl100k_base, o200k_base, r50k_base, p50k_base, gpt2")
      ->capture_default_str();
  auto* file_option = command->add_option("--encoding-file", file, "Your own .tiktoken rank file");
  command->add_option("--pattern", pattern, "Pre-tokenizer pattern for --encoding-file (tiktoken pat_str)")
      ->needs(file_option);
  command->add_option("--pattern-of", pattern_of, "Use this built-in encoding's pattern and special tokens")
      ->needs(file_option)
      ->excludes("--pattern");
  command->add_option("--sha256", sha256, "Expected SHA-256 of --encoding-file")->needs(file_option);
}

std::shared_ptr<const Encoder> EncodingFlags::load() const {
  if (file.empty()) return std::make_shared<const Encoder>(Encoding::builtin(name));
  Encoding::FileOptions options;
  if (!pattern_of.empty()) {
    const auto reference = Encoding::builtin(pattern_of);
    options.pattern = reference->pattern();
    options.special_tokens = reference->special_tokens();
  } else if (!pattern.empty()) {
    options.pattern = pattern;
  } else {
    throw CommandError("--encoding-file needs --pattern or --pattern-of");
  }
  options.expected_sha256 = sha256;
  return std::make_shared<const Encoder>(Encoding::from_file(file, std::move(options)));
}

void add_max_input_option(CLI::App* command, std::size_t* max_bytes) {
  command->add_option("--max-input-bytes", *max_bytes, "Refuse input larger than this (units: KiB, MiB, GiB, ...)")
      ->transform(CLI::AsSizeValue(false))
      ->capture_default_str();
}

std::string read_input(const std::string& path, std::size_t max_bytes) {
  try {
    return path == "-" ? read_stdin(max_bytes) : read_file(path, max_bytes);
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kTooLarge) throw;  // becomes exit code 2 in main()
    throw CommandError(std::string(e.what()) + " (see --max-input-bytes)");
  }
}

void write_stdout(std::string_view bytes) {
  if (std::fwrite(bytes.data(), 1, bytes.size(), stdout) != bytes.size() || std::fflush(stdout) != 0) {
    throw CommandError(std::string("standard output: ") + std::strerror(errno));
  }
}

}  // namespace flashtok::cli
