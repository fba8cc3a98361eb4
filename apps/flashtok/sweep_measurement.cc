// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "sweep_measurement.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <nlohmann/json.hpp>

#include "cache_replay.h"
#include "cli_support.h"
#include "common/clocks.h"
#include "flashtok/utf8_validity.h"
#include "flashtok/workloads/generator.h"
#include "measure_options.h"
#include "report.h"

namespace flashtok::cli {
namespace {

// The capacity sweep's cases and the size sweep's lengths: what is measured,
// and so how many steps a sweep takes.
struct CapacityCase {
  std::string workload, cache;
  std::vector<std::size_t> capacities;
};
const std::vector<CapacityCase>& capacity_cases() {
  static const std::vector<CapacityCase> cases = {{"shared-prefix-shuffled", "shared-prefix", {4, 16, 64, 256, 1024}},
                                                  {"sessions", "session", {1, 2, 3, 6}}};
  return cases;
}
std::vector<std::size_t> token_sizes(bool quick) {
  return quick ? std::vector<std::size_t>{1024, 4096, 16384} : std::vector<std::size_t>{1024, 4096, 16384, 65536, 131072};
}
std::vector<std::size_t> suffix_sizes(bool quick) {
  return quick ? std::vector<std::size_t>{64, 1024, 8192} : std::vector<std::size_t>{64, 256, 1024, 4096, 16384};
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

// One value on one workload's appends; none when the workload has no appends.
std::optional<BacktrackPoint> measure_backtrack(const Backtrack& value, const workloads::Workload& workload,
                                                const std::shared_ptr<const Encoder>& encoder) {
  CacheReplay replay(encoder, value);    // timed; put right after each wrong turn
  CacheReplay unsynced(encoder, value);  // never put right: how far one wrong turn spreads
  std::vector<double> latency;
  BacktrackPoint p{workload.name, encoder->encoding().name(), value.to_string()};
  double rollback = 0;
  for (const auto& request : workload.requests) {
    const auto t0 = std::chrono::steady_clock::now();
    const std::size_t rolled = replay.apply(request).rollback_tokens;
    const double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
    unsynced.apply(request);
    // Only the append-only cache has the knob (a replay session may live in the session cache).
    if (std::string_view(replay.cache_of(request)) != "append-only") continue;
    latency.push_back(us);
    rollback += static_cast<double>(rolled);
    p.max_rollback_tokens = std::max(p.max_rollback_tokens, rolled);
    ++p.checks;
    const std::vector<Rank> expected = encoder->encode_ordinary(replay.full_text(request));
    p.spoiled += unsynced.cache_ids(request) != expected;
    if (replay.cache_ids(request) == expected) continue;
    ++p.mismatches;
    replay.reset_history(request, std::string(replay.full_text(request)));
  }
  if (p.checks == 0) return std::nullopt;
  const Summary s = summarize(latency);
  p.mean_us = s.mean;
  p.p99_us = s.p99;
  p.mean_rollback_tokens = rollback / static_cast<double>(p.checks);
  return p;
}

// One pass of a workload through a cache of one capacity, from cold: the
// cache's total CPU time against full encodes of the same texts. CPU time,
// not wall time: a pass takes about a millisecond, and one time slice lost
// to a neighbour would decide it.
struct CapacityPass {
  double speedup = 0, reuse = 0;
  std::size_t evictions = 0;
};
CapacityPass measure_capacity_pass(const std::string& cache, const workloads::Workload& workload,
                                   const std::vector<std::string>& full_texts,
                                   const std::shared_ptr<const Encoder>& encoder, const CacheReplay::Options& options) {
  CacheReplay replay(encoder, options);
  const double t0 = thread_cpu_us();
  for (const auto& request : workload.requests) replay.apply(request);
  const double t1 = thread_cpu_us();
  std::size_t tokens = 0;  // used, so that the encodes cannot be dropped
  for (const auto& text : full_texts) tokens += encoder->encode_ordinary(text).size();
  const double t2 = thread_cpu_us();
  const nlohmann::json stats = replay.stats().at(cache);
  CapacityPass pass;
  pass.reuse = stats.contains("hit_rate") ? stats.at("hit_rate").get<double>() : stats.at("reuse_ratio").get<double>();
  pass.evictions = stats.at("evictions").get<std::size_t>();
  pass.speedup = t1 > t0 && tokens > 0 ? (t2 - t1) / (t1 - t0) : 0.0;
  return pass;
}

// The full text of each request once applied, and a warm-up (the encoder's
// piece memo, pages), so that the first capacity is not charged for it.
std::vector<std::string> full_texts_of(const workloads::Workload& workload, const std::shared_ptr<const Encoder>& encoder,
                                       const CacheReplay::Options& options) {
  CacheReplay replay(encoder, options);
  std::vector<std::string> texts;
  for (const auto& request : workload.requests) {
    replay.apply(request);
    texts.emplace_back(replay.full_text(request));
    encoder->encode_ordinary(texts.back());
  }
  return texts;
}

}  // namespace

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

std::size_t sweep_steps(std::size_t values, std::size_t workloads, std::size_t encoders, bool quick) {
  std::size_t capacities = 0;
  for (const auto& c : capacity_cases()) capacities += c.capacities.size();
  const std::size_t sizes = 2 * token_sizes(quick).size() + suffix_sizes(quick).size();
  return encoders * (values * workloads + capacities + sizes);
}

std::vector<BacktrackPoint> sweep_backtrack(const std::vector<Backtrack>& values,
                                            const std::vector<workloads::Workload>& workloads,
                                            const std::vector<std::shared_ptr<const Encoder>>& encoders,
                                            Progress* progress) {
  std::vector<BacktrackPoint> points;
  for (const auto& workload : workloads) {
    for (const auto& encoder : encoders) {
      // A warm-up pass (the encoder's piece memo, caches, pages), so that the
      // first value measured is not charged for it.
      CacheReplay warm_up(encoder, Backtrack::automatic());
      for (const auto& request : workload.requests) warm_up.apply(request);
      for (std::size_t i = 0; i < values.size(); ++i) {
        progress->step(fmt::format("{} {} backtrack {}", workload.name, encoder->encoding().name(), values[i].to_string()));
        const auto point = measure_backtrack(values[i], workload, encoder);
        if (!point) {  // this workload has no appends: nor will it for the other values
          progress->skip(values.size() - i - 1);
          break;
        }
        points.push_back(*point);
      }
    }
  }
  return points;
}

std::vector<CapacityPoint> sweep_capacity(const std::vector<std::shared_ptr<const Encoder>>& encoders,
                                          std::uint64_t seed, double scale, bool quick,
                                          const SharedPrefixTokenCache::Options& shared, Progress* progress) {
  // One pass over a small workload takes about a millisecond: a single pass
  // is noise on a shared machine, so each point is the median of several
  // passes, each from a cold cache, with the spread beside it.
  const int passes = quick ? 3 : 7;
  std::vector<CapacityPoint> points;
  for (const CapacityCase& c : capacity_cases()) {
    const auto workload = workloads::generate(c.workload, seed, workloads::Size{scale, quick});
    for (const auto& encoder : encoders) {
      CacheReplay::Options options;
      options.shared = shared;
      const std::vector<std::string> full_texts = full_texts_of(workload, encoder, options);
      for (const std::size_t capacity : c.capacities) {
        progress->step(fmt::format("capacity {} {} {}", c.cache, encoder->encoding().name(), capacity));
        options.shared.max_blocks = capacity;
        options.sessions.max_sessions = capacity;
        CapacityPoint point{c.workload, c.cache, encoder->encoding().name(), capacity};
        std::vector<double> speedups;
        for (int pass = 0; pass < passes; ++pass) {
          const CapacityPass measured = measure_capacity_pass(c.cache, workload, full_texts, encoder, options);
          speedups.push_back(measured.speedup);
          point.reuse = measured.reuse;  // the same every pass: the cache is deterministic
          point.evictions = measured.evictions;
        }
        const auto [low, high] = std::minmax_element(speedups.begin(), speedups.end());
        point.speedup_low = *low;
        point.speedup_high = *high;
        point.speedup = summarize(speedups).p50;
        point.passes = speedups.size();
        points.push_back(point);
      }
    }
  }
  return points;
}

std::vector<SizePoint> sweep_sizes(const std::vector<std::shared_ptr<const Encoder>>& encoders, std::uint64_t seed,
                                   bool quick, Progress* progress) {
  // Enough text for the longest size measured (131072 tokens); not scaled:
  // the ide workload grows with the square of its scale.
  const workloads::Size big{quick ? 0.3 : 3.2, false};
  const auto ide = workloads::generate("ide", seed, big);
  const auto mobile = workloads::generate("mobile", seed, big);
  std::string history_source;
  for (const auto& r : mobile.requests) history_source += r.text;
  const int reps = quick ? 5 : 21, full_reps = quick ? 3 : 7;
  std::string suffix_source;
  for (const auto& r : ide.requests) suffix_source += r.text;

  std::vector<SizePoint> points;
  for (const auto& encoder : encoders) {
    const std::string enc = encoder->encoding().name();
    const std::string suffix = suffix_source.substr(0, 200);
    for (const std::size_t tokens : token_sizes(quick)) {
      progress->step(fmt::format("prefix {} {}", enc, tokens));
      const FixedPrefixTokenCache cache(encoder, first_tokens(*encoder, ide.requests[0].prefix, tokens));
      std::vector<Rank> ids;
      const double cached = median_us(reps, [&] { cache.encode_tail(suffix, &ids); });
      const std::string whole = cache.prefix() + suffix;
      const double full = median_us(full_reps, [&] { ids = encoder->encode_ordinary(whole); });
      points.push_back({"prefix", enc, tokens, full, cached});
    }
    const FixedPrefixTokenCache mid(encoder, first_tokens(*encoder, ide.requests[0].prefix, 16384));
    for (const std::size_t bytes : suffix_sizes(quick)) {
      progress->step(fmt::format("suffix {} {}", enc, bytes));
      std::string suffix_n = suffix_source.substr(0, bytes);
      while (is_utf8_continuation(suffix_n.back())) suffix_n.pop_back();
      std::vector<Rank> ids;
      const double cached = median_us(reps, [&] { mid.encode_tail(suffix_n, &ids); });
      const std::string whole = mid.prefix() + suffix_n;
      const double full = median_us(full_reps, [&] { ids = encoder->encode_ordinary(whole); });
      points.push_back({"suffix", enc, bytes, full, cached});
    }
    for (const std::size_t tokens : token_sizes(quick)) {
      progress->step(fmt::format("history {} {}", enc, tokens));
      const std::string history = first_tokens(*encoder, history_source, tokens);
      const std::string turn = "\n\nUser: " + suffix_source.substr(1000, 90) + "\nAssistant:";
      AppendOnlyTokenCache cache(encoder, history);
      std::vector<double> samples;
      for (int i = 0; i < reps; ++i) {
        // Untimed: back to the nominal history length, and one turn. The
        // first append after a reset is an outlier a chat meets once: from
        // 64K tokens on it takes 2.5-3 µs where the next takes 0.7 (5.1K
        // instructions both, no page faults; 113 L1 misses against 10 in
        // callgrind's cache model: lines the reset's megabytes evicted).
        // The second is the append a history growing turn by turn pays.
        cache.reset(history);
        cache.append_ordinary(turn);
        const auto t0 = std::chrono::steady_clock::now();
        cache.append_ordinary(turn);
        samples.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
      }
      const std::string whole = history + turn + turn;
      std::vector<Rank> ids;
      const double full = median_us(full_reps, [&] { ids = encoder->encode_ordinary(whole); });
      points.push_back({"history", enc, tokens, full, summarize(samples).p50});
    }
  }
  return points;
}

}  // namespace flashtok::cli
