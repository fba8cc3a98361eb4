// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// Runs of one byte value (bpe/byte_run_encoder.h) against the naive merge
// written from the definition (reference_bpe) and, where that is too slow,
// the heap merge (itself checked against the naive one in bpe_test.cc): every
// byte value under every encoding at many lengths, and random vocabularies of
// run tokens whose ranks follow no merge order, where the guessed shape often
// fails its test and the encoder must refuse rather than answer wrong.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "bpe/byte_pair_encode.h"
#include "bpe/byte_run_encoder.h"
#include "test_support.h"

namespace flashtok::testing {
namespace {

constexpr std::size_t kMaxAround = internal::kMaxBytesAroundRun;

// The run encoder's answer, or nothing when it refuses.
std::optional<std::vector<Rank>> run_ids(const RankTable& ranks, std::string_view run) {
  internal::ByteRunBuffers buffers;
  if (!internal::encode_byte_run(ranks, run, buffers)) return std::nullopt;
  std::vector<Rank> ids = buffers.head;
  ids.insert(ids.end(), buffers.repeats, buffers.repeated);
  ids.insert(ids.end(), buffers.tail.begin(), buffers.tail.end());
  return ids;
}

std::vector<Rank> heap_ids(const RankTable& ranks, std::string_view piece) {
  internal::LargePieceBuffers buffers;
  std::vector<Rank> ids;
  internal::merge_large_piece(ranks, piece, buffers, [&ids](Rank rank) { ids.push_back(rank); });
  return ids;
}

class ByteRunTest : public ::testing::TestWithParam<std::string> {
 protected:
  const RankTable& ranks() const { return ranks_of(encoder_for(GetParam())); }
};

// The reference: the naive merge where it is quick enough, else the heap.
std::vector<Rank> expected_ids(const RankTable& ranks, std::string_view piece) {
  return piece.size() <= 200 ? reference_bpe(ranks, piece) : heap_ids(ranks, piece);
}

// The bytes whose runs are the long pieces of real text, alone and with the
// bytes a pre-tokenizer piece may hold around them, at every length the naive
// merge checks in reasonable time and far longer against the heap.
TEST_P(ByteRunTest, RunsOfTheCommonBytesMatchTheDefinitionAtEveryLength) {
  workloads::SplitMix64 rng(31);
  const std::vector<std::string> ends = {"", "\n", "\r\n", " ", "x", "-=", "\n\n\n", "/"};
  for (char byte : {' ', '-', '=', 'a', '\n', '#'}) {
    for (std::size_t n = 1; n <= 3000; n += n < 260 ? 1 : 13) {
      const std::string& before = ends[rng.uniform(ends.size())];
      const std::string& after = ends[rng.uniform(ends.size())];
      for (const std::string& piece : {std::string(n, byte), before + std::string(n, byte) + after}) {
        if (auto got = run_ids(ranks(), piece)) {
          ASSERT_EQ(*got, expected_ids(ranks(), piece)) << n << " x " << int{byte} << " in " << piece.size();
        }
      }
    }
  }
}

// Every byte value, through byte_pair_encode (the dispatch an encoder uses),
// at lengths around multiples of the longest token, with random bytes around.
TEST_P(ByteRunTest, RunsOfEveryByteValueMatchTheMerge) {
  workloads::SplitMix64 rng(37);
  for (int b = 0; b < 256; ++b) {
    for (std::size_t n : {129, 255, 256, 257, 511, 512, 513, 1000, 4095, 4096, 4097, 20011}) {
      const std::string run(n, static_cast<char>(b));
      const std::string around = random_bytes(rng, rng.uniform(3)) + run + random_bytes(rng, rng.uniform(kMaxAround));
      for (const std::string& piece : {run, around}) {
        std::vector<Rank> got;
        internal::byte_pair_encode(ranks(), piece, merge_scratch(), &got);
        ASSERT_EQ(got, heap_ids(ranks(), piece)) << n << " x " << b << " in " << piece.size();
      }
    }
  }
}

// The encoder must actually serve the pieces it exists for: a refusal is
// exact but slow, and would hide behind the tests above.
TEST_P(ByteRunTest, ServesRunsOfSpacesDashesAndLetters) {
  for (char byte : {' ', '-', '=', 'a', '\n'}) {
    for (std::size_t n : {1100, 2000, 1 << 20}) {
      EXPECT_TRUE(run_ids(ranks(), std::string(n, byte))) << n << " x " << int{byte};
    }
  }
  EXPECT_TRUE(run_ids(ranks(), std::string(2000, '-') + "\n"));
  EXPECT_TRUE(run_ids(ranks(), " " + std::string(2000, '=')));
}

INSTANTIATE_TEST_SUITE_P(AllEncodings, ByteRunTest, ::testing::ValuesIn(all_encodings()));

// Vocabularies of every byte, runs of 'x' of random lengths and a few tokens
// joining 'x' and 'y', all with random ranks: merges in no rank order, runs
// BPE cannot reach, periods whose junction with a head or tail does not hold. Whatever the encoder answers must be
// the definition's, and it must answer often enough to be tested.
TEST(ByteRun, RandomRunVocabulariesMatchTheDefinitionOrRefuse) {
  workloads::SplitMix64 rng(29);
  std::size_t answered = 0;
  std::size_t refused = 0;
  for (int vocabulary = 0; vocabulary < 300; ++vocabulary) {
    std::vector<std::pair<std::string, Rank>> tokens;
    std::vector<Rank> order;
    const std::size_t runs = 1 + rng.uniform(12);
    for (Rank r = 0; r < 256 + runs; ++r) order.push_back(r);
    for (std::size_t i = order.size() - 1; i > 0; --i) std::swap(order[i], order[rng.uniform(i + 1)]);
    for (int b = 0; b < 256; ++b) tokens.emplace_back(std::string(1, static_cast<char>(b)), order[b]);
    std::vector<std::size_t> lengths;
    while (lengths.size() < runs) {
      const std::size_t length = 2 + rng.uniform(30);
      if (std::find(lengths.begin(), lengths.end(), length) == lengths.end()) lengths.push_back(length);
    }
    for (std::size_t i = 0; i < runs; ++i) tokens.emplace_back(std::string(lengths[i], 'x'), order[256 + i]);
    // A few tokens that join the run to the bytes around it.
    for (const char* joint : {"yx", "xy", "yxx", "xxy", "yy"}) {
      if (rng.uniform(2) == 0) tokens.emplace_back(joint, static_cast<Rank>(tokens.size()));
    }
    const RankTable ranks(tokens);
    for (std::size_t n = 1; n <= 400; n += n < 150 ? 1 : 3) {
      const std::string piece = std::string(rng.uniform(3), 'y') + std::string(n, 'x') + std::string(rng.uniform(3), 'y');
      const auto got = run_ids(ranks, piece);
      if (!got) {
        ++refused;
        continue;
      }
      ++answered;
      ASSERT_EQ(*got, expected_ids(ranks, piece)) << "vocabulary " << vocabulary << ", " << piece;
    }
  }
  EXPECT_GT(answered, 5000u);
  EXPECT_GT(refused, 100u);
}

}  // namespace
}  // namespace flashtok::testing
