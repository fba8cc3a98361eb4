// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// SessionTokenCache split into shards (Options::shards): exact against a
// full encode, each shard within its share of the bounds, from one thread
// and from several.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "flashtok/session_token_cache.h"
#include "test_support.h"

namespace flashtok::testing {
namespace {

SessionTokenCache::Options sharded(std::size_t shards, std::size_t max_sessions, std::size_t max_bytes) {
  SessionTokenCache::Options options;
  options.shards = shards;
  options.max_sessions = max_sessions;
  options.max_bytes = max_bytes;
  return options;
}

TEST(SessionShards, CountIsClampedToOneAndToMaxSessionsAndTheCap) {
  const auto enc = Encoder::builtin("cl100k_base");
  EXPECT_EQ(SessionTokenCache(enc).options().shards, 1u);
  EXPECT_EQ(SessionTokenCache(enc, sharded(0, 16, 1 << 20)).options().shards, 1u);
  EXPECT_EQ(SessionTokenCache(enc, sharded(8, 16, 1 << 20)).options().shards, 8u);
  EXPECT_EQ(SessionTokenCache(enc, sharded(64, 16, 1 << 20)).options().shards, 16u);
  // A mistaken count (a session count passed as the shards) is capped.
  EXPECT_EQ(SessionTokenCache(enc, sharded(std::size_t{1} << 30, std::size_t{1} << 30, 1 << 20)).options().shards,
            SessionTokenCache::Options::kMaxShards);
}

class SessionShardsTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::shared_ptr<const Encoder> encoder() const { return Encoder::builtin(GetParam()); }
};

// Many sessions over four shards, updated and appended to in a random order:
// every delta leaves the caller's ids equal to a full encode of the text,
// and the bounds hold after every call, evicting within the shards.
TEST_P(SessionShardsTest, RandomCallsOverManySessionsAreExactWithinTheBounds) {
  const auto enc = encoder();
  const SessionTokenCache::Options options = sharded(4, 8, 16 << 10);
  SessionTokenCache cache(enc, options);
  constexpr int kSessions = 24;
  std::vector<std::string> texts(kSessions);
  std::vector<std::vector<Rank>> mirrors(kSessions);
  workloads::SplitMix64 rng(77);
  for (int call = 0; call < 1500; ++call) {
    const int i = static_cast<int>(rng.uniform(kSessions));
    const std::string id = "session-" + std::to_string(i);
    if (texts[i].size() > 600) texts[i].clear();
    const std::string more = random_class_text(rng, 1 + rng.uniform(20));
    if (rng.uniform(2) == 0) {
      const TokenDelta delta = cache.append_output(id, more);
      texts[i] = delta.restart ? more : texts[i] + more;  // evicted: the cache holds the output alone
      apply_delta(delta, &mirrors[i]);
    } else {
      texts[i] = texts[i].substr(0, texts[i].size() - std::min<std::size_t>(texts[i].size(), rng.uniform(8))) + more;
      apply_delta(cache.update(id, texts[i]), &mirrors[i]);
    }
    ASSERT_EQ(mirrors[i], enc->encode_ordinary(texts[i])) << id << " at call " << call;
    ASSERT_LE(cache.session_count(), options.max_sessions);
    ASSERT_LE(cache.memory_bytes(), options.max_bytes);
  }
  const SessionTokenCache::Stats stats = cache.stats();
  EXPECT_EQ(stats.updates, 1500u);
  EXPECT_EQ(stats.hits + stats.partial_hits + stats.misses, stats.updates);
  EXPECT_GT(stats.evictions, 0u);
  for (int i = 0; i < kSessions; ++i) {
    const std::vector<Rank> kept = cache.tokens("session-" + std::to_string(i));
    if (!kept.empty()) {
      EXPECT_EQ(kept, enc->encode_ordinary(texts[i])) << i;
    }
  }
}

// A shard holds an equal share of max_bytes: a session over its shard's
// share is not kept, even though the whole cache could hold it.
TEST_P(SessionShardsTest, ASessionOverItsShardsShareIsNotKept) {
  workloads::SplitMix64 rng(3);
  const std::string prompt = random_class_text(rng, 300);
  SessionTokenCache measure(encoder());
  measure.update("s", prompt);
  const std::size_t bytes = measure.memory_bytes();  // text, ids, piece records
  // Twice its bytes: one shard would keep it, a quarter of that does not.
  SessionTokenCache whole(encoder(), sharded(1, 16, 2 * bytes));
  whole.update("s", prompt);
  EXPECT_EQ(whole.session_count(), 1u);
  SessionTokenCache cache(encoder(), sharded(4, 16, 2 * bytes));
  const TokenDelta delta = cache.update("s", prompt);
  EXPECT_EQ(delta.tokens_to_append, encoder()->encode_ordinary(prompt));
  EXPECT_EQ(cache.stats().oversized, 1u);
  EXPECT_EQ(cache.session_count(), 0u);
  EXPECT_TRUE(cache.update("s", prompt + "!").restart);
}

// Threads appending per call to their own sessions over four shards, while
// evictions within the shards race with them and a reader sums the shards
// (run under ThreadSanitizer in CI): every session still held equals a full
// encode of its text, and each thread's deltas kept its ids exact.
TEST_P(SessionShardsTest, ConcurrentPerCallAppendsOverShardsAreExact) {
  const auto enc = encoder();
  const SessionTokenCache::Options options = sharded(4, 12, 1 << 20);
  SessionTokenCache cache(enc, options);
  constexpr int kThreads = 4;
  constexpr int kSessionsEach = 4;  // 16 sessions for 12 places: evictions
  std::atomic<int> failures{0};
  std::atomic<bool> done{false};
  std::size_t most_sessions = 0;
  std::thread reader([&] {
    while (!done.load()) {
      most_sessions = std::max(most_sessions, cache.session_count());
      const SessionTokenCache::Stats stats = cache.stats();
      if (stats.hits + stats.partial_hits + stats.misses != stats.updates) ++failures;
    }
  });
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      workloads::SplitMix64 rng(900 + t);
      std::vector<std::string> texts(kSessionsEach);
      std::vector<std::vector<Rank>> mirrors(kSessionsEach);
      for (int call = 0; call < 600; ++call) {
        const int i = static_cast<int>(rng.uniform(kSessionsEach));
        if (texts[i].size() > 300) {
          texts[i].clear();
          cache.reset("t" + std::to_string(t) + "-" + std::to_string(i));
        }
        const std::string more = random_class_text(rng, 1 + rng.uniform(10));
        const TokenDelta delta = cache.append_output("t" + std::to_string(t) + "-" + std::to_string(i), more);
        texts[i] = delta.restart ? more : texts[i] + more;  // evicted: the cache holds the output alone
        apply_delta(delta, &mirrors[i]);
        if (mirrors[i] != enc->encode_ordinary(texts[i])) ++failures;
      }
      for (int i = 0; i < kSessionsEach; ++i) {
        const std::vector<Rank> kept = cache.tokens("t" + std::to_string(t) + "-" + std::to_string(i));
        if (!kept.empty() && kept != enc->encode_ordinary(texts[i])) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  done = true;
  reader.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_LE(most_sessions, options.max_sessions);
  EXPECT_EQ(cache.stats().updates, static_cast<std::uint64_t>(kThreads * 600));
}

INSTANTIATE_TEST_SUITE_P(AllEncodings, SessionShardsTest, ::testing::ValuesIn(all_encodings()));

}  // namespace
}  // namespace flashtok::testing
