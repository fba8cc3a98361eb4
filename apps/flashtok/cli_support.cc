// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "cli_support.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "common/io.h"
#include "flashtok/error.h"
#include "flashtok/utf8_validity.h"
#include "flashtok/workloads/jsonl.h"

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

namespace {

// Runs read(), saying where the limit comes from when the input is too large.
template <typename Read>
auto with_input_limit(Read&& read) {
  try {
    return read();
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kTooLarge) throw;  // becomes exit code 2 in main()
    throw CommandError(std::string(e.what()) + " (see --max-input-bytes)");
  }
}

// Checks what CLI::AsSizeValue made of --max-input-bytes: it passes "-1" and
// numbers past 2^64 through as they were typed.
std::string check_input_limit(const std::string& bytes) {
  const bool digits = !bytes.empty() && bytes.find_first_not_of("0123456789") == std::string::npos;
  if (digits && bytes.size() <= 20 && std::strtoull(bytes.c_str(), nullptr, 10) <= kMaxInputBytesLimit) return {};
  return fmt::format("'{}' is not a size from 0 to {} bytes ({}MiB)", bytes, kMaxInputBytesLimit, kMaxInputBytesLimit >> 20);
}

}  // namespace

std::shared_ptr<const Encoder> EncodingFlags::load(std::size_t max_bytes) const {
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
  options.max_bytes = max_bytes;
  return std::make_shared<const Encoder>(with_input_limit([&] { return Encoding::from_file(file, std::move(options)); }));
}

void add_max_input_option(CLI::App* command, std::size_t* max_bytes) {
  const std::string help = fmt::format("Refuse input larger than this (units: KiB, MiB, GiB; at most {}MiB)",
                                       kMaxInputBytesLimit >> 20);
  command->add_option("--max-input-bytes", *max_bytes, help)
      ->transform(CLI::AsSizeValue(false))
      ->check(check_input_limit)
      ->capture_default_str();
}

void add_scale_option(CLI::App* command, double* scale) {
  command->add_option("--scale", *scale, fmt::format("Multiply workload sizes (more than 0, at most {})", kMaxScale))
      ->check(finite_number(0.0, kMaxScale, /*low_excluded=*/true))
      ->capture_default_str();
}

CLI::Validator finite_number(double low, double high, bool low_excluded) {
  const std::string range = fmt::format("{}{}, {}]", low_excluded ? "(" : "[", low, high);
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        char* end = nullptr;
        const double value = std::strtod(text.c_str(), &end);
        const bool in_range = low_excluded ? value > low : value >= low;
        if (end != text.c_str() && *end == '\0' && std::isfinite(value) && in_range && value <= high) return {};
        return "'" + text + "' is not a finite number in " + range;
      },
      "NUMBER in " + range);
}

std::string read_input(const std::string& path, std::size_t max_bytes) {
  return with_input_limit([&] { return path == "-" ? read_stdin(max_bytes) : read_file(path, max_bytes); });
}

workloads::Workload load_replay(const std::string& path, std::size_t max_bytes) {
  return workloads::replay_workload(path, read_input(path, max_bytes));
}

void require_utf8(std::string_view text) {
  if (const auto bad = first_invalid_utf8(text)) {
    throw CommandError(fmt::format("input is not valid UTF-8 at byte offset {}", *bad));
  }
}

void write_stdout(std::string_view bytes) {
  if (std::fwrite(bytes.data(), 1, bytes.size(), stdout) != bytes.size() || std::fflush(stdout) != 0) {
    throw CommandError(std::string("cannot write standard output: ") + std::strerror(errno));
  }
}

void show_progress(const std::string& line) {
  static const bool terminal = ::isatty(STDERR_FILENO) == 1;
  static const bool dumb = std::getenv("TERM") == nullptr || std::string(std::getenv("TERM")) == "dumb";
  if (!terminal) return;
  if (!dumb) {
    std::fprintf(stderr, "\r\033[K%s", line.c_str());  // overwrite the last step
  } else if (!line.empty()) {
    std::fprintf(stderr, "%s\n", line.c_str());  // no escape codes: one line per step
  }
}

std::string time_left(double seconds) {
  if (seconds < 90) return fmt::format("about {:.0f} s left", std::max(1.0, seconds));
  return fmt::format("about {:.0f} min left", seconds / 60);
}

Progress::Progress(std::string command, std::size_t steps)
    : command_(std::move(command)), steps_(steps), start_(std::chrono::steady_clock::now()) {}

Progress::~Progress() { show_progress(""); }

void Progress::step(const std::string& what) {
  const std::size_t done = started_++;
  std::string line = fmt::format("{}: step {} of {} ({})", command_, started_, steps_, what);
  if (done > 0 && steps_ >= started_) {
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    line += ", " + time_left(elapsed / static_cast<double>(done) * static_cast<double>(steps_ - done));
  }
  show_progress(line);
}

}  // namespace flashtok::cli
