// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "verify_report.h"

#include <fmt/format.h>

#include "report.h"

namespace flashtok::cli {
namespace {

using nlohmann::json;

json to_json(const Mismatch& m) {
  json out = {{"workload", m.workload}, {"encoding", m.encoding}, {"cache", m.cache},
              {"token_index", m.token_index}, {"byte_offset", m.byte_offset}, {"excerpt", m.excerpt},
              {"expected", m.expected}, {"got", m.got}};
  if (m.request) {
    out["request"] = *m.request;
    out["session"] = m.session;
  }
  return out;
}

}  // namespace

void add_verification(const Verification& v, json* results) {
  json rows = json::array(), first = json::array();
  for (const auto& c : v.caches) {
    rows.push_back({{"workload", c.workload}, {"encoding", c.encoding}, {"cache", c.cache}, {"checks", c.checks},
                    {"mismatches", c.mismatches}});
  }
  for (const auto& m : v.first_mismatches) first.push_back(to_json(m));
  (*results)["mismatches"] = v.mismatches();
  (*results)["checks"] = v.checks();
  (*results)["golden"] = {{"checks", v.golden_checks()}, {"mismatches", v.golden_mismatches()}};
  (*results)["results"] = rows;
  (*results)["first_mismatches"] = first;
}

std::string verification_markdown(const Verification& v, const std::string& backtrack) {
  std::string md = "# flashtok verify\n\n";
  md += fmt::format("**{} mismatches** in {} checks (backtrack_pieces = {}).\n\n", v.mismatches(), v.checks(),
                    backtrack);
  md += fmt::format("Encoder vs tiktoken's golden ids: {} texts checked, {} mismatches.\n\n", v.golden_checks(),
                    v.golden_mismatches());
  std::vector<std::vector<std::string>> table;
  for (const auto& c : v.caches) {
    table.push_back({c.workload, c.encoding, c.cache, std::to_string(c.checks), std::to_string(c.mismatches)});
  }
  md += markdown_table({"workload", "encoding", "cache", "checks", "mismatches"}, table);
  if (!v.first_mismatches.empty()) {
    md += "\n## First mismatches\n\n";
    for (const auto& m : v.first_mismatches) {
      md += fmt::format("- {} / {} / {}: request {}, token {}, byte {}\n", m.workload, m.encoding, m.cache,
                        m.request.value_or(0), m.token_index, m.byte_offset);
    }
  }
  return md;
}

}  // namespace flashtok::cli
