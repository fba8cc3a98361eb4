// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// One pre-tokenizer piece of a megabyte: a run of spaces, one letter
// repeated, lines of 2,000 '-', base64 without padding, digits (one piece
// under r50k/p50k, whose \p{N}+ is unbounded).
//   Encode/<shape>/<encoding>: the whole encoder on 1 MB of the shape.
//   Merge/<byte_pair_encode|heap>/<shape>: the shape as one 1 MB piece through
//   byte_pair_encode (runs of one byte: bpe/byte_run_encoder.h) and through
//   the heap merge alone (bpe/large_piece_merge.h), under cl100k_base, with
//   their working memory per input byte.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <vector>

#include "bpe/large_piece_merge.h"
#include "bpe/byte_pair_encode.h"
#include "flashtok/flashtok.h"
#include "vocab/encoding_access.h"

namespace flashtok::bench {
namespace {

constexpr std::size_t kBytes = 1 << 20;

std::string random_of(const std::string& alphabet, std::uint64_t seed) {
  std::string text(kBytes, ' ');
  for (auto& c : text) {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    c = alphabet[(seed >> 33) % alphabet.size()];
  }
  return text;
}

std::string dash_lines() {
  std::string text;
  while (text.size() < kBytes) text += std::string(2000, '-') + "\n";
  return text;
}

struct Shape {
  const char* name;
  std::string text;
};

const std::vector<Shape>& shapes() {
  static const std::vector<Shape> all = {
      {"spaces", std::string(kBytes, ' ')},
      {"letter", std::string(kBytes, 'a')},
      {"dash_lines", dash_lines()},
      {"base64", random_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 1)},
      {"digits", random_of("0123456789", 2)},
  };
  return all;
}

void Encode(benchmark::State& state, const Shape* shape, const char* encoding) {
  const Encoder encoder(Encoding::builtin(encoding));
  std::vector<Rank> ids;
  encoder.encode_ordinary(shape->text, &ids);  // builds the lazy tables
  for (auto _ : state) {
    ids.clear();
    encoder.encode_ordinary(shape->text, &ids);
    benchmark::DoNotOptimize(ids.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * shape->text.size()));
  state.counters["tokens"] = static_cast<double>(ids.size());
}

const internal::RankTable& cl100k() {
  static const auto encoding = Encoding::builtin("cl100k_base");
  return internal::ranks_of(*encoding);
}

void MergeDispatched(benchmark::State& state, const Shape* shape) {
  internal::MergeScratch scratch;
  std::vector<Rank> ids;
  for (auto _ : state) {
    ids.clear();
    internal::byte_pair_encode(cl100k(), shape->text, scratch, &ids);
    benchmark::DoNotOptimize(ids.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * shape->text.size()));
  const std::size_t working = sizeof(scratch.byte_run) + scratch.byte_run.tail.capacity() * sizeof(Rank) +
                              scratch.large_piece.parts.capacity() * sizeof(scratch.large_piece.parts[0]) +
                              scratch.large_piece.heap.capacity() * sizeof(scratch.large_piece.heap[0]);
  state.counters["work_B_per_B"] = static_cast<double>(working) / static_cast<double>(shape->text.size());
}

void MergeHeap(benchmark::State& state, const Shape* shape) {
  internal::LargePieceBuffers buffers;
  std::size_t count = 0;
  for (auto _ : state) {
    count = 0;
    internal::merge_large_piece(cl100k(), shape->text, buffers, [&count](Rank) { ++count; });
    benchmark::DoNotOptimize(count);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * shape->text.size()));
  const std::size_t working = buffers.parts.capacity() * sizeof(buffers.parts[0]) +
                              buffers.heap.capacity() * sizeof(buffers.heap[0]);
  state.counters["work_B_per_B"] = static_cast<double>(working) / static_cast<double>(shape->text.size());
}

void register_all() {
  for (const Shape& shape : shapes()) {
    for (const char* e : {"cl100k_base", "o200k_base", "r50k_base", "p50k_base"}) {
      benchmark::RegisterBenchmark((std::string("Encode/") + shape.name + "/" + e).c_str(), Encode, &shape, e)
          ->Unit(benchmark::kMillisecond);
    }
  }
  for (const Shape& shape : shapes()) {
    benchmark::RegisterBenchmark((std::string("Merge/byte_pair_encode/") + shape.name).c_str(), MergeDispatched, &shape)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark((std::string("Merge/heap/") + shape.name).c_str(), MergeHeap, &shape)
        ->Unit(benchmark::kMillisecond);
  }
}

const bool registered = (register_all(), true);

}  // namespace
}  // namespace flashtok::bench

BENCHMARK_MAIN();
