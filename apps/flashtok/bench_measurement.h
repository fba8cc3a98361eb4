// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_APPS_BENCH_MEASUREMENT_H_
#define FLASHTOK_APPS_BENCH_MEASUREMENT_H_

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "flashtok/flashtok.h"
#include "flashtok/workloads/request.h"
#include "instruction_count.h"
#include "throughput_texts.h"

namespace flashtok::cli {

// One request, measured: the cache's own work, then a full encode of the
// same text, back to back. A new per-request figure is a field here, filled
// in replay_once() (bench_measurement.cc) and reported in bench_report.cc.
// With an instruction counter (--metric instructions) every time field holds
// the region's instruction count instead.
struct RequestSample {
  double full_us = 0, cached_us = 0;          // wall time
  double full_cpu_us = 0, cached_cpu_us = 0;  // this thread's CPU time
  std::size_t bytes = 0;                      // of the text the cache stands for
  std::size_t rollback_tokens = 0;            // ids the cache took back
  std::size_t reencoded_tokens = 0;           // ids from the first changed one on (KV-cache positions to recompute)
  std::size_t changed_tokens = 0;             // of those, the new ids that differ; the rest are old ids kept
  std::size_t history_tokens = 0;             // ids of the history after the request
  bool prompt_update = false;                 // a session's full prompt again, after its first request
};

// Every measured request of one cache on one workload in one encoding, over
// all passes and threads.
struct GroupMeasurement {
  std::string workload, encoding, cache;  // cache: "append-only", "shared-prefix prebuilt", ...
  std::size_t requests_per_pass = 0;
  std::vector<RequestSample> samples;
  double setup_us = 0, setup_cpu_us = 0;  // one-off work outside any request (a prebuild)
  std::vector<double> pass_setup_us;      // that work, pass by pass, in the order of the samples' passes
  nlohmann::json cache_stats;             // of the last pass; null when the cache has none
};

// One session's turns (its appends and prompts) in one clean pass, in order:
// the per-turn and cumulative-CPU figures, one line per session. A workload
// keeps the kMaxSeriesSessions sessions with the most turns.
struct TurnSeries {
  std::string workload, encoding, cache;  // cache: where the session lives after its last turn
  std::string session;
  std::size_t of_sessions = 0;  // the sessions with turns in this workload and encoding, kept or not
  std::vector<RequestSample> turns;
};
inline constexpr std::size_t kMaxSeriesSessions = 8;

// The full encoder alone on one text of throughput_texts.h.
struct Throughput {
  std::string encoding, kind, corpus, source;  // the last three: the text's (ThroughputText)
  std::size_t bytes = 0, tokens = 0;
  double mb_per_s = 0;    // median of five encodes of the text, one after another
  Encoder::MemoUse memo;  // in a sixth, the memo as the five left it
  // Median of five encodes each on a new thread whose memo is empty (made
  // resident by Encoder::prepare() first): the text met once, as a server
  // meets a request, not again with its rare words still in the memo.
  double one_pass_mb_per_s = 0;
  Encoder::MemoUse one_pass_memo;  // in such a pass
};

// What bench measured: data only; bench_report.h turns it into reports.
struct BenchMeasurement {
  std::map<std::string, double> load_ms;  // each encoding's first load
  std::vector<GroupMeasurement> groups;
  std::vector<TurnSeries> series;
  std::vector<Throughput> throughput;
  double peak_rss_mb = 0;
};

struct BenchSettings {
  int repeat = 3;   // measured passes after one warm-up
  int threads = 1;  // threads replaying the workload at once
  Backtrack backtrack = Backtrack::automatic();
  SharedPrefixTokenCache::Options shared;  // of the shared prefix cache
  std::vector<ThroughputText> throughput_texts;  // the full encoder's throughput is measured on these
  bool quick = false;
  // Counts each region's instructions instead of timing it (--metric
  // instructions: one thread, and no encoder throughput).
  InstructionCounter* counter = nullptr;
};

// Loads the encodings (timing each first load), then replays every workload
// in every encoding: a warm-up pass, a clean pass for the per-turn series,
// and `repeat` measured passes per thread (plus, where the workload has
// texts, as many with the shared prefix cache prebuilt).
BenchMeasurement measure_bench(const std::vector<std::string>& encodings,
                               const std::vector<workloads::Workload>& workloads, const BenchSettings& settings);

}  // namespace flashtok::cli

#endif  // FLASHTOK_APPS_BENCH_MEASUREMENT_H_
