// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// Long runs of the bounded caches: many sessions and many prefixes, far more
// than fit. After every request the bounds hold, and sampled requests are
// still exact. (The documented overhead per block is in shared_prefix_token_cache.h.)
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "flashtok/session_token_cache.h"
#include "flashtok/shared_prefix_token_cache.h"
#include "test_support.h"

namespace flashtok::testing {
namespace {

TEST(Soak, SessionCacheStaysWithinItsBounds) {
  const auto encoder = Encoder::builtin("o200k_base");
  SessionTokenCache::Options options;
  options.max_sessions = 40;
  options.max_bytes = 256 << 10;
  SessionTokenCache cache(encoder, options);
  workloads::SplitMix64 rng(2026);
  std::vector<std::string> prompts(400);  // what each user last sent
  for (int turn = 0; turn < 20000; ++turn) {
    const std::size_t user = static_cast<std::size_t>(rng.uniform(prompts.size()));
    std::string& prompt = prompts[user];
    prompt += random_class_text(rng, 1 + rng.uniform(40));
    if (prompt.size() > 6000) prompt.erase(0, prompt.size() - 3000);  // a sliding window
    const std::string id = "user-" + std::to_string(user);
    cache.update(id, prompt);
    ASSERT_LE(cache.session_count(), options.max_sessions) << "turn " << turn;
    ASSERT_LE(cache.memory_bytes(), options.max_bytes) << "turn " << turn;
    if (turn % 97 == 0) {
      ASSERT_EQ(cache.tokens(id), encoder->encode_ordinary(prompt)) << "turn " << turn;
    }
  }
  EXPECT_GT(cache.stats().evictions, 1000u);
}

TEST(Soak, SharedPrefixTokenCacheStaysWithinItsBounds) {
  const auto encoder = Encoder::builtin("cl100k_base");
  SharedPrefixTokenCache::Options options;
  options.block_bytes = 64;
  options.max_blocks = 300;
  SharedPrefixTokenCache cache(encoder, options);
  workloads::SplitMix64 rng(7);
  std::vector<std::string> templates;
  for (int i = 0; i < 500; ++i) templates.push_back(random_class_text(rng, 100 + rng.uniform(400)));
  // The documented bound: max_blocks nodes of their block's bytes, at most
  // one id per byte at 16 bytes each (the id and its piece's record), and a
  // fixed per-node overhead.
  const std::size_t bound = options.max_blocks * (SharedPrefixTokenCache::kNodeOverheadBytes + 17 * options.block_bytes);
  for (int request = 0; request < 20000; ++request) {
    const std::string text = templates[rng.uniform(templates.size())] + random_class_text(rng, rng.uniform(60));
    const auto ids = cache.encode_ordinary(text);
    ASSERT_LE(cache.block_count(), options.max_blocks) << "request " << request;
    ASSERT_LE(cache.memory_bytes(), bound) << "request " << request;
    if (request % 97 == 0) {
      ASSERT_EQ(ids, encoder->encode_ordinary(text)) << "request " << request;
    }
  }
  EXPECT_GT(cache.stats().evictions, 1000u);
  EXPECT_GT(cache.stats().hits, 1000u);
}

}  // namespace
}  // namespace flashtok::testing
