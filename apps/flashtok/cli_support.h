// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_APPS_CLI_SUPPORT_H_
#define FLASHTOK_APPS_CLI_SUPPORT_H_

#include <CLI/CLI.hpp>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "flashtok/encoder.h"
#include "flashtok/workloads/request.h"

namespace flashtok::cli {

// The exit codes every command uses (docs/CLI.md "Exit codes").
enum ExitCode : int {
  kExitOk = 0,
  kExitMismatch = 1,    // verify found a token that differs from a full encode
  kExitUsage = 2,       // bad flag, bad input, unreadable file, schema error
  kExitRegression = 3,  // a ratio fell past --max-regression
};

// A failure the command wants reported as one line on stderr with an exit code.
class CommandError : public std::runtime_error {
 public:
  explicit CommandError(const std::string& message, int exit_code = kExitUsage)
      : std::runtime_error(message), exit_code_(exit_code) {}
  int exit_code() const noexcept { return exit_code_; }

 private:
  int exit_code_;
};

// How a command picks its encoding: a built-in name, or a user's rank file.
struct EncodingFlags {
  std::string name = "cl100k_base";
  std::string file;         // --encoding-file
  std::string pattern;      // --pattern
  std::string pattern_of;   // --pattern-of NAME: a built-in's pattern and special tokens
  std::string sha256;       // --sha256

  void add_to(CLI::App* command);
  // A rank file larger than max_bytes is refused before it is read.
  std::shared_ptr<const Encoder> load(std::size_t max_bytes) const;
};

// The default of --max-input-bytes: input is held in memory whole, and a
// single pre-tokenizer piece costs about 26 bytes of working memory per byte,
// so the limit keeps the worst case in a few GiB (docs/CLI.md "Bad input").
constexpr std::size_t kDefaultMaxInputBytes = std::size_t{256} << 20;
// The largest --max-input-bytes: its worst case (about 14 GB) still fits the
// project's 24 GB machine.
constexpr std::size_t kMaxInputBytesLimit = std::size_t{512} << 20;

// Adds --max-input-bytes (a number, or with a unit: 64MiB, 1G; at most
// kMaxInputBytesLimit) to a command.
void add_max_input_option(CLI::App* command, std::size_t* max_bytes);

// The largest --scale: the ide workload grows with its square (its context
// and its requests both scale), so at 10 it is already 600 requests on a
// context of 430K tokens (docs/CLI.md "Bad input").
constexpr double kMaxScale = 10.0;

// Adds --scale (a finite number in (0, kMaxScale]) to a command.
void add_scale_option(CLI::App* command, double* scale);

// A CLI11 check that accepts a finite number in [low, high], or (low, high]
// with low_excluded. NaN and the infinities are refused.
CLI::Validator finite_number(double low, double high, bool low_excluded = false);

// All of FILE, or standard input for "-"; more than max_bytes is an error.
std::string read_input(const std::string& path, std::size_t max_bytes);

// Throws CommandError naming the byte offset of the first invalid UTF-8.
void require_utf8(std::string_view text);

// A replay file (docs/CLI.md "Replay format"), read as read_input() reads;
// a bad line throws workloads::WorkloadError.
workloads::Workload load_replay(const std::string& path, std::size_t max_bytes);

// Writes bytes to standard output; throws CommandError if the write fails.
void write_stdout(std::string_view bytes);

// Shows one line of progress on stderr, only when stderr is a terminal: over
// the last line, or with TERM=dumb (or no TERM) as a plain line of its own,
// without escape codes. An empty line clears it (and prints nothing when dumb).
void show_progress(const std::string& line);

// The steps of a long command, shown with show_progress() as
// "bench: step 3 of 16 (voice cl100k_base), about 40 s left": the time left
// is the mean time of the steps done so far times the steps still to do.
// Not thread-safe: one per command, on the thread that runs it.
class Progress {
 public:
  Progress(std::string command, std::size_t steps);
  ~Progress();  // clears the line

  // Starts the next step, named `what`.
  void step(const std::string& what);
  // Counts `steps` as done without showing them (work found to be empty).
  void skip(std::size_t steps) { started_ += steps; }

 private:
  std::string command_;
  std::size_t steps_;
  std::size_t started_ = 0;
  std::chrono::steady_clock::time_point start_;
};

// "about 40 s left", "about 3 min left": how a Progress line rounds the time left.
std::string time_left(double seconds);

}  // namespace flashtok::cli

#endif  // FLASHTOK_APPS_CLI_SUPPORT_H_
