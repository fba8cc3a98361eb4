// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "bench_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "report.h"
#include "text_table.h"

namespace flashtok::cli {
namespace {

using nlohmann::json;

bool counts_instructions(const json& results) {
  return results.at("parameters").value("metric", std::string("wall")) == "instructions";
}

// One method (the full encode or the cache) over a group's requests.
json method_json(const std::vector<double>& wall_us, double setup_us, double cpu_us, double bytes) {
  const Summary s = summarize(wall_us);
  const double total = s.total + setup_us;  // a prebuild counts in the total
  return {{"p50_us", s.p50}, {"p95_us", s.p95}, {"p99_us", s.p99}, {"mean_us", s.mean}, {"max_us", s.max},
          {"total_ms", total / 1e3}, {"cpu_ms", cpu_us / 1e3},
          {"mb_per_s", total > 0 ? bytes / total : 0.0}};  // bytes per microsecond = MB/s
}

// The speedups of each measured pass, total (with the pass's own prebuild:
// one prebuild slowed by a busy neighbour must not lower every pass) and p50 (the pass's median full encode over its median cache
// request): their spread says how far one figure can be trusted, and the
// gate's U test compares them pass by pass.
struct PassSpeedups {
  std::vector<double> total, p50;
};

PassSpeedups pass_speedups(const GroupMeasurement& g) {
  PassSpeedups speedups;
  const std::size_t n = g.requests_per_pass;
  if (n == 0) return speedups;
  const std::size_t passes = g.samples.size() / n;
  for (std::size_t p = 0; p < passes; ++p) {
    double full = 0, cached = p < g.pass_setup_us.size() ? g.pass_setup_us[p] : 0.0;
    std::vector<double> full_us, cached_us;
    for (std::size_t i = p * n; i < (p + 1) * n; ++i) {
      full_us.push_back(g.samples[i].full_us);
      cached_us.push_back(g.samples[i].cached_us);
      full += g.samples[i].full_us;
      cached += g.samples[i].cached_us;
    }
    const double cached_p50 = summarize(cached_us).p50;
    speedups.total.push_back(cached > 0 ? full / cached : 0.0);
    speedups.p50.push_back(cached_p50 > 0 ? summarize(full_us).p50 / cached_p50 : 0.0);
  }
  return speedups;
}

// A session cache's prompt updates alone (a full prompt again, after the
// session's first request): the edit path, without the first request (a
// full encode) nor the output appends between prompts, which the group's
// figures mix in. Null when the group has none.
json prompt_updates_json(const GroupMeasurement& g) {
  std::vector<double> full_us, cached_us;
  double full_cpu = 0, cached_cpu = 0;
  for (const RequestSample& s : g.samples) {
    if (!s.prompt_update) continue;
    full_us.push_back(s.full_us);
    cached_us.push_back(s.cached_us);
    full_cpu += s.full_cpu_us;
    cached_cpu += s.cached_cpu_us;
  }
  if (full_us.empty()) return nullptr;
  const Summary full = summarize(full_us), cached = summarize(cached_us);
  const auto ratio = [](double a, double b) { return b > 0 ? a / b : 0.0; };
  return {{"requests", full_us.size()}, {"full_p50_us", full.p50}, {"cached_p50_us", cached.p50},
          {"cached_p99_us", cached.p99},
          {"speedup", {{"total", ratio(full.total, cached.total)}, {"p50", ratio(full.p50, cached.p50)},
                       {"cpu", ratio(full_cpu, cached_cpu)}}}};
}

json group_json(const GroupMeasurement& g) {
  std::vector<double> full_us, cached_us;
  double full_cpu = 0, cached_cpu = g.setup_cpu_us, bytes = 0, rollback = 0, reencoded = 0, changed = 0;
  for (const RequestSample& s : g.samples) {
    full_us.push_back(s.full_us);
    cached_us.push_back(s.cached_us);
    full_cpu += s.full_cpu_us;
    cached_cpu += s.cached_cpu_us;
    bytes += static_cast<double>(s.bytes);
    rollback += static_cast<double>(s.rollback_tokens);
    reencoded += static_cast<double>(s.reencoded_tokens);
    changed += static_cast<double>(s.changed_tokens);
  }
  const double requests = static_cast<double>(std::max<std::size_t>(g.samples.size(), 1));
  const json full = method_json(full_us, 0, full_cpu, bytes);
  const json cached = method_json(cached_us, g.setup_us, cached_cpu, bytes);
  auto ratio = [&](const char* field) {
    const double c = cached.at(field).get<double>();
    return c > 0 ? full.at(field).get<double>() / c : 0.0;
  };
  const PassSpeedups passes = pass_speedups(g);
  const json speedup = {{"total", ratio("total_ms")}, {"p50", ratio("p50_us")}, {"p99", ratio("p99_us")},
                        {"cpu", ratio("cpu_ms")}, {"passes", passes.total}, {"passes_p50", passes.p50}};
  return {{"workload", g.workload}, {"encoding", g.encoding}, {"cache", g.cache}, {"requests", g.requests_per_pass},
          {"full", full}, {"cached", cached}, {"speedup", speedup},
          {"mean_rollback_tokens", rollback / requests}, {"mean_reencoded_tokens", reencoded / requests},
          {"mean_changed_tokens", changed / requests},
          {"cache_stats", g.cache_stats.is_null() ? json::object() : g.cache_stats},
          {"prompt_updates", prompt_updates_json(g)}};
}

// "- edits cl100k_base session: 24.9x in total, 26.6x p50, 24.6x by CPU time
// (207 prompt updates measured, cache p50 23.4 µs, p99 35.3 µs)", one line
// per group with prompt updates.
std::string prompt_update_lines(const json& results, const std::string& unit) {
  const bool instructions = counts_instructions(results);  // then the CPU column counts them too
  std::string lines;
  for (const auto& row : results.at("results")) {
    const json& u = row.value("prompt_updates", json());
    if (u.is_null()) continue;
    const json& x = u.at("speedup");
    const std::string cpu = instructions ? "" : ", " + fixed(x.at("cpu"), 1) + "x by CPU time";
    lines += fmt::format("- {} {} {}: {}x in total, {}x p50{} ({} prompt updates measured, cache p50 {}{}, p99 {}{})\n",
                         row.at("workload").get<std::string>(), row.at("encoding").get<std::string>(),
                         row.at("cache").get<std::string>(), fixed(x.at("total"), 1), fixed(x.at("p50"), 1), cpu,
                         u.at("requests").get<std::size_t>(), fixed(u.at("cached_p50_us"), 1), unit,
                         fixed(u.at("cached_p99_us"), 1), unit);
  }
  return lines;
}

json series_json(const TurnSeries& t) {
  std::vector<double> history, full_us, cached_us, full_cpu, cached_cpu;
  for (const RequestSample& s : t.turns) {
    history.push_back(static_cast<double>(s.history_tokens));
    full_us.push_back(s.full_us);
    cached_us.push_back(s.cached_us);
    full_cpu.push_back(s.full_cpu_us);
    cached_cpu.push_back(s.cached_cpu_us);
  }
  return {{"workload", t.workload}, {"encoding", t.encoding}, {"cache", t.cache}, {"session", t.session},
          {"of_sessions", t.of_sessions}, {"history_tokens", history},
          {"full_us", full_us}, {"cached_us", cached_us}, {"full_cpu_us", full_cpu}, {"cached_cpu_us", cached_cpu}};
}

// Why a shared prefix cache never hit, if it did not: "" otherwise.
std::string no_hit_reason(const json& stats) {
  const auto count = [&stats](const char* key) { return stats.value(key, std::uint64_t{0}); };
  if (count("hits") != 0 || count("lookups") == 0) return "";
  if (count("short_texts") == count("lookups")) return " (texts shorter than one block: try a smaller --block-bytes)";
  return " (no block seen twice)";
}

// "hit rate 93%" or "reused 98% of bytes" for the summary table.
std::string reuse_note(const json& stats) {
  if (stats.contains("hit_rate")) {
    return "hit rate " + fixed(100.0 * stats.at("hit_rate").get<double>(), 0) + "%" + no_hit_reason(stats);
  }
  if (stats.contains("reuse_ratio")) return "reused " + fixed(100.0 * stats.at("reuse_ratio").get<double>(), 0) + "% of bytes";
  return "";
}

// "412.0 / 3.1": per request, the ids from the first changed one on (what a
// KV cache recomputes) and, of those, the new ids that differ from the old
// ones; empty for caches that keep no token list.
std::string ids_note(const json& row) {
  const double reencoded = row.value("mean_reencoded_tokens", 0.0), changed = row.value("mean_changed_tokens", 0.0);
  if (reencoded == 0 && changed == 0) return "";
  return fixed(reencoded, 1) + " / " + fixed(changed, 1);
}

// A speedup the gate compares: the median of its passes (`passes_field`),
// so that one pass hit by a stall (a 12 ms preemption in a 5 µs request) does
// not read as a regression; without passes (one pass, or a report written
// before p50 had per-pass values), the figure over all requests (`field`).
double gated_speedup(const json& speedup, const char* field, const char* passes_field) {
  std::vector<double> passes = speedup.value(passes_field, std::vector<double>{});
  if (passes.empty()) return speedup.at(field).get<double>();
  std::sort(passes.begin(), passes.end());
  const std::size_t n = passes.size();
  return n % 2 ? passes[n / 2] : (passes[n / 2 - 1] + passes[n / 2]) / 2;
}

struct Spread {
  double mean = 0, stddev = 0;
  std::size_t n = 0;
  bool noisy() const { return n >= 2 && mean > 0 && stddev / mean > kNoisySpread; }
};

Spread spread_of(const std::vector<double>& values) {
  Spread s;
  s.n = values.size();
  if (s.n == 0) return s;
  s.mean = std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(s.n);
  if (s.n < 2) return s;
  double squares = 0;
  for (const double v : values) squares += (v - s.mean) * (v - s.mean);
  s.stddev = std::sqrt(squares / static_cast<double>(s.n - 1));
  return s;
}

// The encoder's throughput table, each row with its corpus and the memo's
// hit rate on it, and what the generated text's rows do not tell.
std::string throughput_markdown(const json& rows) {
  std::vector<std::vector<std::string>> table;
  std::vector<std::string> sources;
  bool synthetic = false;
  auto percent = [](const json& rate) { return rate.is_number() ? fixed(100 * rate.get<double>(), 0) + "%" : "-"; };
  for (const auto& row : rows) {
    // Reports written before 2026-12-07 timed generated text only, and did not say so.
    const std::string corpus = row.value("corpus", "synthetic");
    const json& one_pass = row.value("one_pass_mb_per_s", json());  // not in reports before 2026-12-07 evening
    table.push_back({row.at("encoding"), row.at("kind"), corpus,
                     one_pass.is_number() ? fixed(one_pass.get<double>(), 1) : "-",
                     percent(row.value("one_pass_memo_hit_rate", json())), fixed(row.at("mb_per_s"), 1),
                     percent(row.value("memo_hit_rate", json()))});
    synthetic = synthetic || corpus == "synthetic";
    const std::string source = row.value("source", "");
    if (!source.empty() && std::find(sources.begin(), sources.end(), source) == sources.end()) {
      sources.push_back(source);
    }
  }
  std::string md = "\n## Full encoder throughput\n\nOne thread, MB/s. **One pass**: the median of five encodes of "
                   "each text, each on a new thread whose piece memo starts empty: the text met once, as a server "
                   "meets a request. **Repeated**: the median of five encodes one after another on one thread, "
                   "each starting with the memo the last one left, which holds the text's rare words too. Memo: of "
                   "the pieces that are no token of their own, the share the piece memo held when the encode "
                   "reached them.";
  if (synthetic) {
    md += " **Synthetic** rows are text generated from flashtok's own word lists: the memo holds nearly every "
          "piece, which real text does not allow, so they overstate what real text of the same kind gets. Time "
          "real text with `--corpus DIR` (`workloads/corpus/build_corpus.sh DIR` builds one).";
  }
  md += "\n\n" + markdown_table(
                    {"encoding", "text", "corpus", "MB/s one pass", "memo", "MB/s repeated", "memo repeated"}, table);
  if (!sources.empty()) {
    md += "\nTexts: ";
    for (std::size_t i = 0; i < sources.size(); ++i) md += (i ? "; " : "") + sources[i];
    md += ".\n";
  }
  return md;
}

std::string speedup_cell(const Spread& s) {
  return s.n >= 2 ? fixed(s.mean, 1) + "x ± " + fixed(s.stddev, 1) : fixed(s.mean, 1) + "x";
}

}  // namespace

void add_bench(const BenchMeasurement& m, json* results) {
  json rows = json::array(), series = json::array(), throughput = json::array(), ratios = json::object();
  for (const auto& g : m.groups) {
    const json row = group_json(g);
    const std::string key = g.workload + "/" + g.cache + "/" + g.encoding + "/";
    ratios[key + "speedup_total"] = gated_speedup(row["speedup"], "total", "passes");
    ratios[key + "speedup_p50"] = gated_speedup(row["speedup"], "p50", "passes_p50");
    rows.push_back(row);
  }
  for (const auto& t : m.series) series.push_back(series_json(t));
  for (const auto& t : m.throughput) {
    auto hit_rate = [](const Encoder::MemoUse& use) {
      return use.merged > 0 ? json(use.hit_rate()) : json();  // nothing merged: no rate
    };
    throughput.push_back({{"encoding", t.encoding}, {"kind", t.kind}, {"corpus", t.corpus}, {"source", t.source},
                          {"bytes", t.bytes}, {"tokens", t.tokens}, {"mb_per_s", t.mb_per_s},
                          {"pieces", t.memo.pieces}, {"merged_pieces", t.memo.merged},
                          {"memo_hit_rate", hit_rate(t.memo)}, {"one_pass_mb_per_s", t.one_pass_mb_per_s},
                          {"one_pass_memo_hit_rate", hit_rate(t.one_pass_memo)}});
  }
  (*results)["load_ms"] = m.load_ms;
  (*results)["peak_rss_mb"] = m.peak_rss_mb;
  (*results)["results"] = rows;
  (*results)["series"] = series;
  (*results)["encoder_throughput"] = throughput;
  (*results)["ratios"] = ratios;
}

std::string bench_markdown(const json& results) {
  const json& p = results.at("parameters");
  std::string md = "# flashtok bench\n\n";
  md += fmt::format("{} on {} ({} cores), {} build, {}. {}; repeat {}, threads {}.\n\n",
                    results["machine"]["cpu"].get<std::string>(), results["machine"]["os"].get<std::string>(),
                    results["machine"]["cores"].get<int>(), results["build"]["build_type"].get<std::string>(),
                    p.at("quick").get<bool>() ? "quick" : "full size",
                    counts_instructions(results)
                        ? "Instructions per request, counted by callgrind (--metric instructions; CPU columns in "
                          "thousands of instructions)"
                        : "Latencies per request in microseconds",
                    p.at("repeat").get<int>(),
                    p.at("threads").get<int>());
  std::vector<std::vector<std::string>> table;
  for (const auto& row : results.at("results")) {
    const json &full = row.at("full"), &cached = row.at("cached");
    table.push_back({row.at("workload"), row.at("encoding"), row.at("cache"), fixed(full.at("p50_us"), 1),
                     fixed(full.at("p99_us"), 1), fixed(cached.at("p50_us"), 1), fixed(cached.at("p99_us"), 1),
                     fixed(full.at("cpu_ms"), 1) + " / " + fixed(cached.at("cpu_ms"), 1),
                     fixed(row.at("speedup").at("total"), 1) + "x", reuse_note(row.at("cache_stats")),
                     ids_note(row)});
  }
  md += markdown_table({"workload", "encoding", "cache", "full p50", "full p99", "cache p50", "cache p99",
                        "CPU ms full / cache", "speedup", "reuse", "ids re-encoded / differing"},
                       table);
  const std::string updates = prompt_update_lines(results, counts_instructions(results) ? " instructions" : " µs");
  if (!updates.empty()) {
    md += "\n## Prompt updates alone\n\nA session's full prompt again after its first request (an extension or an "
          "edit of its text), without the first request (a full encode) and the output appends that the rows above "
          "mix in:\n\n" +
          updates;
  }
  md += throughput_markdown(results.at("encoder_throughput"));
  md += fmt::format("\nSpeedup is the total full-encode time over the total cache time, in the same run. "
                    "Ids re-encoded / differing, per request (means): the ids from the first changed one on, "
                    "which a KV cache recomputes, and of those the new ids that differ from the old ones (after an "
                    "edit the rest are the old ids, kept). "
                    "Peak RSS {:.1f} MB. Encoding load times (ms): {}.\n",
                    results.at("peak_rss_mb").get<double>(), results.at("load_ms").dump());
  return md;
}

}  // namespace flashtok::cli

namespace flashtok::cli {

std::string bench_terminal_table(const json& results) {
  std::vector<std::vector<std::string>> table;
  for (const auto& row : results.at("results")) {
    const json &full = row.at("full"), &cached = row.at("cached");
    const Spread s = spread_of(row.at("speedup").at("passes").get<std::vector<double>>());
    table.push_back({row.at("workload"), row.at("encoding"), row.at("cache"), fixed(full.at("p50_us"), 1),
                     fixed(full.at("p99_us"), 1), fixed(cached.at("p50_us"), 1), fixed(cached.at("p99_us"), 1),
                     speedup_cell(s), s.noisy() ? "noisy" : ""});
  }
  const std::string unit = counts_instructions(results) ? " instr" : " µs";
  std::string out = text_table({"workload", "encoding", "cache", "full p50" + unit, "full p99" + unit,
                                "cache p50" + unit, "cache p99" + unit, "speedup", ""},
                               table, 3);
  const std::string updates = prompt_update_lines(results, unit);
  if (!updates.empty()) out += "prompt updates alone (not the first request nor output appends):\n" + updates;
  return out;
}

std::vector<std::string> bench_warnings(const json& results) {
  if (counts_instructions(results)) return {};  // counts of identical passes agree: no spread to judge
  std::size_t noisy = 0, figures = 0, fewest_passes = SIZE_MAX;
  for (const auto& row : results.at("results")) {
    const Spread s = spread_of(row.at("speedup").at("passes").get<std::vector<double>>());
    ++figures;
    noisy += s.noisy();
    fewest_passes = std::min(fewest_passes, s.n);
  }
  std::vector<std::string> warnings;
  if (figures > 0 && fewest_passes < kFewestPassesToJudge) {
    warnings.push_back(fmt::format(
        "warning: {} measured pass{} per speedup{}: too few to judge its spread; use --repeat 5 or more before "
        "comparing runs",
        fewest_passes, fewest_passes == 1 ? "" : "es", results.at("parameters").value("quick", false) ? " (--quick)" : ""));
  }
  if (noisy > 0) {
    warnings.push_back(fmt::format("warning: {} of {} speedups vary by more than {:.0f}% between passes (marked noisy): "
                                   "too noisy to judge; run on a quieter machine or with a larger --repeat",
                                   noisy, figures, 100 * kNoisySpread));
  }
  return warnings;
}

}  // namespace flashtok::cli
