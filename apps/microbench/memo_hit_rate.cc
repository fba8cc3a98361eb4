// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// The piece memo's hit rate on a text, as encode_benchmark's repeated
// encodes of it meet the memo: the text is encoded once (the memo warms as in
// the benchmark), then walked again piece by piece the way the encoder walks
// it, counting the pieces that are not one token and how many of those the
// memo holds when they come. reports/compare_tiktoken.sh prints it beside
// every throughput figure of flashtok.
//   memo_hit_rate ENCODING FILE
// prints one line of JSON: pieces, merged (not one token), memo_hits, hit_rate.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "bpe/byte_pair_encode.h"
#include "encoder/encoder_access.h"
#include "encoder/scratch.h"
#include "flashtok/flashtok.h"
#include "util/byte_hash.h"
#include "util/byte_view.h"
#include "util/read_file.h"
#include "vocab/encoding_access.h"

namespace flashtok::bench {
namespace {

struct MemoCounts {
  std::size_t pieces = 0;
  std::size_t merged = 0;  // pieces that are not one token: the ones the memo is asked for
  std::size_t hits = 0;
};

// One walk of `text` as Encoder::encode_ordinary makes it, with the memo of
// this thread, asking the memo before each merge (find() changes nothing).
MemoCounts walk_counting_hits(const Encoder& encoder, std::string_view text) {
  const internal::RankTable& ranks = internal::ranks_of(encoder.encoding());
  internal::MergeScratch& scratch = internal::Scratch::of_this_thread().merge;
  MemoCounts counts;
  std::vector<Rank> ids;
  internal::pretokenizer_of(encoder).split_untracked(text, 0, [&](const internal::Piece* pieces, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
      const std::string_view piece = internal::bytes_between(text, pieces[i].begin, pieces[i].end);
      ++counts.pieces;
      if (ranks.find(piece) != kNoRank) continue;
      ++counts.merged;
      const std::uint64_t hash = internal::token_hash(piece);
      std::size_t found = 0;
      if (scratch.memo.find(ranks.id(), piece, hash, &found) != nullptr) ++counts.hits;
      ids.clear();
      internal::append_merged_ids(ranks, piece, hash, scratch, &ids);
    }
    return true;
  });
  return counts;
}

int run(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: memo_hit_rate ENCODING FILE\n");
    return 2;
  }
  const Encoder encoder(Encoding::builtin(argv[1]));
  const std::string text = internal::read_file(argv[2], SIZE_MAX);
  encoder.encode_ordinary(text);  // the benchmark's earlier passes
  const MemoCounts counts = walk_counting_hits(encoder, text);
  const double rate = counts.merged ? static_cast<double>(counts.hits) / static_cast<double>(counts.merged) : NAN;
  std::printf("{\"pieces\": %zu, \"merged\": %zu, \"memo_hits\": %zu, \"hit_rate\": %s}\n", counts.pieces,
              counts.merged, counts.hits, std::isnan(rate) ? "null" : std::to_string(rate).c_str());
  return 0;
}

}  // namespace
}  // namespace flashtok::bench

int main(int argc, char** argv) {
  try {
    return flashtok::bench::run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "memo_hit_rate: %s\n", e.what());
    return 1;
  }
}
