// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// Full-encoder throughput: encode_ordinary, count, encode_batch, loading.
//   FLASHTOK_CORPUS=file.txt ./encode_benchmark --benchmark_filter=EncodeOrdinary
#include <benchmark/benchmark.h>

#include "common/io.h"
#include "corpus.h"
#include "flashtok/flashtok.h"

namespace flashtok::bench {
namespace {

const char* const kEncodings[] = {"cl100k_base", "o200k_base", "r50k_base", "p50k_base"};

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
}

void Count(benchmark::State& state, const char* encoding) {
  const Encoder encoder(Encoding::builtin(encoding));
  const std::string& text = corpus();
  for (auto _ : state) benchmark::DoNotOptimize(encoder.count(text));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
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

void register_all() {
  for (const char* e : kEncodings) {
    benchmark::RegisterBenchmark((std::string("EncodeOrdinary/") + e).c_str(), EncodeOrdinary, e,
                                 PretokenizerChoice::kFastest)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark((std::string("EncodeOrdinaryRegexPath/") + e).c_str(), EncodeOrdinary, e,
                                 PretokenizerChoice::kRegex)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark((std::string("Count/") + e).c_str(), Count, e)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark((std::string("LoadEncoding/") + e).c_str(), LoadEncoding, e)
        ->Unit(benchmark::kMillisecond);
  }
  for (const char* e : {"cl100k_base", "o200k_base"}) {
    benchmark::RegisterBenchmark((std::string("EncodeBatch/") + e).c_str(), EncodeBatch, e)
        ->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
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
