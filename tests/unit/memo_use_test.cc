// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// Encoder::memo_use, which benchmark reports print beside every throughput
// figure: it must count the pieces the encoder walks, the ones a merge would
// build, and which of those this thread's memo held when they came.
#include <gtest/gtest.h>

#include <cmath>
#include <thread>

#include "test_support.h"

namespace flashtok::testing {
namespace {

// Runs body on a thread of its own: a new thread starts with an empty memo.
template <typename Body>
void on_fresh_thread(Body body) {
  std::thread thread(body);
  thread.join();
}

TEST(MemoUseTest, CountsTheFirstSightingOfAPieceAsAMissAndTheNextAsHits) {
  const Encoder& encoder = encoder_for("cl100k_base");
  // Neither piece is one token, so each is merged, and " qzxvj" comes three times.
  ASSERT_GT(encoder.encode_ordinary("qzxvj").size(), 1u);
  ASSERT_GT(encoder.encode_ordinary(" qzxvj").size(), 1u);
  on_fresh_thread([&] {
    const Encoder::MemoUse use = encoder.memo_use("qzxvj qzxvj qzxvj qzxvj");
    EXPECT_EQ(use.pieces, 4u);
    EXPECT_EQ(use.merged, 4u);
    EXPECT_EQ(use.memo_hits, 2u);  // " qzxvj" missed once, then was remembered
    EXPECT_DOUBLE_EQ(use.hit_rate(), 0.5);
    const Encoder::MemoUse again = encoder.memo_use("qzxvj qzxvj");
    EXPECT_EQ(again.memo_hits, 2u);
  });
}

TEST(MemoUseTest, PiecesThatAreTokensAreNotAskedFor) {
  const Encoder& encoder = encoder_for("cl100k_base");
  ASSERT_EQ(encoder.encode_ordinary("hello world").size(), 2u);
  on_fresh_thread([&] {
    const Encoder::MemoUse use = encoder.memo_use("hello world");
    EXPECT_EQ(use.pieces, 2u);
    EXPECT_EQ(use.merged, 0u);
    EXPECT_EQ(use.memo_hits, 0u);
    EXPECT_TRUE(std::isnan(use.hit_rate()));  // nothing merged: no rate
  });
  const Encoder::MemoUse empty = encoder.memo_use("");
  EXPECT_EQ(empty.pieces, 0u);
}

// The memo keys its entries by table: what one encoding merged is no hit
// for another, whose ids for the same bytes differ.
TEST(MemoUseTest, AnotherEncodingsEntriesAreNoHits) {
  const Encoder& cl100k = encoder_for("cl100k_base");
  const Encoder& o200k = encoder_for("o200k_base");
  ASSERT_GT(o200k.encode_ordinary("qzxvj").size(), 1u);
  on_fresh_thread([&] {
    cl100k.memo_use("qzxvj");
    EXPECT_EQ(o200k.memo_use("qzxvj").memo_hits, 0u);
    EXPECT_EQ(o200k.memo_use("qzxvj").memo_hits, 1u);
  });
}

// Counting changes nothing about the ids: an encode after it gives them as before.
TEST(MemoUseTest, LeavesTheIdsAsTheyWere) {
  const Encoder& encoder = encoder_for("o200k_base");
  const std::string text = "Grüße aus Köln: 12345 qzxvj qzxvj!\n  \n";
  const std::vector<Rank> before = encoder.encode_ordinary(text);
  const Encoder::MemoUse use = encoder.memo_use(text);
  EXPECT_LE(use.pieces, before.size());  // a piece is at least one id
  EXPECT_GT(use.merged, 0u);
  EXPECT_LE(use.merged, use.pieces);
  EXPECT_EQ(encoder.encode_ordinary(text), before);
}

}  // namespace
}  // namespace flashtok::testing
