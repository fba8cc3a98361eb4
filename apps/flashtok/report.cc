// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "report.h"

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <fstream>
#include <numeric>
#include <random>
#include <thread>

#include "cli_support.h"
#include "common/io.h"
#include "flashtok/version.h"

#ifndef FLASHTOK_BUILD_TYPE
#define FLASHTOK_BUILD_TYPE "unknown"
#endif
#ifndef FLASHTOK_COMPILER
#define FLASHTOK_COMPILER __VERSION__
#endif
#ifndef FLASHTOK_CXX_FLAGS
#define FLASHTOK_CXX_FLAGS ""
#endif

namespace flashtok::cli {
namespace {

std::string first_line_with(const char* path, const std::string& key) {
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(key, 0) == 0) {
      const std::size_t colon = line.find(':');
      std::string value = colon == std::string::npos ? line : line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(" \t"));
      return value;
    }
  }
  return "unknown";
}

std::string utc(std::time_t when, const char* format) {
  char buffer[32];
  std::strftime(buffer, sizeof buffer, format, std::gmtime(&when));
  return buffer;
}

// Unique per run: the start time, the process and a random number (two runs
// may start in the same second, and pids are reused).
std::string new_run_id(std::time_t started) {
  std::random_device random;
  return fmt::format("{}-{}-{:04x}", utc(started, "%Y%m%dT%H%M%SZ"), ::getpid(), random() & 0xFFFF);
}

// The summary with the run id under its title, to pair it with its results.json.
std::string with_run_id(const std::string& md, const std::string& run_id) {
  const std::string line = "Run `" + run_id + "` (the `run_id` of results.json beside this file).\n\n";
  const std::size_t title_end = md.find("\n\n");
  if (title_end == std::string::npos) return line + md;
  return md.substr(0, title_end + 2) + line + md.substr(title_end + 2);
}

// null without --replay, the file with one (as before --replay was
// repeatable), the list with several.
nlohmann::json replay_parameter(const std::vector<std::string>& files) {
  if (files.empty()) return nullptr;
  if (files.size() == 1) return files[0];
  return files;
}

}  // namespace

void make_report_dir(const std::string& path) {
  std::string partial;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t slash = path.find('/', start);
    partial = path.substr(0, slash);
    start = slash == std::string::npos ? path.size() + 1 : slash + 1;
    if (partial.empty()) continue;
    struct stat info {};
    if (::stat(partial.c_str(), &info) == 0) {
      if (!S_ISDIR(info.st_mode)) throw CommandError(partial + ": exists and is not a folder");
      continue;
    }
    if (::mkdir(partial.c_str(), 0755) != 0 && errno != EEXIST) {
      throw CommandError(partial + ": cannot create folder: " + std::strerror(errno));
    }
  }
}

nlohmann::json machine_info() {
  utsname u{};
  ::uname(&u);
  const std::string mem = first_line_with("/proc/meminfo", "MemTotal");
  return {{"cpu", first_line_with("/proc/cpuinfo", "model name")},
          {"cores", std::thread::hardware_concurrency()},
          {"memory", mem},
          {"os", std::string(u.sysname) + " " + u.release + " " + u.machine}};
}

nlohmann::json build_info() {
  return {{"flashtok_version", flashtok::version()},
          {"compiler", FLASHTOK_COMPILER},
          {"build_type", FLASHTOK_BUILD_TYPE},
          {"cxx_flags", FLASHTOK_CXX_FLAGS}};
}

nlohmann::json new_results(const MeasureOptions& o) {
  const std::time_t now = std::time(nullptr);
  nlohmann::json results = {{"schema_version", kSchemaVersion},
          {"command", o.command},
          {"run_id", new_run_id(now)},
          {"started_at", utc(now, "%Y-%m-%dT%H:%M:%SZ")},
          {"parameters",
           {{"encodings", o.encodings},
            {"workloads", o.replay.empty() ? nlohmann::json(o.workloads) : nlohmann::json::array()},
            {"replay", replay_parameter(o.replay)},
            {"seed", o.seed},
            {"scale", o.scale},
            {"quick", o.quick},
            {"backtrack_pieces", o.backtrack}}},
          {"machine", machine_info()},
          {"build", build_info()}};
  if (!o.label.empty()) results["label"] = o.label;
  return results;
}

void write_report(const MeasureOptions& options, const nlohmann::json& results, const std::string& summary_md,
                  StagedFiles* staged) {
  const std::string dir = options.out_dir();
  make_report_dir(dir);
  // Invalid UTF-8 in an excerpt must not abort the dump: replace it.
  const std::string json = results.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  try {
    staged->write(dir + "/summary.md", with_run_id(summary_md, results.at("run_id").get<std::string>()));
    staged->write(dir + "/results.json", json);  // last: it commits the run
  } catch (const Error& e) {
    throw CommandError(std::string("cannot write the report: ") + e.what());
  }
  staged->commit();
  if (options.json) write_stdout(json);  // before any other line on stderr: a failure is exit 2's one line
}

Summary summarize(std::vector<double> samples) {
  Summary s;
  if (samples.empty()) return s;
  std::sort(samples.begin(), samples.end());
  auto at = [&samples](double q) {  // nearest rank
    const std::size_t rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(samples.size())));
    return samples[std::min(samples.size() - 1, rank == 0 ? 0 : rank - 1)];
  };
  s.p50 = at(0.50);
  s.p95 = at(0.95);
  s.p99 = at(0.99);
  s.total = std::accumulate(samples.begin(), samples.end(), 0.0);
  s.mean = s.total / static_cast<double>(samples.size());
  s.max = samples.back();
  return s;
}

double peak_rss_mb() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // Linux reports KB
}

std::string fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

std::string markdown_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
  std::string out = "|";
  for (const auto& h : header) out += " " + h + " |";
  out += "\n|";
  for (std::size_t i = 0; i < header.size(); ++i) out += "---|";
  out += "\n";
  for (const auto& row : rows) {
    out += "|";
    for (const auto& cell : row) out += " " + cell + " |";
    out += "\n";
  }
  return out;
}

}  // namespace flashtok::cli
