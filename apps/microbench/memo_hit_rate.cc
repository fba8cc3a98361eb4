// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// The piece memo's hit rate on a text, in one pass and as encode_benchmark's
// repeated encodes meet it: the text is walked once through
// Encoder::memo_use on a thread whose memo is empty (one pass, as
// EncodeOrdinaryOnePass), then once more (the memo as EncodeOrdinary's
// repeated passes leave it). memo_use counts the pieces that are not one
// token and how many of those the memo holds when they come.
// reports/compare_tiktoken.sh prints both beside flashtok's figures.
//   memo_hit_rate ENCODING FILE
// prints one line of JSON: pieces, merged (not one token), memo_hits and
// hit_rate of the repeated pass, one_pass_memo_hits and one_pass_hit_rate
// (a rate is null when no piece was merged).
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
  const Encoder::MemoUse once = encoder.memo_use(text);  // this thread has encoded nothing yet
  const Encoder::MemoUse again = encoder.memo_use(text);
  auto rate = [](const Encoder::MemoUse& use) {
    return std::isnan(use.hit_rate()) ? std::string("null") : std::to_string(use.hit_rate());
  };
  std::printf("{\"pieces\": %zu, \"merged\": %zu, \"memo_hits\": %zu, \"hit_rate\": %s, "
              "\"one_pass_memo_hits\": %zu, \"one_pass_hit_rate\": %s}\n",
              again.pieces, again.merged, again.memo_hits, rate(again).c_str(), once.memo_hits, rate(once).c_str());
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
