// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_APPS_COMMANDS_COMMAND_H_
#define FLASHTOK_APPS_COMMANDS_COMMAND_H_

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>

namespace flashtok::cli {

// Every command has one shape, in a file of its own (commands/<name>_command.cc):
//   - an options struct, filled by CLI11 while parsing;
//   - register_<name>(CLI::App&, CommandRun*), which adds the subcommand and
//     its flags;
//   - a run(const Options&) that returns the exit code (cli_support.h).
// main() parses the command line, then calls the one command chosen. A
// command reports failure by returning a code, or by throwing CommandError,
// flashtok::Error or workloads::WorkloadError: main() turns an exception into
// one "flashtok: " line on stderr and its exit code, in one place.
using CommandRun = std::function<int()>;

// Makes `command`, when it is the one chosen, run `run(*options)` once the
// whole command line is parsed.
template <typename Options>
void run_when_chosen(CLI::App* command, std::shared_ptr<Options> options, int (*run)(const Options&),
                     CommandRun* chosen) {
  command->callback([=] { *chosen = [=] { return run(*options); }; });
}

void register_encode(CLI::App& app, CommandRun* chosen);
void register_count(CLI::App& app, CommandRun* chosen);
void register_decode(CLI::App& app, CommandRun* chosen);
void register_verify(CLI::App& app, CommandRun* chosen);
void register_bench(CLI::App& app, CommandRun* chosen);
void register_sweep(CLI::App& app, CommandRun* chosen);
void register_workloads(CLI::App& app, CommandRun* chosen);
void register_compare(CLI::App& app, CommandRun* chosen);
void register_plot(CLI::App& app, CommandRun* chosen);
void register_prefixes(CLI::App& app, CommandRun* chosen);

}  // namespace flashtok::cli

#endif  // FLASHTOK_APPS_COMMANDS_COMMAND_H_
