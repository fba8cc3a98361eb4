// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "instruction_count.h"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>

#ifdef FLASHTOK_HAVE_CALLGRIND_H
#include <valgrind/callgrind.h>
#endif

#include "cli_support.h"

extern char** environ;

namespace flashtok::cli {
namespace {

// The variable through which the parent names the dump file to the child.
constexpr const char* kOutFileVariable = "FLASHTOK_CALLGRIND_OUT";

bool running_on_valgrind() {
#ifdef FLASHTOK_HAVE_CALLGRIND_H
  return RUNNING_ON_VALGRIND != 0;
#else
  return false;
#endif
}

// This process's command line, with argv[0] replaced by the executable's
// own path so that valgrind runs this very binary.
std::vector<std::string> own_command_line() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::vector<std::string> args;
  for (std::string arg; std::getline(in, arg, '\0');) args.push_back(arg);
  if (args.empty()) throw CommandError("--metric instructions: cannot read /proc/self/cmdline");
  args[0] = std::filesystem::read_symlink("/proc/self/exe").string();
  return args;
}

// "summary: 123456" in the head of a callgrind dump.
double summary_of(const std::string& path) {
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("summary:", 0) == 0) return std::strtod(line.c_str() + 8, nullptr);
  }
  throw CommandError("--metric instructions: callgrind wrote no count to " + path);
}

}  // namespace

int run_under_callgrind() {
#ifndef FLASHTOK_HAVE_CALLGRIND_H
  throw CommandError("--metric instructions: this flashtok was built without <valgrind/callgrind.h> "
                     "(Debian: apt-get install valgrind, then build again)");
#endif
  std::string dir = (std::filesystem::temp_directory_path() / "flashtok-callgrind-XXXXXX").string();
  if (!::mkdtemp(dir.data())) throw CommandError("--metric instructions: cannot create a folder in " + dir);
  const std::string out_file = dir + "/callgrind.out";
  std::vector<std::string> args = {"valgrind", "--quiet", "--tool=callgrind", "--collect-atstart=no",
                                   "--callgrind-out-file=" + out_file};
  for (const auto& arg : own_command_line()) args.push_back(arg);
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  ::setenv(kOutFileVariable, out_file.c_str(), 1);
  pid_t child = 0;
  const int spawned = ::posix_spawnp(&child, "valgrind", nullptr, nullptr, argv.data(), environ);
  int status = 0;
  if (spawned == 0) ::waitpid(child, &status, 0);
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  if (spawned != 0) {
    throw CommandError("--metric instructions counts under valgrind's callgrind, and valgrind is not on PATH "
                       "(Debian: apt-get install valgrind)");
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : kExitUsage;
}

std::optional<std::string> callgrind_out_file() {
  if (!running_on_valgrind()) return std::nullopt;
  const char* out_file = std::getenv(kOutFileVariable);
  if (!out_file) {
    throw CommandError("--metric instructions starts callgrind itself: run flashtok without valgrind");
  }
  return std::string(out_file);
}

void InstructionCounter::start() {
#ifdef FLASHTOK_HAVE_CALLGRIND_H
  CALLGRIND_ZERO_STATS;
  CALLGRIND_TOGGLE_COLLECT;
#endif
}

double InstructionCounter::stop() {
#ifdef FLASHTOK_HAVE_CALLGRIND_H
  CALLGRIND_TOGGLE_COLLECT;
  CALLGRIND_DUMP_STATS;
#endif
  const std::string dump = out_file_ + "." + std::to_string(++dumps_);
  const double instructions = summary_of(dump);
  std::filesystem::remove(dump);
  return instructions;
}

}  // namespace flashtok::cli
