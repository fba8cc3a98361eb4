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

// What the count's merges teach the memo are the encoder's own ids: on a
// thread whose memo only memo_use filled, an encode (its merged pieces now
// served from that memo) gives the ids of an encode on a thread of its own.
// Under every encoding, on every golden text and on random bytes (tiktoken's
// ids are the golden tests' business; here the reference is a plain encode).
TEST(MemoUseTest, WhatItTeachesTheMemoIsTheEncodersOwnIds) {
  std::string text;
  for (const auto& name : golden_text_names()) text += read_test_file("golden/texts/" + name + ".txt");
  ASSERT_GT(text.size(), 10000u);
  workloads::SplitMix64 rng(7);  // and bytes that are not UTF-8, which the walk keeps too
  for (int i = 0; i < 40; ++i) text += random_bytes(rng, 100) + " " + random_class_text(rng, 100);
  for (const char* name : {"cl100k_base", "o200k_base", "r50k_base", "p50k_base"}) {
    const Encoder& encoder = encoder_for(name);
    std::vector<Rank> reference;
    on_fresh_thread([&] { reference = encoder.encode_ordinary(text); });
    on_fresh_thread([&] {
      const Encoder::MemoUse use = encoder.memo_use(text);
      EXPECT_LE(use.pieces, reference.size()) << name;  // a piece is at least one id
      EXPECT_GT(use.memo_hits, 0u) << name;  // the texts repeat pieces: the memo served some
      EXPECT_LT(use.memo_hits, use.merged) << name;
      const Encoder::MemoUse again = encoder.memo_use(text);
      EXPECT_GT(again.memo_hits, use.memo_hits) << name;  // it learned
      EXPECT_EQ(encoder.encode_ordinary(text), reference) << name;
    });
  }
}

// Encoder::prepare() makes the calling thread's memo resident without
// changing it: called first, the memo still starts empty (every merged piece
// is a miss on its first sighting); called after encodes, every piece the
// memo held it still holds, with the same ids. Thousands of distinct words,
// so that some of them lie where the pages start.
TEST(MemoUseTest, PrepareNeitherFillsNorClearsTheMemo) {
  const Encoder& encoder = encoder_for("cl100k_base");
  workloads::SplitMix64 rng(11);
  std::string text;
  for (int word = 0; word < 6000; ++word) {  // Cyrillic letters at random: seldom one token
    text += ' ';
    for (std::uint64_t n = 4 + rng.uniform(5); n > 0; --n) text += "\xD0" + std::string(1, static_cast<char>(0xB0 + rng.uniform(16)));
  }
  on_fresh_thread([&] {
    encoder.prepare();
    const Encoder::MemoUse first = encoder.memo_use(text);
    const Encoder::MemoUse second = encoder.memo_use(text);
    EXPECT_GT(first.merged, 5000u);
    EXPECT_GT(second.memo_hits, first.memo_hits);  // the memo started with less than it learned
    const std::vector<Rank> before = encoder.encode_ordinary(text);
    encoder.prepare();
    EXPECT_EQ(encoder.memo_use(text).memo_hits, second.memo_hits);
    EXPECT_EQ(encoder.encode_ordinary(text), before);
  });
  on_fresh_thread([&] {
    const Encoder::MemoUse unprepared = encoder.memo_use(text);
    on_fresh_thread([&] {
      encoder.prepare();
      EXPECT_EQ(encoder.memo_use(text).memo_hits, unprepared.memo_hits);  // nothing remembered up front
    });
  });
}

}  // namespace
}  // namespace flashtok::testing
