// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// The C API's thread-safety promises (flashtok_c.h): one encoder handle used
// by many threads at once, and each thread's own last error; one fixed-prefix
// cache handle used by many threads at once; one session cache handle
// updated by many threads, each with its own results; one session streamed
// into by threads in turn, each holding it. Runs under
// ThreadSanitizer (its name has "Concurrent").
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "flashtok/flashtok_c.h"
#include "test_support.h"

namespace flashtok::testing {
namespace {

TEST(CApiConcurrent, ThreadsShareOneEncoderAndKeepTheirOwnErrors) {
  flashtok_encoder* enc = nullptr;
  ASSERT_EQ(flashtok_encoder_new_builtin("o200k_base", &enc), FLASHTOK_OK);
  constexpr int kThreads = 4;
  std::vector<int> failures(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      workloads::SplitMix64 rng(100 + t);
      for (int i = 0; i < 200; ++i) {
        const std::string text = random_class_text(rng, rng.uniform(60));
        const std::vector<Rank> expected = encoder_for("o200k_base").encode_ordinary(text);
        std::vector<flashtok_rank> ids(text.size());
        size_t n = 0;
        if (flashtok_encode_ordinary(enc, text.data(), text.size(), ids.data(), ids.size(), &n) != FLASHTOK_OK ||
            std::vector<Rank>(ids.begin(), ids.begin() + n) != expected) {
          ++failures[t];
        }
        // Odd threads fail a call; the others must not see its message.
        const flashtok_rank bad = flashtok_encoder_n_vocab(enc) + 1;
        char out[8];
        if (t % 2 == 1 && flashtok_decode(enc, &bad, 1, 1, out, sizeof out, &n) != FLASHTOK_INVALID_TOKEN) ++failures[t];
        const bool has_message = flashtok_last_error()[0] != '\0';
        if (has_message != (t % 2 == 1)) ++failures[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  flashtok_encoder_free(enc);
  EXPECT_EQ(failures, std::vector<int>(kThreads, 0));
}

// Threads encode their own suffixes after one shared prefix (the ids pass
// through a buffer of each thread's own): always a full encode.
TEST(CApiConcurrent, ThreadsShareOneFixedPrefixCache) {
  flashtok_encoder* enc = nullptr;
  ASSERT_EQ(flashtok_encoder_new_builtin("cl100k_base", &enc), FLASHTOK_OK);
  const std::string prefix = "You are a helpful assistant. Answer briefly.\n\n" + std::string(300, ' ');
  flashtok_fixed_prefix_cache* cache = nullptr;
  ASSERT_EQ(flashtok_fixed_prefix_cache_new(enc, prefix.data(), prefix.size(), &cache), FLASHTOK_OK);
  const flashtok_rank* stable = nullptr;
  size_t stable_n = 0;
  flashtok_fixed_prefix_cache_stable_tokens(cache, &stable, &stable_n);
  constexpr int kThreads = 4;
  std::vector<int> failures(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      workloads::SplitMix64 rng(300 + t);
      for (int i = 0; i < 200; ++i) {
        const std::string suffix = (i % 2 == 0 ? std::string(rng.uniform(20), ' ') : std::string()) +
                                   random_class_text(rng, rng.uniform(40));
        std::vector<Rank> mine(stable, stable + stable_n);
        std::vector<flashtok_rank> tail(suffix.size() + flashtok_fixed_prefix_cache_unstable_bytes(cache));
        size_t n = 0;
        if (flashtok_fixed_prefix_cache_encode_tail(cache, suffix.data(), suffix.size(), tail.data(), tail.size(),
                                                    &n) != FLASHTOK_OK) {
          ++failures[t];
          continue;
        }
        mine.insert(mine.end(), tail.begin(), tail.begin() + static_cast<std::ptrdiff_t>(n));
        if (mine != encoder_for("cl100k_base").encode_ordinary(prefix + suffix)) ++failures[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  flashtok_fixed_prefix_cache_free(cache);
  flashtok_encoder_free(enc);
  EXPECT_EQ(failures, std::vector<int>(kThreads, 0));
}

// Each thread keeps one session of a shared cache and applies the splices it
// gets back (which live per thread) to its own ids: always a full encode.
// On one lock and on four shards.
class CApiSessionShards : public ::testing::TestWithParam<std::size_t> {};

TEST_P(CApiSessionShards, ConcurrentThreadsShareOneSessionCacheAndGetTheirOwnSplices) {
  flashtok_encoder* enc = nullptr;
  ASSERT_EQ(flashtok_encoder_new_builtin("cl100k_base", &enc), FLASHTOK_OK);
  flashtok_session_cache* cache = nullptr;
  ASSERT_EQ(flashtok_session_cache_new_sharded(enc, 0, 0, GetParam(), &cache), FLASHTOK_OK);
  constexpr int kThreads = 4;
  std::vector<int> failures(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      workloads::SplitMix64 rng(200 + t);
      const std::string session = "session " + std::to_string(t);
      std::string prompt;
      std::vector<Rank> mine;
      for (int i = 0; i < 60; ++i) {
        // Grow, or edit somewhere, as prompts do.
        const std::string piece = random_class_text(rng, 1 + rng.uniform(40));
        const std::size_t at = i % 3 == 2 ? rng.uniform(prompt.size() + 1) : prompt.size();
        prompt.insert(at, piece);
        const flashtok_splice* splices = nullptr;
        size_t count = 0;
        if (flashtok_session_cache_update(cache, session.data(), session.size(), prompt.data(), prompt.size(),
                                          &splices, &count) != FLASHTOK_OK) {
          ++failures[t];
          continue;
        }
        for (size_t s = 0; s < count; ++s) {
          if (splices[s].restart) mine.clear();
          const auto from = mine.begin() + static_cast<std::ptrdiff_t>(splices[s].first_changed);
          mine.erase(from, from + static_cast<std::ptrdiff_t>(splices[s].replaced_tokens));
          mine.insert(mine.begin() + static_cast<std::ptrdiff_t>(splices[s].first_changed), splices[s].replacement,
                      splices[s].replacement + splices[s].replacement_count);
        }
        if (mine != encoder_for("cl100k_base").encode_ordinary(prompt)) ++failures[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  flashtok_session_cache_free(cache);
  flashtok_encoder_free(enc);
  EXPECT_EQ(failures, std::vector<int>(kThreads, 0));
}

INSTANTIATE_TEST_SUITE_P(OneAndFour, CApiSessionShards, ::testing::Values(std::size_t{1}, std::size_t{4}));

// Threads take turns streaming output into one session: each opens it,
// appends a few chunks, applies the splices to one mirror of ids that all
// threads share and checks it against a full encode, then closes it. The
// mirror and the text have no lock of their own: only the session's hold
// keeps two threads off them at once (ThreadSanitizer reports a race
// otherwise).
TEST(CApiConcurrent, ThreadsTakeTurnsHoldingOneSessionForOutput) {
  flashtok_encoder* enc = nullptr;
  ASSERT_EQ(flashtok_encoder_new_builtin("o200k_base", &enc), FLASHTOK_OK);
  flashtok_session_cache* cache = nullptr;
  ASSERT_EQ(flashtok_session_cache_new(enc, 0, 0, &cache), FLASHTOK_OK);
  std::string text;        // the session's, guarded by the hold
  std::vector<Rank> mine;  // its ids, guarded by the hold
  constexpr int kThreads = 3;
  std::vector<int> failures(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      workloads::SplitMix64 rng(400 + t);
      for (int round = 0; round < 20; ++round) {
        flashtok_session_output* out = nullptr;
        if (flashtok_session_output_open(cache, "shared", 6, &out) != FLASHTOK_OK) {
          ++failures[t];
          continue;
        }
        for (int chunk = 0, chunks = 1 + static_cast<int>(rng.uniform(5)); chunk < chunks; ++chunk) {
          const std::string piece = random_class_text(rng, 1 + rng.uniform(12));
          const flashtok_splice* splices = nullptr;
          size_t count = 0;
          if (flashtok_session_output_append(out, piece.data(), piece.size(), &splices, &count) != FLASHTOK_OK ||
              count > 1) {
            ++failures[t];
            break;
          }
          text += piece;
          if (count == 1) {
            if (splices[0].restart) mine.clear();
            mine.resize(splices[0].first_changed);  // an append keeps nothing after what it replaces
            mine.insert(mine.end(), splices[0].replacement, splices[0].replacement + splices[0].replacement_count);
          }
        }
        if (mine != encoder_for("o200k_base").encode_ordinary(text)) ++failures[t];
        flashtok_session_output_close(out);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::vector<flashtok_rank> held(mine.size() + 1);
  size_t n = 0;
  EXPECT_EQ(flashtok_session_cache_tokens(cache, "shared", 6, held.data(), held.size(), &n), FLASHTOK_OK);
  EXPECT_EQ(std::vector<Rank>(held.begin(), held.begin() + static_cast<std::ptrdiff_t>(n)), mine);
  flashtok_session_cache_free(cache);
  flashtok_encoder_free(enc);
  EXPECT_EQ(failures, std::vector<int>(kThreads, 0));
}

}  // namespace
}  // namespace flashtok::testing
