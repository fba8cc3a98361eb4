// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "sweep_report.h"

#include <fmt/format.h>

#include "report.h"

namespace flashtok::cli {
namespace {

using nlohmann::json;

double speedup(const SizePoint& p) { return p.cached_us > 0 ? p.full_us / p.cached_us : 0.0; }

double share(std::size_t part, std::size_t whole) {
  return whole > 0 ? static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}

// "2.58%"; a share too small for two decimals is "<0.01%", never "0.00%":
// only a count of 0 reads as 0.
std::string percent(std::size_t part, std::size_t whole) {
  const double p = 100.0 * share(part, whole);
  return part > 0 && p < 0.005 ? "<0.01%" : fixed(p, 2) + "%";
}

std::string backtrack_markdown(const std::vector<BacktrackPoint>& points) {
  std::vector<std::vector<std::string>> table;
  for (const auto& p : points) {
    table.push_back({p.workload, p.encoding, p.backtrack, percent(p.mismatches, p.checks), fixed(p.mean_us, 1),
                     fixed(p.p99_us, 1), fixed(p.mean_rollback_tokens, 2), std::to_string(p.max_rollback_tokens),
                     fmt::format("{} / {}", p.mismatches, p.checks), percent(p.spoiled, p.checks)});
  }
  return "\n## backtrack_pieces\n\nAppends checked against a full encode after every turn. A wrong turn is an append "
         "that took the ids from right to wrong (the cache is then put right, untimed, so each turn is judged on "
         "its own); spoiled turns are the appends whose ids are wrong when nothing puts the cache right, as in a "
         "KV cache fed from it. Rollback is the ids taken back per append: the KV-cache entries to recompute.\n\n" +
         markdown_table({"workload", "encoding", "backtrack", "wrong turns", "mean us", "p99 us", "mean rollback",
                         "max rollback", "wrong / appends", "spoiled turns"},
                        table);
}

std::string capacity_markdown(const std::vector<CapacityPoint>& points) {
  std::vector<std::vector<std::string>> table;
  for (const auto& p : points) {
    table.push_back({p.workload, p.cache, p.encoding, std::to_string(p.capacity), fixed(100.0 * p.reuse, 1) + "%",
                     std::to_string(p.evictions),
                     fmt::format("{} ({}-{}x)", p.passes, fixed(p.speedup_low, 2), fixed(p.speedup_high, 2)),
                     fixed(p.speedup, 2) + "x"});
  }
  return "\n## Cache capacity\n\nCapacity is blocks for the shared prefix cache and sessions for the session "
         "cache; reuse is the hit rate (shared prefix) or the share of prompt bytes reused (sessions); speedup is "
         "total full-encode time over total cache time, the median of passes from a cold cache (the slowest and "
         "fastest pass beside it).\n\n" +
         markdown_table({"workload", "cache", "encoding", "capacity", "reuse", "evictions", "passes (range)", "speedup"},
                        table);
}

std::string sizes_markdown(const std::vector<SizePoint>& points) {
  std::vector<std::vector<std::string>> table;
  for (const SizePoint& p : points) {
    table.push_back({p.sweep, p.encoding, std::to_string(p.size) + (p.sweep == "suffix" ? " bytes" : " tokens"),
                     fixed(p.full_us, 1), fixed(p.cached_us, 2), fixed(speedup(p), 1) + "x"});
  }
  return "\n## Sizes\n\nMedian microseconds: a full encode of the whole text against the cache "
         "(fixed prefix: encode_tail with a 200-byte suffix; history: an append of about 100 bytes).\n\n" +
         markdown_table({"sweep", "encoding", "size", "full us", "cache us", "speedup"}, table);
}

}  // namespace

void add_sweep(const SweepMeasurement& m, json* results) {
  json backtrack = json::array(), capacity = json::array(), sizes = json::array(), ratios = json::object();
  for (const auto& p : m.backtrack) {
    backtrack.push_back({{"workload", p.workload}, {"encoding", p.encoding}, {"backtrack", p.backtrack},
                         {"checks", p.checks}, {"mismatches", p.mismatches},
                         {"mismatch_rate", share(p.mismatches, p.checks)}, {"spoiled", p.spoiled},
                         {"spoiled_rate", share(p.spoiled, p.checks)},
                         {"mean_us", p.mean_us}, {"p99_us", p.p99_us},
                         {"mean_rollback_tokens", p.mean_rollback_tokens},
                         {"max_rollback_tokens", p.max_rollback_tokens}});
  }
  for (const auto& p : m.capacity) {
    capacity.push_back({{"workload", p.workload}, {"cache", p.cache}, {"encoding", p.encoding},
                        {"capacity", p.capacity}, {"reuse", p.reuse}, {"evictions", p.evictions},
                        {"speedup", p.speedup}, {"speedup_low", p.speedup_low},
                        {"speedup_high", p.speedup_high}, {"passes", p.passes}});
  }
  for (const SizePoint& p : m.sizes) {
    sizes.push_back({{"sweep", p.sweep}, {"encoding", p.encoding}, {"size", p.size}, {"full_us", p.full_us},
                     {"cached_us", p.cached_us}, {"speedup", speedup(p)}});
    ratios[fmt::format("sweep/{}/{}/{}/speedup", p.sweep, p.size, p.encoding)] = speedup(p);
  }
  (*results)["backtrack"] = backtrack;
  (*results)["capacity"] = capacity;
  (*results)["sizes"] = sizes;
  (*results)["ratios"] = ratios;
}

std::string sweep_markdown(const SweepMeasurement& m, const json& results) {
  std::string md = "# flashtok sweep\n\n";
  md += fmt::format("{} ({} cores), {} build.\n", results["machine"]["cpu"].get<std::string>(),
                    results["machine"]["cores"].get<int>(), results["build"]["build_type"].get<std::string>());
  return md + backtrack_markdown(m.backtrack) + capacity_markdown(m.capacity) + sizes_markdown(m.sizes);
}

}  // namespace flashtok::cli
