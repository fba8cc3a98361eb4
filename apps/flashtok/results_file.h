// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_APPS_RESULTS_FILE_H_
#define FLASHTOK_APPS_RESULTS_FILE_H_

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>

namespace flashtok::cli {

// A results.json written by this flashtok's schema version, read as
// read_input() reads. Throws CommandError (exit 2) naming the file when it
// cannot be read, is not JSON, or has another schema version.
nlohmann::json load_results(const std::string& path, std::size_t max_bytes);

// What names a run in comparisons and overlaid figures: its --label, else the
// name of the folder its results.json (at path) is in.
std::string run_label(const nlohmann::json& run, const std::string& path);

}  // namespace flashtok::cli

#endif  // FLASHTOK_APPS_RESULTS_FILE_H_
