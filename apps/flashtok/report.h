// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_APPS_REPORT_H_
#define FLASHTOK_APPS_REPORT_H_

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "measure_options.h"
#include "staged_files.h"

namespace flashtok::cli {

// The results.json schema version (docs/CLI.md "results.json"). Bump it whenever a
// field changes meaning or is removed; plot and the gate refuse other versions.
inline constexpr int kSchemaVersion = 1;

// A results document with its header filled in: schema version, command,
// a new run id, start time, parameters, machine and build.
nlohmann::json new_results(const MeasureOptions& options);

// Writes results.json and summary.md (its run id under the title) into
// options.out_dir() (created if missing), and puts them in place with the
// files already staged (figures): all are written under temporary names
// first, then renamed, results.json last. So a reader never sees half a file,
// a failure (full disk, unwritable folder) changes nothing, and a results.json
// in place has its own summary.md and figures beside it unless a later run
// was killed while renaming (then summary.md names another run_id). Prints
// the JSON to stdout with --json. Throws CommandError (exit 2) on failure.
void write_report(const MeasureOptions& options, const nlohmann::json& results, const std::string& summary_md,
                  StagedFiles* staged);

// mkdir -p; throws CommandError naming the part that failed.
void make_report_dir(const std::string& path);

// The machine and build a measurement ran on.
nlohmann::json machine_info();
nlohmann::json build_info();

// Percentiles and means of a set of samples.
struct Summary {
  double p50 = 0, p95 = 0, p99 = 0, mean = 0, total = 0, max = 0;
};
Summary summarize(std::vector<double> samples);

// Peak resident set size of this process so far, in MB.
double peak_rss_mb();

// A Markdown table from a header row and rows of cells.
std::string markdown_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);
std::string fixed(double value, int decimals);

}  // namespace flashtok::cli

#endif  // FLASHTOK_APPS_REPORT_H_
