// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// The piece memo's hit rate on a text, as encode_benchmark's repeated
// encodes of it meet the memo: the text is encoded once (the memo warms as in
// the benchmark), then once more through Encoder::memo_use, which counts the
// pieces that are not one token and how many of those the memo holds when
// they come. reports/compare_tiktoken.sh prints it beside every throughput
// figure of flashtok.
//   memo_hit_rate ENCODING FILE
// prints one line of JSON: pieces, merged (not one token), memo_hits, hit_rate.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>

#include "flashtok/flashtok.h"
#include "util/read_file.h"

namespace flashtok::bench {
namespace {

int run(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: memo_hit_rate ENCODING FILE\n");
    return 2;
  }
  const Encoder encoder(Encoding::builtin(argv[1]));
  const std::string text = internal::read_file(argv[2], SIZE_MAX);
  encoder.encode_ordinary(text);  // the benchmark's earlier passes
  const Encoder::MemoUse use = encoder.memo_use(text);
  const double rate = use.hit_rate();
  std::printf("{\"pieces\": %zu, \"merged\": %zu, \"memo_hits\": %zu, \"hit_rate\": %s}\n", use.pieces,
              use.merged, use.memo_hits, std::isnan(rate) ? "null" : std::to_string(rate).c_str());
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
