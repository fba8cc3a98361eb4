// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_APPS_INSTRUCTION_COUNT_H_
#define FLASHTOK_APPS_INSTRUCTION_COUNT_H_

#include <optional>
#include <string>

namespace flashtok::cli {

// `bench --metric instructions` counts the instructions of each measured
// region under valgrind's callgrind, as CodSpeed does: a count of identical
// code varies by well under 1% where wall time on a shared machine varies by
// 10-30%. bench starts itself again under callgrind with collection off
// (run_under_callgrind); inside, an InstructionCounter switches collection on
// around each region and reads the count from the dump callgrind writes when
// the region ends.

// Runs this very command line again under `valgrind --tool=callgrind` and
// returns its exit code; the dumps go to a temporary folder, removed after.
// Throws CommandError (exit 2) when valgrind is not on PATH or this flashtok
// was built without <valgrind/callgrind.h>.
int run_under_callgrind();

// Where run_under_callgrind() told this process to find callgrind's dumps;
// empty when it is not running under it. Throws CommandError when it runs
// under a valgrind it did not start (bench must start callgrind itself).
std::optional<std::string> callgrind_out_file();

// Counts instructions region by region, one callgrind dump per region. Not
// thread-safe: callgrind counts every thread while collection is on, so only
// one thread may run between start() and stop().
class InstructionCounter {
 public:
  explicit InstructionCounter(std::string out_file) : out_file_(std::move(out_file)) {}
  // Zeroes callgrind's counters and switches collection on.
  void start();
  // Switches collection off, dumps, and returns the instructions run since
  // start() (a constant ~20 of them are start()'s and stop()'s own).
  double stop();

 private:
  std::string out_file_;  // callgrind names its n-th dump out_file_.n
  int dumps_ = 0;
};

}  // namespace flashtok::cli

#endif  // FLASHTOK_APPS_INSTRUCTION_COUNT_H_
