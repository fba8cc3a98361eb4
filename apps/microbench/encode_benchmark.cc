// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// Full-encoder throughput: encode_ordinary (of a text seen before, and of
// one not seen), count, encode_batch; and what a process or a thread pays
// once: loading, the first long piece, a thread's first encode and its
// first 64 KB.
//   FLASHTOK_CORPUS=file.txt ./encode_benchmark --benchmark_filter=EncodeOrdinary
#include <benchmark/benchmark.h>

#include <chrono>
#include <future>
#include <memory>
#include <thread>
#include <vector>

#include "common/clocks.h"
#include "common/io.h"
#include "corpus.h"
#include "flashtok/flashtok.h"

namespace flashtok::bench {
namespace {

const char* const kEncodings[] = {"cl100k_base", "o200k_base", "r50k_base", "p50k_base"};

// A throughput figure names its text and the piece memo's hit rate on it
// (the share of merged pieces it held in one more encode, warm from the
// timed ones): generated or repeated text lets the memo hold every piece.
// A text with no merged piece has no rate and gets no counter: Google
// Benchmark would write NaN, which is not JSON.
void label_with_corpus(benchmark::State& state, const Encoder& encoder, const std::string& text) {
  const Encoder::MemoUse use = encoder.memo_use(text);
  if (use.merged > 0) state.counters["memo_hit_rate"] = use.hit_rate();
  state.SetLabel(corpus_name());
}

void EncodeOrdinary(benchmark::State& state, const char* encoding, PretokenizerChoice choice) {
  const Encoder encoder(Encoding::builtin(encoding), choice);
  const std::string& text = corpus();
  std::vector<Rank> ids;
  for (auto _ : state) {
    ids.clear();
    encoder.encode_ordinary(text, &ids);
    benchmark::DoNotOptimize(ids.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.counters["tokens"] = static_cast<double>(ids.size());
  label_with_corpus(state, encoder, text);
}

// One pass over the text by a thread whose piece memo holds none of it: text
// met once, as a server meets its requests. EncodeOrdinary encodes one text
// again and again, so its memo starts each pass with the rare words of the
// pass before, which flatters it by about a fifth on English text
// (docs/PERFORMANCE.md, "One pass"). Each iteration runs on a new thread
// that calls Encoder::prepare() before the clock starts (its memo resident
// and empty: FirstTextOfThread times the pages' faults apart); the manual
// time is the encode's wall time, cpu_bytes_per_second its thread's CPU
// time, and memo_hit_rate the share of merged pieces such a pass finds in
// the memo.
void EncodeOrdinaryOnePass(benchmark::State& state, const char* encoding) {
  const auto encoder = std::make_shared<const Encoder>(Encoding::builtin(encoding));
  encoder->prepare();
  const std::string& text = corpus();
  double cpu_us = 0;
  std::size_t tokens = 0;
  for (auto _ : state) {
    double wall_seconds = 0;
    std::thread([&] {
      encoder->prepare();  // this thread's memo: resident, empty
      std::vector<Rank> ids;
      ids.reserve(text.size());  // as EncodeOrdinary's vector is after its first pass
      const double c0 = thread_cpu_us(), w0 = wall_us();
      encoder->encode_ordinary(text, &ids);
      const double w1 = wall_us(), c1 = thread_cpu_us();
      benchmark::DoNotOptimize(ids.data());
      wall_seconds = (w1 - w0) / 1e6;
      cpu_us += c1 - c0;
      tokens = ids.size();
    }).join();
    state.SetIterationTime(wall_seconds);
  }
  const double bytes = static_cast<double>(state.iterations()) * static_cast<double>(text.size());
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.counters["cpu_bytes_per_second"] = cpu_us > 0 ? bytes / (cpu_us / 1e6) : 0;
  state.counters["tokens"] = static_cast<double>(tokens);
  Encoder::MemoUse use;
  std::thread([&] { use = encoder->memo_use(text); }).join();
  if (use.merged > 0) state.counters["memo_hit_rate"] = use.hit_rate();
  state.SetLabel(corpus_name());
}

void Count(benchmark::State& state, const char* encoding) {
  const Encoder encoder(Encoding::builtin(encoding));
  const std::string& text = corpus();
  for (auto _ : state) benchmark::DoNotOptimize(encoder.count(text));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  label_with_corpus(state, encoder, text);
}

void EncodeBatch(benchmark::State& state, const char* encoding) {
  const Encoder encoder(Encoding::builtin(encoding));
  const std::string& text = corpus();
  std::vector<std::string> documents;
  for (std::size_t at = 0; at < text.size(); at += 16384) documents.push_back(text.substr(at, 16384));
  const int threads = static_cast<int>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(encoder.encode_batch(documents, threads).data());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}

void LoadEncoding(benchmark::State& state, const char* encoding) {
  const std::string ranks = read_file(std::string(FLASHTOK_SOURCE_DIR) + "/lib/data/encodings/" + encoding + ".tiktoken");
  const auto builtin = Encoding::builtin(encoding);
  Encoding::FileOptions options;
  options.pattern = builtin->pattern();
  options.expected_sha256 = builtin->sha256();
  for (auto _ : state) benchmark::DoNotOptimize(Encoding::from_tiktoken_text(ranks, options).get());
  state.counters["table_MB"] = static_cast<double>(builtin->memory_bytes()) / 1e6;
}

// The first piece over 128 bytes an encoding meets, timed alone: with
// `prepared` 0 it builds the long-piece tables, with 1 Encoder::prepare()
// built them beforehand (untimed, like the load).
void FirstLongPiece(benchmark::State& state, const char* encoding) {
  const std::string ranks = read_file(std::string(FLASHTOK_SOURCE_DIR) + "/lib/data/encodings/" + encoding + ".tiktoken");
  const auto builtin = Encoding::builtin(encoding);
  Encoding::FileOptions options;
  options.pattern = builtin->pattern();
  std::string piece;
  while (piece.size() < 400) piece += "abc";  // one piece of letters, no token
  std::vector<Rank> ids;
  // Each encoder lives to the end: freeing the last one's tables (the
  // thread's working memory holds them until it meets new ones) is not
  // what a process pays on its first long piece.
  std::vector<std::unique_ptr<const Encoder>> encoders;
  for (auto _ : state) {
    state.PauseTiming();
    encoders.push_back(std::make_unique<const Encoder>(Encoding::from_tiktoken_text(ranks, options)));  // fresh tables
    if (state.range(0) == 1) encoders.back()->prepare();
    ids.clear();
    state.ResumeTiming();
    encoders.back()->encode_ordinary(piece, &ids);
    benchmark::DoNotOptimize(ids.data());
  }
}

// The first encode of a short request on a new thread while the threads
// before it live on, as the workers of a pool do (each has its own working
// memory: encoder/scratch.h). The time is the encode's alone, not the
// thread's start.
void FirstEncodeOfThread(benchmark::State& state, const char* encoding) {
  const auto encoder = std::make_shared<const Encoder>(Encoding::builtin(encoding));
  encoder->prepare();  // the tables: what is left is the thread's own
  std::promise<void> finish;
  const std::shared_future<void> finished = finish.get_future().share();
  std::vector<std::thread> workers;
  for (auto _ : state) {
    std::promise<double> seconds;
    std::future<double> measured = seconds.get_future();
    // The worker owns the promise: it may still be inside set_value when
    // get() returns here.
    workers.emplace_back([&encoder, seconds = std::move(seconds), finished]() mutable {
      const auto start = std::chrono::steady_clock::now();
      benchmark::DoNotOptimize(encoder->encode_ordinary("Summarize the meeting notes below in three bullet points.").data());
      seconds.set_value(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      finished.wait();  // lives on, with its memory, until the benchmark ends
    });
    state.SetIterationTime(measured.get());
  }
  finish.set_value();
  for (std::thread& worker : workers) worker.join();
}

// A new thread's first 64 KB of text, timed alone: with `prepared` 0 its
// memo's pages are faulted in one by one as the text fills them, with 1 the
// thread called Encoder::prepare() first (untimed), which made them resident.
void FirstTextOfThread(benchmark::State& state, const char* encoding) {
  const auto encoder = std::make_shared<const Encoder>(Encoding::builtin(encoding));
  encoder->prepare();  // the tables: what is left is the thread's own
  const std::string text = corpus_prefix(65536);
  for (auto _ : state) {
    double seconds = 0;
    std::thread([&] {
      if (state.range(0) == 1) encoder->prepare();
      std::vector<Rank> ids;
      ids.reserve(text.size());
      const auto start = std::chrono::steady_clock::now();
      encoder->encode_ordinary(text, &ids);
      seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      benchmark::DoNotOptimize(ids.data());
    }).join();
    state.SetIterationTime(seconds);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.SetLabel(corpus_name());
}

void register_all() {
  for (const char* e : kEncodings) {
    benchmark::RegisterBenchmark((std::string("EncodeOrdinary/") + e).c_str(), EncodeOrdinary, e,
                                 PretokenizerChoice::kFastest)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark((std::string("EncodeOrdinaryOnePass/") + e).c_str(), EncodeOrdinaryOnePass, e)
        ->UseManualTime()->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark((std::string("EncodeOrdinaryRegexPath/") + e).c_str(), EncodeOrdinary, e,
                                 PretokenizerChoice::kRegex)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark((std::string("Count/") + e).c_str(), Count, e)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark((std::string("LoadEncoding/") + e).c_str(), LoadEncoding, e)
        ->Unit(benchmark::kMillisecond);
  }
  for (const char* e : {"cl100k_base", "o200k_base"}) {
    benchmark::RegisterBenchmark((std::string("EncodeBatch/") + e).c_str(), EncodeBatch, e)
        ->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark((std::string("FirstLongPiece/") + e).c_str(), FirstLongPiece, e)
        ->ArgName("prepared")->Arg(0)->Arg(1)->Iterations(5)->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark((std::string("FirstEncodeOfThread/") + e).c_str(), FirstEncodeOfThread, e)
        ->Iterations(32)->UseManualTime()->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark((std::string("FirstTextOfThread/") + e).c_str(), FirstTextOfThread, e)
        ->ArgName("prepared")->Arg(0)->Arg(1)->UseManualTime()->Unit(benchmark::kMicrosecond);
  }
}

}  // namespace
}  // namespace flashtok::bench

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  flashtok::bench::register_all();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
