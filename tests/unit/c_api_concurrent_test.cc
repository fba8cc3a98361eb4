// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// The C API's thread-safety promises (flashtok_c.h): one encoder handle used
// by many threads at once, and each thread's own last error. Runs under
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

}  // namespace
}  // namespace flashtok::testing
