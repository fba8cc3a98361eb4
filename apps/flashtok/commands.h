// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_APPS_COMMANDS_H_
#define FLASHTOK_APPS_COMMANDS_H_

#include <CLI/CLI.hpp>

namespace flashtok::cli {

// Each registers its subcommands on the flashtok app; errors are thrown as
// CommandError or flashtok::Error and turned into exit codes by main().
void add_encode_commands(CLI::App& app);
void add_verify_command(CLI::App& app);
void add_bench_command(CLI::App& app);
void add_sweep_command(CLI::App& app);
void add_workload_commands(CLI::App& app);
void add_plot_command(CLI::App& app);
void add_prefixes_command(CLI::App& app);

}  // namespace flashtok::cli

#endif  // FLASHTOK_APPS_COMMANDS_H_
