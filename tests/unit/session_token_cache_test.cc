// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// SessionTokenCache against a full encode of each session's prompt.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <thread>

#include "flashtok/session_token_cache.h"
#include "test_support.h"

namespace flashtok::testing {
namespace {

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

// append_output into one reused TokenDelta gives what the call that returns
// a new one gives, field by field, also right after a cold update (restart
// set) and after an eviction; long session ids (no small-string storage).
TEST_P(SessionTest, ReusedOutputDeltaIsTheDeltaReturned) {
  workloads::SplitMix64 rng(0x0d17a);
  SessionTokenCache::Options options;
  options.max_sessions = 2;
  SessionTokenCache by_value(encoder(), options);
  SessionTokenCache reusing(encoder(), options);
  TokenDelta delta = stale_delta();
  for (int i = 0; i < 2000; ++i) {
    const std::string id = "conversation-number-" + std::to_string(rng.uniform(3));
    if (rng.chance(1, 8)) {  // a prompt: cold for a new or evicted session
      const std::string prompt = random_class_text(rng, rng.uniform(40));
      expect_same_delta(reusing.update(id, prompt), by_value.update(id, prompt));
    } else {
      const std::string output = rng.chance(1, 4) ? std::string(rng.uniform(30), ' ') : random_class_text(rng, rng.uniform(8));
      reusing.append_output(id, output, &delta);
      expect_same_delta(delta, by_value.append_output(id, output));
    }
    if (HasFatalFailure()) return;
    ASSERT_EQ(reusing.tokens(id), by_value.tokens(id)) << "step " << i;
  }
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

// Per-call appends count the bytes they grow (an append that grows no
// buffer is not accounted again): a session streamed per call to 100 KB
// counts at least its text and ids, and under a bound of 64 KB it is dropped
// once it alone outgrows it, every call within the bound. A call that did
// not account its growth fails both.
TEST_P(SessionTest, PerCallAppendsCountTheBytesTheyGrow) {
  workloads::SplitMix64 rng(5);
  std::vector<std::string> chunks;
  std::string text = "Assistant:";
  for (std::size_t size = text.size(); size < 100000; size += chunks.back().size()) {
    chunks.push_back(random_class_text(rng, 1 + rng.uniform(20)));
  }
  SessionTokenCache cache(encoder());
  cache.update("s", text);
  for (const std::string& chunk : chunks) {
    cache.append_output("s", chunk);
    text += chunk;
  }
  const std::vector<Rank> ids = cache.tokens("s");
  EXPECT_EQ(ids, encoder()->encode_ordinary(text));
  EXPECT_GE(cache.memory_bytes(), text.size() + ids.size() * sizeof(Rank));

  SessionTokenCache::Options small;
  small.max_bytes = 64 << 10;
  SessionTokenCache bounded(encoder(), small);
  bounded.update("s", "Assistant:");
  for (const std::string& chunk : chunks) {
    bounded.append_output("s", chunk);
    ASSERT_LE(bounded.memory_bytes(), small.max_bytes);
  }
  EXPECT_GT(bounded.stats().oversized, 0u);
}

// The sessions kept are those a least-recently-used order keeps, against a
// list as the model, through random appends (a use), erasures and reads
// (tokens(): not a use). A cache that evicted in order of creation, or that
// counted a read as a use, fails it.
TEST_P(SessionTest, EvictionFollowsTheLeastRecentlyUsedOrder) {
  SessionTokenCache::Options options;
  options.max_sessions = 4;
  SessionTokenCache cache(encoder(), options);
  std::vector<int> model;  // most recently used first
  workloads::SplitMix64 rng(20261206);
  for (int step = 0; step < 4000; ++step) {
    const int k = static_cast<int>(rng.uniform(9));
    const std::string id = "s" + std::to_string(k);
    const auto at = std::find(model.begin(), model.end(), k);
    const std::uint64_t op = rng.uniform(10);
    if (op < 7) {
      cache.append_output(id, "x ");
      if (at != model.end()) model.erase(at);
      model.insert(model.begin(), k);
      if (model.size() > options.max_sessions) model.pop_back();
    } else if (op < 8) {
      ASSERT_EQ(cache.erase(id), at != model.end()) << "step " << step;
      if (at != model.end()) model.erase(at);
    } else {
      ASSERT_EQ(cache.tokens(id).empty(), at == model.end()) << "step " << step;
    }
    ASSERT_EQ(cache.session_count(), model.size()) << "step " << step;
  }
  for (int k = 0; k < 9; ++k) {
    const bool kept = std::find(model.begin(), model.end(), k) != model.end();
    EXPECT_EQ(cache.tokens("s" + std::to_string(k)).empty(), !kept) << k;
  }
}

// Many sessions with ids that differ only in their last bytes (the map
// hashes each id once per call and keeps the hash in its key), appended to
// round robin past the map's rehashes: each keeps its own text, exact, and
// erasing some leaves the others.
TEST_P(SessionTest, ManySessionsKeepTheirOwnText) {
  const auto enc = encoder();
  SessionTokenCache cache(enc);
  constexpr int kSessions = 100;
  auto id = [](int i) { return "conversation-" + std::to_string(i % 10) + "-" + std::to_string(i); };
  std::vector<std::string> texts(kSessions);
  std::vector<std::vector<Rank>> mirrors(kSessions);
  for (int round = 0; round < 4; ++round) {
    for (int i = 0; i < kSessions; ++i) {
      const std::string chunk = " turn " + std::to_string(round) + " of " + std::to_string(i) + (i % 3 ? "," : "  ");
      texts[i] += chunk;
      apply_delta(cache.append_output(id(i), chunk), &mirrors[i]);
    }
  }
  EXPECT_EQ(cache.session_count(), static_cast<std::size_t>(kSessions));
  for (int i = 0; i < kSessions; i += 2) EXPECT_TRUE(cache.erase(id(i)));
  for (int i = 0; i < kSessions; ++i) {
    ASSERT_EQ(mirrors[i], enc->encode_ordinary(texts[i])) << id(i);
    EXPECT_EQ(cache.tokens(id(i)), i % 2 ? mirrors[i] : std::vector<Rank>{}) << id(i);
  }
  EXPECT_TRUE(cache.tokens("conversation-1-").empty());
  EXPECT_EQ(cache.session_count(), static_cast<std::size_t>(kSessions / 2));
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

// One session from several threads at once, while another thread reads,
// resets and erases it and fills the cache so that it is evicted while a
// thread works on it (run under ThreadSanitizer and AddressSanitizer in CI).
// The order of the updates is the cache's, so each delta is checked against
// what any order must give: its new ids end a full encode of its prompt, and
// a restart carries all of them; after the threads, one more update is exact.
TEST_P(SessionTest, ConcurrentUpdatesOfOneSessionAreExact) {
  const auto enc = encoder();
  SessionTokenCache::Options options;
  options.max_sessions = 2;
  SessionTokenCache cache(enc, options);
  std::atomic<int> failures{0};
  std::atomic<bool> done{false};
  std::vector<std::thread> writers;
  for (int t = 0; t < 3; ++t) {
    writers.emplace_back([&, t] {
      workloads::SplitMix64 rng(2000 + t);
      std::string prompt;
      for (int i = 0; i < 600; ++i) {
        if (prompt.size() > 200) prompt.clear();
        prompt = next_prompt(rng, prompt);
        const TokenDelta delta = cache.update("shared", prompt);
        const auto expected = enc->encode_ordinary(prompt);
        const auto& fresh = delta.tokens_to_append;
        const auto fresh_begin = expected.end() - static_cast<std::ptrdiff_t>(std::min(fresh.size(), expected.size()));
        const bool ends_expected =
            fresh.size() <= expected.size() && std::equal(fresh.begin(), fresh.end(), fresh_begin);
        if (!ends_expected || (delta.restart && fresh != expected)) ++failures;
      }
    });
  }
  std::thread meddler([&] {
    workloads::SplitMix64 rng(3000);
    while (!done.load()) {
      switch (rng.uniform(4)) {
        case 0: cache.tokens("shared"); break;
        case 1: cache.reset("shared"); break;
        case 2: cache.erase("shared"); break;
        default: cache.update("other" + std::to_string(rng.uniform(3)), random_class_text(rng, 20)); break;
      }
    }
  });
  for (auto& writer : writers) writer.join();
  done = true;
  meddler.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_LE(cache.session_count(), options.max_sessions);
  const std::string last = "after the threads: one more prompt";
  cache.update("shared", last);
  EXPECT_EQ(cache.tokens("shared"), enc->encode_ordinary(last));
}

// A session evicted while a thread works on it, on purpose rather than by
// chance: one thread encodes a long prompt into session "held" while another
// fills the cache with new sessions. The held session leaves the cache at
// once (the bound holds; nothing else sees it) and is deleted only when its
// thread is done (under AddressSanitizer: no use after free, no leak); that
// thread's delta is still exact. Whether the fill came while the session was
// held is checked, and the prompt made longer until it did.
TEST(SessionConcurrent, EvictingAHeldSessionWaitsForItsThread) {
  const auto enc = Encoder::builtin("cl100k_base");
  workloads::SplitMix64 rng(4242);
  const std::string paragraph = random_class_text(rng, 1 << 16);
  bool evicted_while_held = false;
  for (std::size_t megabytes = 4; megabytes <= 64 && !evicted_while_held; megabytes *= 2) {
    SessionTokenCache::Options options;
    options.max_sessions = 2;
    SessionTokenCache cache(enc, options);
    std::string prompt;
    while (prompt.size() < (megabytes << 20)) prompt += paragraph;
    std::atomic<bool> done{false};
    TokenDelta delta;
    std::thread worker([&] {
      delta = cache.update("held", prompt);
      done = true;
    });
    // claim() creates the session and marks it held under one lock: once it
    // is counted, the worker holds it (or is already done): no sleep to guess.
    while (cache.session_count() == 0) std::this_thread::yield();
    for (int i = 0; i < 2; ++i) cache.update("other " + std::to_string(i), "a short prompt");
    const bool held = !done.load();  // the fill ended before the worker's update did
    EXPECT_LE(cache.session_count(), options.max_sessions);
    if (held) {
      EXPECT_TRUE(cache.tokens("held").empty()) << "an evicted session is not found";
    }
    worker.join();
    EXPECT_TRUE(delta.restart);
    EXPECT_EQ(delta.tokens_to_append, enc->encode_ordinary(prompt));
    if (held) {
      EXPECT_TRUE(cache.tokens("held").empty()) << "the worker's accounting must not bring it back";
      EXPECT_GE(cache.stats().evictions, 1u);
      evicted_while_held = true;
    }
  }
  EXPECT_TRUE(evicted_while_held) << "the worker was always done before the fill: 64 MB encoded faster than two short updates?";
}

// A session larger than the whole budget: its update is exact, then it is
// dropped (it would otherwise hold more than max_bytes forever); the sessions
// that fit are not evicted for it, and its next update is a cold restart.
TEST_P(SessionTest, SessionLargerThanTheBudgetIsNotKept) {
  SessionTokenCache::Options options;
  options.max_bytes = 1024;
  SessionTokenCache cache(encoder(), options);
  cache.update("small", "a short prompt");
  const std::string big(20000, 'x');
  const TokenDelta delta = cache.update("big", big);
  EXPECT_TRUE(delta.restart);
  EXPECT_EQ(delta.tokens_to_append, encoder()->encode_ordinary(big));
  EXPECT_LE(cache.memory_bytes(), options.max_bytes);
  EXPECT_EQ(cache.session_count(), 1u);
  EXPECT_TRUE(cache.tokens("big").empty());
  EXPECT_EQ(cache.tokens("small"), encoder()->encode_ordinary("a short prompt"));
  EXPECT_EQ(cache.stats().oversized, 1u);
  EXPECT_EQ(cache.stats().evictions, 0u);
  const TokenDelta again = cache.update("big", big + "y");
  EXPECT_TRUE(again.restart);
  EXPECT_EQ(again.tokens_to_append, encoder()->encode_ordinary(big + "y"));
}

// The bounds hold at every moment another thread can look, not only after
// an update settles: a watcher polls while writers create new sessions (each
// creation used to add before evicting) and sometimes send one larger than
// the whole budget. Run under ThreadSanitizer in CI.
TEST_P(SessionTest, ConcurrentUpdatesNeverExceedTheBounds) {
  SessionTokenCache::Options options;
  options.max_sessions = 4;
  options.max_bytes = 64 << 10;
  SessionTokenCache cache(encoder(), options);
  std::atomic<bool> done{false};
  std::size_t most_sessions = 0, most_bytes = 0;
  std::thread watcher([&] {
    while (!done.load()) {
      most_sessions = std::max(most_sessions, cache.session_count());
      most_bytes = std::max(most_bytes, cache.memory_bytes());
    }
  });
  std::vector<std::thread> writers;
  for (int t = 0; t < 2; ++t) {
    writers.emplace_back([&, t] {
      workloads::SplitMix64 rng(500 + t);
      for (int i = 0; i < 200; ++i) {
        const std::size_t length = rng.uniform(10) == 0 ? 40000 : 1 + rng.uniform(1000);
        cache.update("t" + std::to_string(t) + "-" + std::to_string(i), random_class_text(rng, length));
      }
    });
  }
  for (auto& writer : writers) writer.join();
  done = true;
  watcher.join();
  EXPECT_LE(most_sessions, options.max_sessions);
  EXPECT_LE(most_bytes, options.max_bytes);
  EXPECT_GT(cache.stats().oversized, 0u);
}

INSTANTIATE_TEST_SUITE_P(AllEncodings, SessionTest, ::testing::ValuesIn(all_encodings()));

}  // namespace
}  // namespace flashtok::testing
