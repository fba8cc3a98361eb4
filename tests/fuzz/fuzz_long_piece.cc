// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// Any piece, through the long-piece encoders: whatever the byte-run encoder
// (bpe/byte_run_encoder.h) and the backtracking encoder
// (bpe/backtrack_encoder.h) answer is the heap merge's ids
// (bpe/large_piece_merge.h), and the backtracking encoder answers under
// every built-in encoding. The first byte picks the encoding and how many
// times the rest is repeated (long pieces are mostly repetitive: runs, lines
// of one pattern), so that short inputs make long pieces too.
#include <cstdint>
#include <string>
#include <vector>

#include "bpe/backtrack_encoder.h"
#include "bpe/byte_run_encoder.h"
#include "bpe/large_piece_merge.h"
#include "flashtok/flashtok.h"
#include "fuzz_check.h"
#include "vocab/encoding_access.h"

namespace {

const flashtok::internal::RankTable& ranks_for(std::uint8_t selector) {
  static const char* const kNames[] = {"cl100k_base", "o200k_base", "r50k_base", "p50k_base"};
  return flashtok::internal::ranks_of(*flashtok::Encoding::builtin(kNames[selector % 4]));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace flashtok::internal;
  if (size < 2) return 0;
  const RankTable& ranks = ranks_for(data[0]);
  const std::string unit(reinterpret_cast<const char*>(data + 1), size - 1);
  std::string piece;
  for (int i = 0; i <= data[0] / 4; ++i) piece += unit;

  static LargePieceBuffers heap_buffers;
  std::vector<flashtok::Rank> expected;
  merge_large_piece(ranks, piece, heap_buffers, [&expected](flashtok::Rank rank) { expected.push_back(rank); });

  static BacktrackBuffers backtrack;
  FUZZ_CHECK(encode_backtracking(ranks, piece, backtrack));
  FUZZ_CHECK(backtrack.tokens == expected);

  static ByteRunBuffers run;
  if (encode_byte_run(ranks, piece, run)) {
    std::vector<flashtok::Rank> ids = run.head;
    ids.insert(ids.end(), run.repeats, run.repeated);
    ids.insert(ids.end(), run.tail.begin(), run.tail.end());
    FUZZ_CHECK(ids == expected);
  }
  return 0;
}
