// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// flashtok: an exact tiktoken-compatible tokenizer with prefix caches.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <new>
#include <sstream>
#include <string>

#include "cli_support.h"
#include "commands.h"
#include "flashtok/error.h"
#include "flashtok/version.h"

namespace {

// Runs the command line; every error ends as one "flashtok: " line on stderr.
int run(CLI::App& app, int argc, char** argv) {
  using namespace flashtok::cli;
  try {
    app.parse(argc, argv);
    return kExitOk;
  } catch (const CLI::Success& e) {  // --help, --version
    // Through stdio, not std::cout's flush: a write error then shows at exit
    // with its reason.
    std::ostringstream text;
    const int code = app.exit(e, text, text);
    std::fputs(text.str().c_str(), stdout);
    return code;
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

// Output that never reached standard output (a full disk, /dev/full) is an
// error, whatever wrote it: --help, --json, ids. Buffered output is only
// written here, at exit, so this is where a failure shows.
int check_stdout(int code) {
  using namespace flashtok::cli;
  const bool failed_earlier = std::ferror(stdout) != 0;  // errno no longer says why
  if (!failed_earlier && std::fflush(stdout) == 0) return code;
  if (code == kExitUsage) return code;  // its one line is already on stderr
  std::fprintf(stderr, "flashtok: cannot write standard output: %s\n", failed_earlier ? "write error" : std::strerror(errno));
  return code == kExitOk ? kExitUsage : code;
}

}  // namespace

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
  return check_stdout(run(app, argc, argv));
}
