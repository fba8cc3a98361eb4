// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// flashtok bench: for every request of every workload, a full encode of the
// text the cache stands for against the cache itself, timed in the same run.
#include <fmt/format.h>
#include <time.h>

#include <chrono>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "cache_replay.h"
#include "cli_support.h"
#include "commands.h"
#include "measure_options.h"
#include "regression_gate.h"
#include "report.h"
#include "flashtok/workloads/text_generator.h"

namespace flashtok::cli {
namespace {

using nlohmann::json;

double thread_cpu_us() {
  timespec t{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_nsec) / 1e3;
}

double wall_us() {
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Samples of one method (full encode or cache) for one group of requests.
struct Samples {
  std::vector<double> wall_us;
  double setup_us = 0;  // one-off work outside any request (prebuilding a cache), in the total
  double cpu_us = 0;
  double bytes = 0;

  json to_json() const {
    const Summary s = summarize(wall_us);
    const double total = s.total + setup_us;
    return {{"p50_us", s.p50}, {"p95_us", s.p95}, {"p99_us", s.p99}, {"mean_us", s.mean}, {"max_us", s.max},
            {"total_ms", total / 1e3}, {"cpu_ms", cpu_us / 1e3},
            {"mb_per_s", total > 0 ? bytes / total : 0.0}};  // bytes per microsecond = MB/s
  }
};

struct Group {
  Samples full, cached;
  std::size_t requests = 0;
  double rollback_tokens = 0;
  json cache_stats;  // of the last pass
};

// How one pass sets its caches up: plain, or the shared prefix cache prebuilt
// with the workload's most frequent prefixes (the prebuild is timed, mining them is not).
struct Setup {
  CacheReplay::Options options;
  const std::vector<std::string>* prebuild = nullptr;
};

using Groups = std::map<std::string, Group>;  // by cache name

// Per append (append-only) or prompt (sessions), in order: for the per-turn
// and cumulative-CPU figures.
struct Series {
  std::string cache;
  std::vector<double> history_tokens, full_us, cached_us, full_cpu_us, cached_cpu_us;
};

// One pass over the workload with fresh caches. Each request is timed twice:
// the cache's own work, then a full encode of the same text.
void replay_once(const workloads::Workload& workload, const std::shared_ptr<const Encoder>& encoder,
                 const Setup& setup, Groups* groups, Series* series = nullptr) {
  CacheReplay replay(encoder, setup.options);
  double setup_us = 0, setup_cpu_us = 0;
  if (setup.prebuild) {
    const double c0 = thread_cpu_us(), w0 = wall_us();
    replay.prebuild_shared(*setup.prebuild);
    setup_us = wall_us() - w0;
    setup_cpu_us = thread_cpu_us() - c0;
  }
  const std::string variant = setup.prebuild ? " prebuilt" : "";
  std::vector<Rank> ids;
  for (const auto& request : workload.requests) {
    const double c0 = thread_cpu_us(), w0 = wall_us();
    const std::size_t rollback = replay.apply(request);
    const double w1 = wall_us(), c1 = thread_cpu_us();
    const std::string_view text = replay.full_text(request);
    const double c2 = thread_cpu_us(), w2 = wall_us();
    ids.clear();
    encoder->encode_ordinary(text, &ids);
    const double w3 = wall_us(), c3 = thread_cpu_us();
    if (series && (request.kind == workloads::RequestKind::kAppend || request.kind == workloads::RequestKind::kPrompt)) {
      series->cache = cache_name(request.kind);
      series->history_tokens.push_back(static_cast<double>(replay.history_tokens(request)));
      series->full_us.push_back(w3 - w2);
      series->cached_us.push_back(w1 - w0);
      series->full_cpu_us.push_back(c3 - c2);
      series->cached_cpu_us.push_back(c1 - c0);
    }
    if (!groups) continue;  // a warm-up or series pass
    Group& g = (*groups)[cache_name(request.kind) + variant];
    ++g.requests;
    g.rollback_tokens += static_cast<double>(rollback);
    g.cached.wall_us.push_back(w1 - w0);
    g.cached.cpu_us += c1 - c0;
    g.cached.bytes += static_cast<double>(text.size());
    g.full.wall_us.push_back(w3 - w2);
    g.full.cpu_us += c3 - c2;
    g.full.bytes += static_cast<double>(text.size());
  }
  if (!groups) return;
  const json stats = replay.stats();
  for (auto& [name, g] : *groups) {
    const std::string cache = name.substr(0, name.find(' '));
    if (stats.contains(cache) && name.size() >= variant.size() &&
        name.compare(name.size() - variant.size(), variant.size(), variant) == 0) {
      g.cache_stats = stats.at(cache);
    }
  }
  if (setup.prebuild) {
    Group& g = (*groups)["shared-prefix" + variant];
    g.cached.setup_us += setup_us;
    g.cached.cpu_us += setup_cpu_us;
  }
}

// "hit rate 93%" or "reused 98% of bytes" for the summary table.
std::string reuse_note(const json& stats) {
  if (stats.is_null()) return "";
  if (stats.contains("hit_rate")) return "hit rate " + fixed(100.0 * stats.at("hit_rate").get<double>(), 0) + "%";
  if (stats.contains("reuse_ratio")) return "reused " + fixed(100.0 * stats.at("reuse_ratio").get<double>(), 0) + "% of bytes";
  return "";
}

// The texts of the requests a shared prefix cache serves.
std::vector<std::string> shared_texts(const workloads::Workload& workload) {
  std::vector<std::string> texts;
  for (const auto& r : workload.requests) {
    if (r.kind == workloads::RequestKind::kText) texts.push_back(r.text);
  }
  return texts;
}

// Full-encoder throughput per text kind: median of five encodes of 1 MB.
json encoder_throughput(const std::vector<std::shared_ptr<const Encoder>>& encoders, std::uint64_t seed, bool quick) {
  json rows = json::array();
  for (const auto& kind : workloads::corpus_kinds()) {
    const std::string text = workloads::corpus(kind, quick ? (256 << 10) : (1 << 20), seed);
    for (const auto& encoder : encoders) {
      std::vector<double> seconds;
      std::vector<Rank> ids;
      for (int i = 0; i < 5; ++i) {
        const double t0 = wall_us();
        ids.clear();
        encoder->encode_ordinary(text, &ids);
        seconds.push_back((wall_us() - t0) / 1e6);
      }
      const double median = summarize(seconds).p50;
      rows.push_back({{"encoding", encoder->encoding().name()}, {"kind", kind}, {"bytes", text.size()},
                      {"tokens", ids.size()}, {"mb_per_s", static_cast<double>(text.size()) / 1e6 / median}});
    }
  }
  return rows;
}

void merge(Groups* into, Groups&& from) {
  for (auto& [name, g] : from) {
    Group& target = (*into)[name];
    target.requests += g.requests;
    target.rollback_tokens += g.rollback_tokens;
    target.cache_stats = g.cache_stats;
    for (auto [mine, theirs] : {std::pair{&target.full, &g.full}, std::pair{&target.cached, &g.cached}}) {
      mine->wall_us.insert(mine->wall_us.end(), theirs->wall_us.begin(), theirs->wall_us.end());
      mine->setup_us += theirs->setup_us;
      mine->cpu_us += theirs->cpu_us;
      mine->bytes += theirs->bytes;
    }
  }
}

struct BenchOptions {
  MeasureOptions common;
  int repeat = 3;
  int threads = 1;
};

int run_bench(BenchOptions& b) {
  MeasureOptions& o = b.common;
  json results = new_results(o);
  results["parameters"]["repeat"] = b.repeat;
  results["parameters"]["threads"] = b.threads;
  const json baseline = load_baseline(o, results);  // a wrong one fails before measuring
  // Load times first, before anything else has loaded the encodings.
  json load_ms = json::object();
  for (const auto& name : o.encodings) {
    const double t0 = wall_us();
    Encoding::builtin(name);
    load_ms[name] = (wall_us() - t0) / 1e3;
  }
  const auto encoders = o.load_encoders();
  const auto workloads = o.load_workloads();
  const Setup plain{CacheReplay::Options{o.parsed_backtrack(), {}, {}}, nullptr};

  json rows = json::array(), ratios = json::object(), all_series = json::array();
  std::vector<std::vector<std::string>> table;
  for (const auto& workload : workloads) {
    for (const auto& encoder : encoders) {
      const std::string enc = encoder->encoding().name();
      progress(fmt::format("bench {} {}", workload.name, enc));
      replay_once(workload, encoder, plain, nullptr);  // warm-up: caches, pages, branch predictors, memo
      Groups groups;
      Series series;
      replay_once(workload, encoder, plain, nullptr, &series);  // the per-turn series, one clean pass
      const auto texts = shared_texts(workload);
      const auto frequent = frequent_prefixes(texts, 64, 16384, 64, 2, 32);
      std::vector<std::string> prebuild;
      for (const auto& p : frequent) prebuild.push_back(p.text);
      Setup prebuilt = plain;
      prebuilt.prebuild = &prebuild;
      std::mutex mutex;
      std::vector<std::thread> threads;
      for (int t = 0; t < b.threads; ++t) {
        threads.emplace_back([&] {
          // Each thread warms up too: the encoder keeps per-thread state (its
          // memo of merged pieces), which a new thread starts without.
          replay_once(workload, encoder, plain, nullptr);
          Groups mine;
          for (int r = 0; r < b.repeat; ++r) {
            replay_once(workload, encoder, plain, &mine);
            if (!texts.empty()) replay_once(workload, encoder, prebuilt, &mine);
          }
          std::lock_guard<std::mutex> lock(mutex);
          merge(&groups, std::move(mine));
        });
      }
      for (auto& t : threads) t.join();
      if (!series.full_us.empty()) {
        all_series.push_back({{"workload", workload.name}, {"encoding", enc}, {"cache", series.cache},
                              {"history_tokens", series.history_tokens}, {"full_us", series.full_us},
                              {"cached_us", series.cached_us}, {"full_cpu_us", series.full_cpu_us},
                              {"cached_cpu_us", series.cached_cpu_us}});
      }
      for (const auto& [cache, g] : groups) {
        const json full = g.full.to_json(), cached = g.cached.to_json();
        auto ratio = [&](const char* field) {
          const double c = cached.at(field).get<double>();
          return c > 0 ? full.at(field).get<double>() / c : 0.0;
        };
        const json speedup = {{"total", ratio("total_ms")}, {"p50", ratio("p50_us")}, {"p99", ratio("p99_us")},
                              {"cpu", ratio("cpu_ms")}};
        rows.push_back({{"workload", workload.name}, {"encoding", enc}, {"cache", cache},
                        {"requests", g.requests / static_cast<std::size_t>(b.repeat * b.threads)},
                        {"full", full}, {"cached", cached}, {"speedup", speedup},
                        {"mean_rollback_tokens", g.rollback_tokens / static_cast<double>(std::max<std::size_t>(g.requests, 1))},
                        {"cache_stats", g.cache_stats.is_null() ? json::object() : g.cache_stats}});
        const std::string key = workload.name + "/" + cache + "/" + enc + "/";
        ratios[key + "speedup_total"] = speedup["total"];
        ratios[key + "speedup_p50"] = speedup["p50"];
        table.push_back({workload.name, enc, cache, fixed(full.at("p50_us"), 1), fixed(full.at("p99_us"), 1),
                         fixed(cached.at("p50_us"), 1), fixed(cached.at("p99_us"), 1),
                         fixed(full.at("cpu_ms"), 1) + " / " + fixed(cached.at("cpu_ms"), 1),
                         fixed(speedup["total"], 1) + "x", reuse_note(g.cache_stats)});
      }
    }
  }
  progress("");
  results["load_ms"] = load_ms;
  results["peak_rss_mb"] = peak_rss_mb();
  results["results"] = rows;
  results["series"] = all_series;
  progress("bench: encoder throughput");
  results["encoder_throughput"] = encoder_throughput(encoders, o.seed, o.quick);
  progress("");
  results["ratios"] = ratios;

  std::string md = "# flashtok bench\n\n";
  md += fmt::format("{} on {} ({} cores), {} build, {}. Latencies per request in microseconds; repeat {}, threads {}.\n\n",
                    results["machine"]["cpu"].get<std::string>(), results["machine"]["os"].get<std::string>(),
                    results["machine"]["cores"].get<int>(), results["build"]["build_type"].get<std::string>(),
                    o.quick ? "quick" : "full size", b.repeat, b.threads);
  md += markdown_table({"workload", "encoding", "cache", "full p50", "full p99", "cache p50", "cache p99",
                        "CPU ms full / cache", "speedup", "reuse"},
                       table);
  std::vector<std::vector<std::string>> throughput;
  for (const auto& row : results["encoder_throughput"]) {
    throughput.push_back({row["encoding"], row["kind"], fixed(row["mb_per_s"], 1)});
  }
  md += "\n## Full encoder throughput\n\n" + markdown_table({"encoding", "text", "MB/s"}, throughput);
  md += fmt::format("\nSpeedup is the total full-encode time over the total cache time, in the same run. "
                    "Peak RSS {:.1f} MB. Encoding load times (ms): {}.\n", peak_rss_mb(), load_ms.dump());
  return finish_measurement(o, results, md, baseline);
}

}  // namespace

void add_bench_command(CLI::App& app) {
  auto options = std::make_shared<BenchOptions>();
  options->common.command = "bench";
  auto* bench = app.add_subcommand("bench", "Time every cache against a full encode over the workloads");
  options->common.add_to(bench, {"cl100k_base", "o200k_base"}, /*with_gate=*/true);
  bench->add_option("--repeat", options->repeat, "Measured passes over each workload (after one warm-up)")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  bench->add_option("--threads", options->threads, "Replay the workload on this many threads at once")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  bench->callback([options] {
    if (options->common.quick && options->repeat == 3) options->repeat = 1;
    const int code = run_bench(*options);
    if (code != kExitOk) throw CommandError("ratios regressed past --max-regression", code);
  });
}

}  // namespace flashtok::cli
