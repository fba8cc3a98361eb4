// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "bench_measurement.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <set>
#include <thread>

#include "cache_replay.h"
#include "common/clocks.h"
#include "measure_options.h"
#include "report.h"

namespace flashtok::cli {
namespace {

// What one region of code cost: its wall and this thread's CPU time in
// microseconds, or the instructions callgrind counted in it (in both fields).
struct Cost {
  double wall = 0, cpu = 0;
};

// Measures regions of code: times them, or counts their instructions when
// given a counter.
class RegionMeter {
 public:
  explicit RegionMeter(InstructionCounter* counter) : counter_(counter) {}

  template <class Region>
  Cost operator()(Region&& region) const {
    if (counter_) {
      counter_->start();
      region();
      const double instructions = counter_->stop();
      return {instructions, instructions};
    }
    const double c0 = thread_cpu_us(), w0 = wall_us();
    region();
    const double w1 = wall_us(), c1 = thread_cpu_us();
    return {w1 - w0, c1 - c0};
  }

 private:
  InstructionCounter* counter_;
};

// How one pass sets its caches up: plain, or the shared prefix cache prebuilt
// with the workload's most frequent prefixes (the prebuild is measured, mining
// them is not), and how it measures.
struct Setup {
  CacheReplay::Options options;
  const std::vector<std::string>* prebuild = nullptr;
  RegionMeter measure{nullptr};
};

using Groups = std::map<std::string, GroupMeasurement>;  // by cache name

bool is_turn(workloads::RequestKind kind) {
  return kind == workloads::RequestKind::kAppend || kind == workloads::RequestKind::kPrompt;
}

// The series of the session `request` belongs to, started on first sight.
TurnSeries& series_of(std::vector<TurnSeries>* series, const workloads::Workload& workload, const Encoder& encoder,
                      const std::string& session) {
  for (TurnSeries& t : *series) {
    if (t.session == session) return t;
  }
  series->push_back(TurnSeries{workload.name, encoder.encoding().name(), "", session, 0, {}});
  return series->back();
}

// The sessions with the most turns, at most kMaxSeriesSessions, in their first-seen order.
void keep_longest(std::vector<TurnSeries>* series) {
  const std::size_t sessions = series->size();
  if (sessions > kMaxSeriesSessions) {
    std::vector<std::size_t> lengths;
    for (const TurnSeries& t : *series) lengths.push_back(t.turns.size());
    std::nth_element(lengths.begin(), lengths.begin() + (kMaxSeriesSessions - 1), lengths.end(), std::greater<>());
    const std::size_t shortest_kept = lengths[kMaxSeriesSessions - 1];
    std::vector<TurnSeries> kept;
    for (TurnSeries& t : *series) {
      if (t.turns.size() >= shortest_kept && kept.size() < kMaxSeriesSessions) kept.push_back(std::move(t));
    }
    *series = std::move(kept);
  }
  for (TurnSeries& t : *series) t.of_sessions = sessions;
}

// Reads every cache line of `text`, untimed, as a server that has just
// received or rendered a request has it in cache. Without it the method
// timed first would pay for bringing the request's text in and the other
// get it warm: the comparison would depend on the order of the two.
void warm(std::string_view text) {
  unsigned sum = 0;
  for (std::size_t i = 0; i < text.size(); i += 64) sum += static_cast<unsigned char>(text[i]);
  if (!text.empty()) sum += static_cast<unsigned char>(text.back());
  static std::atomic<unsigned> sink;  // a use the compiler keeps, so the reads stay
  sink.store(sum, std::memory_order_relaxed);
}

// One pass over the workload with fresh caches. Each request is timed twice,
// each with the request's text in the CPU cache: the cache's own work, then
// a full encode of the same text. Without groups nor series, a warm-up.
void replay_once(const workloads::Workload& workload, const std::shared_ptr<const Encoder>& encoder,
                 const Setup& setup, Groups* groups, std::vector<TurnSeries>* series = nullptr) {
  CacheReplay replay(encoder, setup.options);
  Cost prebuild;
  if (setup.prebuild) prebuild = setup.measure([&] { replay.prebuild_shared(*setup.prebuild); });
  const std::string variant = setup.prebuild ? " prebuilt" : "";
  std::vector<Rank> ids;
  std::set<std::string> sessions;  // seen so far
  for (const auto& request : workload.requests) {
    RequestSample s;
    // Not a session moving over from the append-only cache: its first prompt is a cold request.
    s.prompt_update = request.kind == workloads::RequestKind::kPrompt && sessions.count(request.session) > 0 &&
                      std::string_view(replay.cache_of(request)) == "session";
    if (is_session_line(request.kind)) sessions.insert(request.session);
    CacheReplay::Change change;
    warm(request.text);
    const Cost cached = setup.measure([&] { change = replay.apply(request); });
    const std::string_view text = replay.full_text(request);
    warm(text);
    const Cost full = setup.measure([&] {
      ids.clear();
      encoder->encode_ordinary(text, &ids);
    });
    s.cached_us = cached.wall;
    s.cached_cpu_us = cached.cpu;
    s.full_us = full.wall;
    s.full_cpu_us = full.cpu;
    s.bytes = text.size();
    s.rollback_tokens = change.rollback_tokens;
    s.reencoded_tokens = change.reencoded_tokens;
    s.changed_tokens = change.changed_tokens;
    if (series && is_turn(request.kind)) {
      TurnSeries& turns = series_of(series, workload, *encoder, request.session);
      turns.cache = replay.cache_of(request);
      s.history_tokens = replay.history_tokens(request);
      turns.turns.push_back(s);
    }
    // Only the shared prefix cache has a prebuild: a prebuilt pass reports its requests alone.
    const bool reported = !setup.prebuild || request.kind == workloads::RequestKind::kText;
    if (groups && reported) (*groups)[replay.cache_of(request) + variant].samples.push_back(s);
  }
  if (!groups) return;
  const nlohmann::json stats = replay.stats();
  for (auto& [name, g] : *groups) {
    const std::string cache = name.substr(0, name.find(' '));
    const bool this_variant = (name.find(' ') == std::string::npos) == variant.empty();
    if (stats.contains(cache) && this_variant) g.cache_stats = stats.at(cache);
  }
  if (setup.prebuild) {
    GroupMeasurement& g = (*groups)["shared-prefix" + variant];
    g.setup_us += prebuild.wall;
    g.pass_setup_us.push_back(prebuild.wall);
    g.setup_cpu_us += prebuild.cpu;
  }
}

// The texts of the requests a shared prefix cache serves.
std::vector<std::string> shared_texts(const workloads::Workload& workload) {
  std::vector<std::string> texts;
  for (const auto& r : workload.requests) {
    if (r.kind == workloads::RequestKind::kText) texts.push_back(r.text);
  }
  return texts;
}

// MB/s of a median time; 0 for a text too short to time.
double mb_per_s(std::size_t bytes, const std::vector<double>& seconds) {
  const double median = summarize(seconds).p50;
  return median > 0 ? static_cast<double>(bytes) / 1e6 / median : 0.0;
}

// Runs body on a new thread whose piece memo is empty and resident.
template <typename Body>
void on_new_thread(const Encoder& encoder, Body body) {
  std::thread([&] {
    encoder.prepare();
    body();
  }).join();
}

// Full-encoder throughput on each text: median of five encodes on this
// thread, then the memo's hit rate in a sixth, as the five left the memo;
// and median of five encodes each on a new thread, and the hit rate of such
// a pass.
std::vector<Throughput> encoder_throughput(const std::vector<std::shared_ptr<const Encoder>>& encoders,
                                           const std::vector<ThroughputText>& texts) {
  std::vector<Throughput> rows;
  for (const auto& t : texts) {
    for (const auto& encoder : encoders) {
      std::vector<double> seconds, one_pass_seconds;
      std::vector<Rank> ids;
      auto time_encode = [&](std::vector<double>* into) {
        ids.clear();
        const double t0 = wall_us();
        encoder->encode_ordinary(t.text, &ids);
        into->push_back((wall_us() - t0) / 1e6);
      };
      for (int i = 0; i < 5; ++i) time_encode(&seconds);
      Throughput row;
      row.encoding = encoder->encoding().name();
      row.kind = t.kind;
      row.corpus = t.corpus;
      row.source = t.source;
      row.bytes = t.text.size();
      row.tokens = ids.size();
      row.mb_per_s = mb_per_s(t.text.size(), seconds);
      row.memo = encoder->memo_use(t.text);
      for (int i = 0; i < 5; ++i) on_new_thread(*encoder, [&] { time_encode(&one_pass_seconds); });
      row.one_pass_mb_per_s = mb_per_s(t.text.size(), one_pass_seconds);
      on_new_thread(*encoder, [&] { row.one_pass_memo = encoder->memo_use(t.text); });
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

void merge(Groups* into, Groups&& from) {
  for (auto& [name, g] : from) {
    GroupMeasurement& target = (*into)[name];
    target.samples.insert(target.samples.end(), g.samples.begin(), g.samples.end());
    target.setup_us += g.setup_us;
    target.pass_setup_us.insert(target.pass_setup_us.end(), g.pass_setup_us.begin(), g.pass_setup_us.end());
    target.setup_cpu_us += g.setup_cpu_us;
    target.cache_stats = g.cache_stats;
  }
}

// Every cache of one workload in one encoding, on settings.threads threads.
Groups measure_groups(const workloads::Workload& workload, const std::shared_ptr<const Encoder>& encoder,
                      const BenchSettings& settings) {
  const Setup plain{CacheReplay::Options{settings.backtrack, {}, settings.shared}, nullptr, RegionMeter(settings.counter)};
  const auto texts = shared_texts(workload);
  std::vector<std::string> prebuild;
  for (const auto& p : frequent_prefixes(texts, 64, 16384, 64, 2, 32)) prebuild.push_back(p.text);
  Setup prebuilt = plain;
  prebuilt.prebuild = &prebuild;
  Groups groups;
  std::mutex mutex;
  std::vector<std::thread> threads;
  for (int t = 0; t < settings.threads; ++t) {
    threads.emplace_back([&] {
      // Each thread warms up too: the encoder keeps per-thread state (its
      // memo of merged pieces), which a new thread starts without.
      replay_once(workload, encoder, plain, nullptr);
      Groups mine;
      for (int r = 0; r < settings.repeat; ++r) {
        replay_once(workload, encoder, plain, &mine);
        if (!texts.empty()) replay_once(workload, encoder, prebuilt, &mine);
      }
      std::lock_guard<std::mutex> lock(mutex);
      merge(&groups, std::move(mine));
    });
  }
  for (auto& t : threads) t.join();
  return groups;
}

}  // namespace

BenchMeasurement measure_bench(const std::vector<std::string>& encodings,
                               const std::vector<workloads::Workload>& workloads, const BenchSettings& settings) {
  BenchMeasurement m;
  // Load times first, before anything else has loaded the encodings.
  std::vector<std::shared_ptr<const Encoder>> encoders;
  for (const auto& name : encodings) {
    const double t0 = wall_us();
    Encoding::builtin(name);
    m.load_ms[name] = (wall_us() - t0) / 1e3;
    encoders.push_back(Encoder::builtin(name));
  }
  const Setup plain{CacheReplay::Options{settings.backtrack, {}, settings.shared}, nullptr, RegionMeter(settings.counter)};
  Progress steps("bench", workloads.size() * encoders.size() + 1);
  for (const auto& workload : workloads) {
    for (const auto& encoder : encoders) {
      const std::string enc = encoder->encoding().name();
      steps.step(workload.name + " " + enc);
      replay_once(workload, encoder, plain, nullptr);  // warm-up: caches, pages, branch predictors, memo
      std::vector<TurnSeries> series;
      replay_once(workload, encoder, plain, nullptr, &series);  // the per-turn series, one clean pass
      keep_longest(&series);
      m.series.insert(m.series.end(), series.begin(), series.end());
      for (auto& [cache, g] : measure_groups(workload, encoder, settings)) {
        g.workload = workload.name;
        g.encoding = enc;
        g.cache = cache;
        g.requests_per_pass = g.samples.size() / static_cast<std::size_t>(settings.repeat * settings.threads);
        m.groups.push_back(std::move(g));
      }
    }
  }
  m.peak_rss_mb = peak_rss_mb();  // of the replays, not of the throughput texts
  steps.step("encoder throughput");
  // Megabytes per second are a wall-time figure: not measured when counting instructions.
  if (!settings.counter) m.throughput = encoder_throughput(encoders, settings.throughput_texts);
  return m;
}

}  // namespace flashtok::cli
