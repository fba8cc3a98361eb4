// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// flashtok sweep: how often each fixed backtrack_pieces is wrong and what it
// costs, next to auto; and the speedup of each cache as prefix, suffix and
// history lengths grow.
#include <fmt/format.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "cache_replay.h"
#include "cli_support.h"
#include "commands.h"
#include "flashtok/utf8_validity.h"
#include "flashtok/workloads/generator.h"
#include "measure_options.h"
#include "regression_gate.h"
#include "report.h"

namespace flashtok::cli {
namespace {

using nlohmann::json;
using workloads::RequestKind;

// "0..8" or "0,2,4": the fixed values to sweep; auto is always added.
std::vector<Backtrack> parse_backtrack_list(const std::string& spec) {
  std::vector<Backtrack> values;
  const std::size_t dots = spec.find("..");
  if (dots != std::string::npos) {
    const std::size_t lo = parse_backtrack(spec.substr(0, dots)).pieces();
    const std::size_t hi = parse_backtrack(spec.substr(dots + 2)).pieces();
    if (lo > hi || hi > 64) throw CommandError("bad --backtrack-pieces range '" + spec + "' (want e.g. 0..8)");
    for (std::size_t k = lo; k <= hi; ++k) values.push_back(Backtrack::pieces(k));
  } else {
    std::size_t start = 0;
    while (start <= spec.size()) {
      const std::size_t comma = spec.find(',', start);
      const std::string item = spec.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (item != "auto") values.push_back(parse_backtrack(item));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  values.push_back(Backtrack::automatic());
  return values;
}

template <typename F>
double median_us(int reps, F&& f) {
  std::vector<double> samples;
  for (int i = 0; i < reps; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    samples.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
  }
  return summarize(samples).p50;
}

// The first `tokens` tokens' worth of text (cut at a token boundary).
std::string first_tokens(const Encoder& encoder, const std::string& text, std::size_t tokens) {
  const auto ids = encoder.encode_ordinary(text);
  return text.substr(0, encoder.decode_bytes(ids.data(), std::min(tokens, ids.size())).size());
}

json sweep_backtrack(const MeasureOptions& o, const std::vector<workloads::Workload>& workloads,
                     const std::vector<std::shared_ptr<const Encoder>>& encoders, std::string* md) {
  json rows = json::array();
  std::vector<std::vector<std::string>> table;
  const auto values = parse_backtrack_list(o.backtrack == "auto" ? "0..8" : o.backtrack);
  for (const auto& workload : workloads) {
    for (const auto& encoder : encoders) {
      // A warm-up pass (the encoder's piece memo, caches, pages), so that the
      // first value measured is not charged for it.
      CacheReplay warm_up(encoder, Backtrack::automatic());
      for (const auto& request : workload.requests) warm_up.apply(request);
      for (const Backtrack& value : values) {
        progress(fmt::format("sweep {} {} backtrack {}", workload.name, encoder->encoding().name(), value.to_string()));
        CacheReplay replay(encoder, value);
        std::vector<double> latency;
        std::size_t checks = 0, mismatches = 0, max_rollback = 0;
        double rollback = 0;
        for (const auto& request : workload.requests) {
          const auto t0 = std::chrono::steady_clock::now();
          const std::size_t rolled = replay.apply(request);
          const double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
          if (request.kind != RequestKind::kAppend) continue;  // only the append-only cache has the knob
          latency.push_back(us);
          rollback += static_cast<double>(rolled);
          max_rollback = std::max(max_rollback, rolled);
          ++checks;
          mismatches += replay.cache_ids(request) != encoder->encode_ordinary(replay.full_text(request));
        }
        if (checks == 0) break;  // this workload has no appends
        const Summary s = summarize(latency);
        const double rate = static_cast<double>(mismatches) / static_cast<double>(checks);
        rows.push_back({{"workload", workload.name}, {"encoding", encoder->encoding().name()},
                        {"backtrack", value.to_string()}, {"checks", checks}, {"mismatches", mismatches},
                        {"mismatch_rate", rate}, {"mean_us", s.mean}, {"p99_us", s.p99},
                        {"mean_rollback_tokens", rollback / static_cast<double>(checks)},
                        {"max_rollback_tokens", max_rollback}});
        table.push_back({workload.name, encoder->encoding().name(), value.to_string(), fixed(100.0 * rate, 2) + "%",
                         fixed(s.mean, 1), fixed(s.p99, 1), fixed(rollback / static_cast<double>(checks), 2),
                         std::to_string(max_rollback)});
      }
    }
  }
  *md += "\n## backtrack_pieces\n\nAppends checked against a full encode after every turn; a wrong turn also "
         "spoils the turns after it, as it would in a real KV cache.\n\n";
  *md += markdown_table({"workload", "encoding", "backtrack", "wrong turns", "mean us", "p99 us", "mean rollback",
                         "max rollback"},
                        table);
  return rows;
}

struct SizePoint {
  std::string sweep;  // "prefix", "suffix", "history"
  std::string encoding;
  std::size_t size;   // tokens (prefix, history) or bytes (suffix)
  double full_us;
  double cached_us;
};

std::vector<SizePoint> sweep_sizes(const MeasureOptions& o, const std::vector<std::shared_ptr<const Encoder>>& encoders) {
  // Enough text for the longest size measured (131072 tokens); not scaled:
  // the ide workload grows with the square of its scale.
  const workloads::Size big{o.quick ? 0.3 : 3.2, false};
  const auto ide = workloads::generate("ide", o.seed, big);
  const auto mobile = workloads::generate("mobile", o.seed, big);
  std::string history_source;
  for (const auto& r : mobile.requests) history_source += r.text;
  const std::vector<std::size_t> token_sizes =
      o.quick ? std::vector<std::size_t>{1024, 4096, 16384} : std::vector<std::size_t>{1024, 4096, 16384, 65536, 131072};
  const std::vector<std::size_t> suffix_sizes =
      o.quick ? std::vector<std::size_t>{64, 1024, 8192} : std::vector<std::size_t>{64, 256, 1024, 4096, 16384};
  const int reps = o.quick ? 5 : 21, full_reps = o.quick ? 3 : 7;
  std::string suffix_source;
  for (const auto& r : ide.requests) suffix_source += r.text;

  std::vector<SizePoint> points;
  for (const auto& encoder : encoders) {
    const std::string enc = encoder->encoding().name();
    const std::string suffix = suffix_source.substr(0, 200);
    for (const std::size_t tokens : token_sizes) {
      progress(fmt::format("sweep prefix {} {}", enc, tokens));
      const FixedPrefixTokenCache cache(encoder, first_tokens(*encoder, ide.requests[0].prefix, tokens));
      std::vector<Rank> ids;
      const double cached = median_us(reps, [&] { cache.encode_tail(suffix, &ids); });
      const std::string whole = cache.prefix() + suffix;
      const double full = median_us(full_reps, [&] { ids = encoder->encode_ordinary(whole); });
      points.push_back({"prefix", enc, tokens, full, cached});
    }
    const FixedPrefixTokenCache mid(encoder, first_tokens(*encoder, ide.requests[0].prefix, 16384));
    for (const std::size_t bytes : suffix_sizes) {
      progress(fmt::format("sweep suffix {} {}", enc, bytes));
      std::string suffix_n = suffix_source.substr(0, bytes);
      while (is_utf8_continuation(suffix_n.back())) suffix_n.pop_back();
      std::vector<Rank> ids;
      const double cached = median_us(reps, [&] { mid.encode_tail(suffix_n, &ids); });
      const std::string whole = mid.prefix() + suffix_n;
      const double full = median_us(full_reps, [&] { ids = encoder->encode_ordinary(whole); });
      points.push_back({"suffix", enc, bytes, full, cached});
    }
    for (const std::size_t tokens : token_sizes) {
      progress(fmt::format("sweep history {} {}", enc, tokens));
      const std::string history = first_tokens(*encoder, history_source, tokens);
      const std::string turn = "\n\nUser: " + suffix_source.substr(1000, 90) + "\nAssistant:";
      AppendOnlyTokenCache cache(encoder, history);
      std::vector<double> samples;
      for (int i = 0; i < reps; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        cache.append_ordinary(turn);
        samples.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
        cache.reset(history);  // untimed: back to the nominal history length
      }
      const std::string whole = history + turn;
      std::vector<Rank> ids;
      const double full = median_us(full_reps, [&] { ids = encoder->encode_ordinary(whole); });
      points.push_back({"history", enc, tokens, full, summarize(samples).p50});
    }
  }
  return points;
}

// Cache capacity against reuse and speedup: the shared prefix cache's blocks
// on the shuffled few-shot workload, the session cache's sessions on sessions.
json sweep_capacity(const MeasureOptions& o, const std::vector<std::shared_ptr<const Encoder>>& encoders,
                    std::string* md) {
  json rows = json::array();
  std::vector<std::vector<std::string>> table;
  const workloads::Size size{o.scale, o.quick};
  struct Case {
    std::string workload, cache;
    std::vector<std::size_t> capacities;
  };
  const std::vector<Case> cases = {{"shared-prefix-shuffled", "shared-prefix", {4, 16, 64, 256, 1024}},
                                   {"sessions", "session", {1, 2, 3, 6}}};
  for (const Case& c : cases) {
    const auto workload = workloads::generate(c.workload, o.seed, size);
    for (const auto& encoder : encoders) {
      for (const std::size_t capacity : c.capacities) {
        progress(fmt::format("sweep capacity {} {} {}", c.cache, encoder->encoding().name(), capacity));
        CacheReplay::Options options;
        options.shared.max_blocks = capacity;
        options.sessions.max_sessions = capacity;
        CacheReplay replay(encoder, options);
        double cached_us = 0, full_us = 0;
        std::vector<Rank> ids;
        for (const auto& request : workload.requests) {
          const auto t0 = std::chrono::steady_clock::now();
          replay.apply(request);
          const auto t1 = std::chrono::steady_clock::now();
          const std::string_view text = replay.full_text(request);
          const auto t2 = std::chrono::steady_clock::now();
          ids = encoder->encode_ordinary(text);
          const auto t3 = std::chrono::steady_clock::now();
          cached_us += std::chrono::duration<double, std::micro>(t1 - t0).count();
          full_us += std::chrono::duration<double, std::micro>(t3 - t2).count();
        }
        const json stats = replay.stats().at(c.cache);
        const double reuse = stats.contains("hit_rate") ? stats.at("hit_rate").get<double>() : stats.at("reuse_ratio").get<double>();
        const double speedup = cached_us > 0 ? full_us / cached_us : 0.0;
        rows.push_back({{"workload", c.workload}, {"cache", c.cache}, {"encoding", encoder->encoding().name()},
                        {"capacity", capacity}, {"reuse", reuse}, {"evictions", stats.at("evictions")},
                        {"speedup", speedup}});
        table.push_back({c.workload, c.cache, encoder->encoding().name(), std::to_string(capacity),
                         fixed(100.0 * reuse, 1) + "%", stats.at("evictions").dump(), fixed(speedup, 2) + "x"});
      }
    }
  }
  *md += "\n## Cache capacity\n\nCapacity is blocks for the shared prefix cache and sessions for the session "
         "cache; reuse is the hit rate (shared prefix) or the share of prompt bytes reused (sessions); speedup is "
         "total full-encode time over total cache time.\n\n";
  *md += markdown_table({"workload", "cache", "encoding", "capacity", "reuse", "evictions", "speedup"}, table);
  return rows;
}

int run_sweep(MeasureOptions& o) {
  const auto encoders = o.load_encoders();
  if (o.replay.empty() && o.workloads == std::vector<std::string>{"all"}) o.workloads = {"voice", "mobile"};
  const auto workloads = o.load_workloads();
  json results = new_results(o);
  const json baseline = load_baseline(o, results);  // a wrong one fails before measuring
  std::string md = "# flashtok sweep\n\n";
  md += fmt::format("{} ({} cores), {} build.\n", results["machine"]["cpu"].get<std::string>(),
                    results["machine"]["cores"].get<int>(), results["build"]["build_type"].get<std::string>());
  results["backtrack"] = sweep_backtrack(o, workloads, encoders, &md);
  results["capacity"] = sweep_capacity(o, encoders, &md);

  json sizes = json::array(), ratios = json::object();
  std::vector<std::vector<std::string>> table;
  for (const SizePoint& p : sweep_sizes(o, encoders)) {
    const double speedup = p.cached_us > 0 ? p.full_us / p.cached_us : 0.0;
    sizes.push_back({{"sweep", p.sweep}, {"encoding", p.encoding}, {"size", p.size}, {"full_us", p.full_us},
                     {"cached_us", p.cached_us}, {"speedup", speedup}});
    ratios[fmt::format("sweep/{}/{}/{}/speedup", p.sweep, p.size, p.encoding)] = speedup;
    table.push_back({p.sweep, p.encoding, std::to_string(p.size) + (p.sweep == "suffix" ? " bytes" : " tokens"),
                     fixed(p.full_us, 1), fixed(p.cached_us, 2), fixed(speedup, 1) + "x"});
  }
  progress("");
  results["sizes"] = sizes;
  results["ratios"] = ratios;
  md += "\n## Sizes\n\nMedian microseconds: a full encode of the whole text against the cache "
        "(fixed prefix: encode_tail with a 200-byte suffix; history: an append of about 100 bytes).\n\n";
  md += markdown_table({"sweep", "encoding", "size", "full us", "cache us", "speedup"}, table);
  return finish_measurement(o, results, md, baseline);
}

}  // namespace

void add_sweep_command(CLI::App& app) {
  auto options = std::make_shared<MeasureOptions>();
  options->command = "sweep";
  auto* sweep = app.add_subcommand("sweep", "Sweep backtrack_pieces and prefix, suffix and history sizes");
  options->add_to(sweep, {"cl100k_base", "o200k_base"}, /*with_gate=*/true);
  sweep->get_option("--backtrack-pieces")->description("Fixed values to sweep, e.g. 0..8 or 0,1,2 (auto is always added)");
  sweep->callback([options] {
    const int code = run_sweep(*options);
    if (code != kExitOk) throw CommandError("ratios regressed past --max-regression", code);
  });
}

}  // namespace flashtok::cli
