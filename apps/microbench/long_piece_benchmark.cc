// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// One pre-tokenizer piece of a megabyte: a run of spaces, one letter
// repeated, a run of '-', base64 without padding, digits (one piece under
// r50k/p50k, whose \p{N}+ is unbounded); and lines of 2,000 '-' (a piece a
// line) through the whole encoder.
//   Encode/<shape>/<encoding>: the whole encoder on 1 MB of the shape.
//   Merge/<byte_pair_encode|backtrack|heap>/<shape>/<encoding>: the shape as
//   one 1 MB piece through byte_pair_encode (the dispatch: runs of one byte
//   take bpe/byte_run_encoder.h, other long pieces bpe/backtrack_encoder.h),
//   through the backtracking encoder alone and through the heap merge alone
//   (bpe/large_piece_merge.h), with their working memory per input byte.
//   Tables/build/<encoding>: building the backtracking encoder's tables, and
//   the megabytes they hold; Tables/digit_tokens/<encoding> and
//   Tables/short_pairs/<encoding>: building the parts the first long piece of
//   digits (the digit tokens' tables) or of base64 or letters (the short
//   tokens' pairs) builds.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "bpe/backtrack_encoder.h"
#include "bpe/backtrack_tables.h"
#include "bpe/byte_pair_encode.h"
#include "bpe/large_piece_merge.h"
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
  bool one_piece = true;  // under cl100k_base's pattern (digits: under r50k_base's)
};

const std::vector<Shape>& shapes() {
  static const std::vector<Shape> all = {
      {"spaces", std::string(kBytes, ' ')},
      {"letter", std::string(kBytes, 'a')},
      {"dashes", std::string(kBytes, '-')},
      {"dash_lines", dash_lines(), false},
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

const internal::RankTable& ranks_of(const char* encoding) {
  return internal::ranks_of(*Encoding::builtin(encoding));  // loaded once per process
}

std::size_t working_bytes(const internal::MergeScratch& scratch) {
  return sizeof(scratch.byte_run) + scratch.byte_run.tail.capacity() * sizeof(Rank) +
         scratch.backtrack.tokens.capacity() * sizeof(Rank) + scratch.backtrack.dead.capacity() * sizeof(std::uint64_t) +
         scratch.large_piece.parts.capacity() * sizeof(scratch.large_piece.parts[0]) +
         scratch.large_piece.heap.capacity() * sizeof(scratch.large_piece.heap[0]);
}

// The piece through byte_pair_encode: the dispatch an encoder uses.
void MergeDispatched(benchmark::State& state, const Shape* shape, const char* encoding) {
  const internal::RankTable& ranks = ranks_of(encoding);
  internal::MergeScratch scratch;
  std::vector<Rank> ids;
  internal::byte_pair_encode(ranks, shape->text, scratch, &ids);  // builds the lazy tables
  for (auto _ : state) {
    ids.clear();
    internal::byte_pair_encode(ranks, shape->text, scratch, &ids);
    benchmark::DoNotOptimize(ids.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * shape->text.size()));
  state.counters["work_B_per_B"] = static_cast<double>(working_bytes(scratch)) / static_cast<double>(shape->text.size());
}

// The piece through the backtracking encoder alone, whatever its shape.
void MergeBacktrack(benchmark::State& state, const Shape* shape, const char* encoding) {
  const internal::RankTable& ranks = ranks_of(encoding);
  internal::BacktrackBuffers buffers;
  internal::encode_backtracking(ranks, shape->text, buffers);  // builds the lazy tables
  for (auto _ : state) {
    if (!internal::encode_backtracking(ranks, shape->text, buffers)) state.SkipWithError("not usable");
    benchmark::DoNotOptimize(buffers.tokens.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * shape->text.size()));
  const std::size_t working = buffers.tokens.capacity() * sizeof(Rank) + buffers.dead.capacity() * sizeof(std::uint64_t);
  state.counters["work_B_per_B"] = static_cast<double>(working) / static_cast<double>(shape->text.size());
}

void MergeHeap(benchmark::State& state, const Shape* shape, const char* encoding) {
  const internal::RankTable& ranks = ranks_of(encoding);
  internal::LargePieceBuffers buffers;
  std::size_t count = 0;
  for (auto _ : state) {
    count = 0;
    internal::merge_large_piece(ranks, shape->text, buffers, [&count](Rank) { ++count; });
    benchmark::DoNotOptimize(count);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * shape->text.size()));
  const std::size_t working = buffers.parts.capacity() * sizeof(buffers.parts[0]) +
                              buffers.heap.capacity() * sizeof(buffers.heap[0]);
  state.counters["work_B_per_B"] = static_cast<double>(working) / static_cast<double>(shape->text.size());
}

// What the backtracking encoder's tables cost to build, once per encoding,
// and hold.
void BuildTables(benchmark::State& state, const char* encoding) {
  const internal::RankTable& ranks = ranks_of(encoding);
  std::size_t memory = 0;
  for (auto _ : state) {
    const internal::BacktrackTables tables(ranks);
    memory = tables.memory_bytes();
    benchmark::DoNotOptimize(memory);
  }
  state.counters["MB"] = static_cast<double>(memory) / 1e6;
}

// What a part of the tables that is built on first use costs to build, once
// per encoding: the digit tokens' tables (the first long piece of digits) or
// the short tokens' pairs (the first long piece of base64 or letters).
using BuildPart = std::size_t (*)(const internal::BacktrackTables&, const internal::RankTable&);
std::size_t build_digit_tokens(const internal::BacktrackTables& tables, const internal::RankTable& ranks) {
  return tables.digit_tokens(ranks).memory_bytes();
}
std::size_t build_short_pairs(const internal::BacktrackTables& tables, const internal::RankTable&) {
  return tables.short_pairs().memory_bytes();
}

void BuildLazyPart(benchmark::State& state, const char* encoding, BuildPart build) {
  const internal::RankTable& ranks = ranks_of(encoding);
  std::size_t memory = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto tables = std::make_unique<const internal::BacktrackTables>(ranks);
    state.ResumeTiming();
    memory = build(*tables, ranks);
    benchmark::DoNotOptimize(memory);
    state.PauseTiming();
    tables.reset();
    state.ResumeTiming();
  }
  state.counters["MB"] = static_cast<double>(memory) / 1e6;
}

using Merge = void (*)(benchmark::State&, const Shape*, const char*);

void register_all() {
  for (const Shape& shape : shapes()) {
    for (const char* e : {"cl100k_base", "o200k_base", "r50k_base", "p50k_base"}) {
      benchmark::RegisterBenchmark((std::string("Encode/") + shape.name + "/" + e).c_str(), Encode, &shape, e)
          ->Unit(benchmark::kMillisecond);
    }
  }
  const std::pair<const char*, Merge> merges[] = {
      {"byte_pair_encode", MergeDispatched}, {"backtrack", MergeBacktrack}, {"heap", MergeHeap}};
  for (const Shape& shape : shapes()) {
    if (!shape.one_piece) continue;
    for (const char* e : {"cl100k_base", "o200k_base", "r50k_base"}) {
      for (const auto& [name, merge] : merges) {
        benchmark::RegisterBenchmark((std::string("Merge/") + name + "/" + shape.name + "/" + e).c_str(), merge,
                                     &shape, e)
            ->Unit(benchmark::kMillisecond);
      }
    }
  }
  for (const char* e : {"cl100k_base", "o200k_base", "r50k_base", "p50k_base"}) {
    benchmark::RegisterBenchmark((std::string("Tables/build/") + e).c_str(), BuildTables, e)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark((std::string("Tables/digit_tokens/") + e).c_str(), BuildLazyPart, e,
                                 build_digit_tokens)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark((std::string("Tables/short_pairs/") + e).c_str(), BuildLazyPart, e, build_short_pairs)
        ->Unit(benchmark::kMillisecond);
  }
}

const bool registered = (register_all(), true);

}  // namespace
}  // namespace flashtok::bench

BENCHMARK_MAIN();
