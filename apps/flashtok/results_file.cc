// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "results_file.h"

#include "cli_support.h"
#include "report.h"

namespace flashtok::cli {

nlohmann::json load_results(const std::string& path, std::size_t max_bytes) {
  const std::string content = read_input(path, max_bytes);
  nlohmann::json results;
  try {
    results = nlohmann::json::parse(content);
  } catch (const nlohmann::json::exception& e) {
    throw CommandError(path + ": not valid JSON: " + e.what());
  }
  if (!results.is_object() || !results.contains("schema_version")) throw CommandError(path + ": no schema_version");
  if (results.at("schema_version") != kSchemaVersion) {
    throw CommandError(path + ": schema_version " + results.at("schema_version").dump() + ", but this flashtok reads " +
                       std::to_string(kSchemaVersion));
  }
  return results;
}

std::string run_label(const nlohmann::json& run, const std::string& path) {
  if (run.contains("label") && run.at("label").is_string()) return run.at("label").get<std::string>();
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos || slash == 0) return path;
  const std::size_t start = path.rfind('/', slash - 1);
  return path.substr(start == std::string::npos ? 0 : start + 1, slash - (start == std::string::npos ? 0 : start + 1));
}

}  // namespace flashtok::cli
