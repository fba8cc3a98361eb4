// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "cache/block_doorkeeper.h"

#include <gtest/gtest.h>

#include <map>

#include "flashtok/workloads/prng.h"

namespace flashtok::internal {
namespace {

std::uint64_t key_of(std::uint64_t i) {  // block keys are well-mixed hashes
  std::uint64_t z = i * 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  return z ^ (z >> 27);
}

TEST(BlockDoorkeeper, CountsSightingsOfKeysItHasRoomFor) {
  BlockDoorkeeper doorkeeper(1 << 12);
  workloads::SplitMix64 rng(5);
  std::map<std::uint64_t, unsigned> truth;
  for (int i = 0; i < 5000; ++i) {
    const std::uint64_t key = key_of(rng.uniform(200));  // far fewer keys than slots
    const unsigned counted = ++truth[key];
    ASSERT_EQ(doorkeeper.record(key), std::min(counted, 255u));
  }
  EXPECT_EQ(doorkeeper.record(key_of(1000)), 1u);
}

TEST(BlockDoorkeeper, ForgetsTheOldestOfThreeKeysSharingASlotPair) {
  BlockDoorkeeper doorkeeper(64);
  // Keys equal in their index bits and different in their tags.
  const std::uint64_t a = 6 | (1ull << 20), b = 6 | (2ull << 20), c = 6 | (3ull << 20);
  doorkeeper.record(a);
  doorkeeper.record(a);
  doorkeeper.record(b);
  EXPECT_EQ(doorkeeper.record(a), 3u);  // a and b share the pair
  doorkeeper.record(b);
  doorkeeper.record(c);                  // pushes out a, the least recent
  EXPECT_EQ(doorkeeper.record(a), 1u);
  EXPECT_EQ(doorkeeper.record(c), 2u);
}

TEST(BlockDoorkeeper, HalvingFadesCountsAndForgetsSingleSightings) {
  BlockDoorkeeper doorkeeper(64);
  for (int i = 0; i < 40; ++i) doorkeeper.record(key_of(1));
  doorkeeper.record(key_of(2));
  doorkeeper.halve();
  EXPECT_EQ(doorkeeper.record(key_of(1)), 21u);
  EXPECT_EQ(doorkeeper.record(key_of(2)), 1u);
}

TEST(BlockDoorkeeper, CountsSaturate) {
  BlockDoorkeeper doorkeeper(64);
  unsigned last = 0;
  for (int i = 0; i < 400; ++i) last = doorkeeper.record(key_of(3));
  EXPECT_EQ(last, 255u);
}

}  // namespace
}  // namespace flashtok::internal
