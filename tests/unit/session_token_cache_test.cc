// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// SessionTokenCache against a full encode of each session's prompt.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <thread>

#include "flashtok/session_token_cache.h"
#include "test_support.h"

namespace flashtok::testing {
namespace {

void apply_delta(const TokenDelta& delta, std::vector<Rank>* ids) {
  if (delta.restart) ids->clear();
  ASSERT_LE(delta.rollback_tokens, ids->size());
  ids->resize(ids->size() - delta.rollback_tokens);
  ids->insert(ids->end(), delta.tokens_to_append.begin(), delta.tokens_to_append.end());
}

// A random next prompt: mostly an extension, sometimes an edit near the end,
// sometimes a history cut at the front (a sliding window).
std::string next_prompt(workloads::SplitMix64& rng, const std::string& prompt) {
  const std::uint64_t kind = rng.uniform(10);
  if (kind < 6 || prompt.empty()) return prompt + random_class_text(rng, 1 + rng.uniform(12));
  if (kind < 9) {
    const std::size_t keep = prompt.size() - std::min<std::size_t>(prompt.size(), rng.uniform(10));
    return prompt.substr(0, keep) + random_class_text(rng, rng.uniform(12));
  }
  return prompt.substr(std::min<std::size_t>(prompt.size(), 1 + rng.uniform(8)));
}

class SessionTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::shared_ptr<const Encoder> encoder() const { return Encoder::builtin(GetParam()); }
};

TEST_P(SessionTest, RandomPromptSequencesAreExact) {
  const auto enc = encoder();
  SessionTokenCache cache(enc);
  workloads::SplitMix64 rng(77);
  const std::vector<std::string> ids = {"alice", "bob", "user", "assistant"};
  std::map<std::string, std::string> prompts;
  std::map<std::string, std::vector<Rank>> mirrors;
  for (int i = 0; i < 20000; ++i) {
    const std::string& id = ids[rng.uniform(ids.size())];
    std::string& prompt = prompts[id];
    TokenDelta delta;
    if (prompt.size() > 120) {  // a new conversation under the same id
      prompt = random_class_text(rng, 1 + rng.uniform(12));
      delta = cache.update(id, prompt);
    } else if (rng.uniform(4) == 0) {
      const std::string output = random_class_text(rng, 1 + rng.uniform(10));
      prompt += output;
      delta = cache.append_output(id, output);
    } else {
      prompt = next_prompt(rng, prompt);
      delta = cache.update(id, prompt);
    }
    apply_delta(delta, &mirrors[id]);
    const auto expected = enc->encode_ordinary(prompt);
    ASSERT_EQ(cache.tokens(id), expected) << "step " << i << " session " << id;
    ASSERT_EQ(mirrors[id], expected) << "the delta does not lead to the new ids";
  }
  const auto stats = cache.stats();
  EXPECT_GT(stats.hits, 0u);
  EXPECT_GT(stats.partial_hits, 0u);
  EXPECT_EQ(stats.updates, 20000u);
}

TEST_P(SessionTest, IdsAreComparedExactly) {
  SessionTokenCache cache(encoder());
  cache.update("user", "the user's text");
  cache.update("User", "something else");
  cache.update("assistant", "the assistant's text");
  EXPECT_EQ(cache.session_count(), 3u);
  EXPECT_EQ(cache.tokens("user"), encoder()->encode_ordinary("the user's text"));
  EXPECT_TRUE(cache.tokens("nobody").empty());
}

TEST_P(SessionTest, ExtensionEncodesOnlyTheNewBytes) {
  SessionTokenCache cache(encoder());
  const std::string history = "System: be brief.\nUser: hello there\nAssistant: hi!\n";
  EXPECT_TRUE(cache.update("s", history).restart);
  const TokenDelta delta = cache.update("s", history + "User: and now?\n");
  EXPECT_FALSE(delta.restart);
  const auto stats = cache.stats();
  EXPECT_EQ(stats.hits, 1u);
  EXPECT_EQ(stats.misses, 1u);
  EXPECT_LT(stats.bytes_encoded, history.size() + 40);
}

TEST_P(SessionTest, EvictionKeepsBoundsAndStaysExact) {
  SessionTokenCache::Options options;
  options.max_sessions = 2;
  SessionTokenCache cache(encoder(), options);
  cache.update("a", "first session");
  cache.update("b", "second session");
  cache.update("c", "third session");  // evicts "a", the least recently used
  EXPECT_EQ(cache.session_count(), 2u);
  EXPECT_EQ(cache.stats().evictions, 1u);
  EXPECT_TRUE(cache.tokens("a").empty());
  const TokenDelta again = cache.update("a", "first session, longer");
  EXPECT_TRUE(again.restart);
  EXPECT_EQ(again.tokens_to_append, encoder()->encode_ordinary("first session, longer"));

  SessionTokenCache::Options small;
  small.max_bytes = 4096;
  SessionTokenCache bounded(encoder(), small);
  for (int i = 0; i < 50; ++i) bounded.update("s" + std::to_string(i), std::string(300, 'x') + std::to_string(i));
  EXPECT_LE(bounded.memory_bytes(), small.max_bytes);
  EXPECT_GT(bounded.stats().evictions, 0u);
}

TEST_P(SessionTest, ResetAndEraseForgetTheText) {
  SessionTokenCache cache(encoder());
  cache.update("s", "some text");
  EXPECT_TRUE(cache.reset("s"));
  EXPECT_TRUE(cache.tokens("s").empty());
  EXPECT_TRUE(cache.update("s", "some text again").restart);
  EXPECT_TRUE(cache.erase("s"));
  EXPECT_FALSE(cache.erase("s"));
  EXPECT_EQ(cache.session_count(), 0u);
}

// Different sessions from different threads (run under ThreadSanitizer in CI).
TEST_P(SessionTest, ConcurrentSessionsAreExact) {
  const auto enc = encoder();
  SessionTokenCache::Options options;
  options.max_sessions = 6;  // fewer than the sessions used: evictions race with updates
  SessionTokenCache cache(enc, options);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      workloads::SplitMix64 rng(1000 + t);
      std::map<std::string, std::string> prompts;
      for (int i = 0; i < 2000; ++i) {
        const std::string id = "t" + std::to_string(t) + "-" + std::to_string(rng.uniform(3));
        std::string& prompt = prompts[id];
        if (prompt.size() > 100) prompt.clear();
        prompt = next_prompt(rng, prompt);
        const TokenDelta delta = cache.update(id, prompt);
        const auto tokens = cache.tokens(id);
        // Another thread may have evicted it in between; when present it is exact.
        if (!tokens.empty() && tokens != enc->encode_ordinary(prompt)) ++failures;
        if (delta.restart && delta.tokens_to_append != enc->encode_ordinary(prompt)) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_LE(cache.session_count(), 6u);
}

INSTANTIATE_TEST_SUITE_P(AllEncodings, SessionTest, ::testing::ValuesIn(all_encodings()));

}  // namespace
}  // namespace flashtok::testing
