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
#include "commands/command.h"
#include "flashtok/error.h"
#include "flashtok/version.h"
#include "flashtok/workloads/error.h"

namespace {

// Parses the command line and runs the command chosen; every error ends as
// one "flashtok: " line on stderr and its exit code (docs/CLI.md "Exit codes").
int run(CLI::App& app, const flashtok::cli::CommandRun& chosen, int argc, char** argv) {
  using namespace flashtok::cli;
  try {
    app.parse(argc, argv);
    return chosen ? chosen() : kExitOk;
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
  } catch (const flashtok::workloads::WorkloadError& e) {  // an unknown workload, a bad replay line
    std::fprintf(stderr, "flashtok: %s\n", e.what());
    return kExitUsage;
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
  CommandRun chosen;
  register_encode(app, &chosen);
  register_count(app, &chosen);
  register_decode(app, &chosen);
  register_verify(app, &chosen);
  register_bench(app, &chosen);
  register_sweep(app, &chosen);
  register_workloads(app, &chosen);
  register_compare(app, &chosen);
  register_plot(app, &chosen);
  register_prefixes(app, &chosen);
  return check_stdout(run(app, chosen, argc, argv));
}
