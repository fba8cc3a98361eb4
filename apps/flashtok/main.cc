// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// flashtok: an exact tiktoken-compatible tokenizer with prefix caches.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <exception>
#include <new>
#include <string>

#include "cli_support.h"
#include "commands.h"
#include "flashtok/error.h"
#include "flashtok/version.h"

int main(int argc, char** argv) {
  using namespace flashtok::cli;
  CLI::App app{"flashtok: exact tiktoken-compatible tokenization with prefix caches"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("flashtok ") + flashtok::version());
  add_encode_commands(app);
  add_verify_command(app);
  add_bench_command(app);
  add_sweep_command(app);
  add_workload_commands(app);
  add_plot_command(app);
  add_prefixes_command(app);
  try {
    app.parse(argc, argv);
    return kExitOk;
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help, --version
  } catch (const CLI::ParseError& e) {
    // CLI11's own codes differ per error kind; the contract is 2 for all of them.
    std::fprintf(stderr, "flashtok: %s\n", e.what());
    return kExitUsage;
  } catch (const CommandError& e) {
    std::fprintf(stderr, "flashtok: %s\n", e.what());
    return e.exit_code();
  } catch (const flashtok::Error& e) {
    std::fprintf(stderr, "flashtok: %s\n", e.what());
    return kExitUsage;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "flashtok: out of memory\n");
    return kExitUsage;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "flashtok: %s\n", e.what());
    return kExitUsage;
  }
}
