// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// TokenizedText::append_bounded, the append SessionTokenCache's per-call
// append_output makes under its shard's lock: where it is taken, the same ids
// and delta as the append it replaces (a full encode after every step), and
// nothing changed where it refuses; then per-call appends into one run from
// several threads, beside a stream that holds the same session now and then.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "cache/tokenized_text.h"
#include "flashtok/session_token_cache.h"
#include "test_support.h"

namespace flashtok::testing {
namespace {

class BoundedAppendTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::shared_ptr<const Encoder> encoder() const { return Encoder::builtin(GetParam()); }
};

// Appends one chunk: bounded if append_bounded() takes it (a refusal must
// leave the text as it was), else replace_from(). The delta goes to *mirror.
bool append_chunk(internal::TokenizedText& text, const std::string& chunk, std::vector<Rank>* mirror) {
  const std::string before_text = text.text();
  const std::vector<Rank> before_tokens = text.tokens();
  TokenDelta delta;
  const bool bounded = text.append_bounded(chunk, &delta);
  if (!bounded) {
    EXPECT_EQ(text.text(), before_text) << "a refused bounded append changed the text";
    EXPECT_EQ(text.tokens(), before_tokens) << "a refused bounded append changed the ids";
    text.replace_from(text.text().size(), chunk, &delta);
  }
  apply_delta(delta, mirror);
  return bounded;
}

// Streams into runs of every kind the append path knows (one byte repeated,
// a long word, a long number, a line of punctuation, Han and other longer
// characters), chunks of 1 to 24 bytes with other characters now and then
// and a chunk over the bound now and then; every step against a full encode.
TEST_P(BoundedAppendTest, BoundedAppendsEqualAFullEncode) {
  const auto enc = encoder();
  workloads::SplitMix64 rng(0xb0d + GetParam().size());
  std::size_t bounded = 0;
  std::size_t bounded_into_spaces = 0;
  std::size_t steps = 0;
  auto stream = [&](const std::function<std::string(std::size_t)>& run_of, bool spaces) {
    internal::TokenizedText text(enc);
    std::string mirror_text = random_edge(rng, 6) + run_of(300 + rng.uniform(300));
    text.replace_from(0, mirror_text);
    std::vector<Rank> mirror = text.tokens();
    const std::size_t target = mirror_text.size() + 600 + rng.uniform(900);
    while (mirror_text.size() < target) {
      std::string chunk = run_of(rng.chance(1, 16) ? 60 + rng.uniform(20) : 1 + rng.uniform(24));
      if (rng.chance(1, 16)) chunk.insert(rng.uniform(chunk.size() + 1), random_edge(rng, 3));
      if (append_chunk(text, chunk, &mirror)) {
        ++bounded;
        if (spaces) ++bounded_into_spaces;
      }
      ++steps;
      mirror_text += chunk;
      ASSERT_EQ(text.text(), mirror_text);
      ASSERT_EQ(text.tokens(), enc->encode_ordinary(mirror_text)) << "at " << mirror_text.size();
      ASSERT_EQ(mirror, text.tokens());
    }
  };
  for (const char run : std::string(" a-\n7/\t=z.")) {
    for (const bool mixed : {false, true}) {
      stream([&](std::size_t n) { return class_run(rng, GetParam(), run, n, mixed); }, run == ' ' && !mixed);
    }
  }
  for (const std::string& alphabet : multi_byte_run_alphabets()) {
    stream([&](std::size_t n) { return char_run(rng, GetParam(), alphabet, n / 3 + 1, true); }, false);
  }
  // The path is taken, most of all where it is meant for: not a test that
  // passes because every append fell back.
  EXPECT_GT(bounded, steps / 4) << bounded << " of " << steps;
  EXPECT_GT(bounded_into_spaces, 10u);  // a chunk with another character ends the run
}

// Where the work would grow with the text, it refuses and changes nothing:
// a run not known yet (finding it looks back over it), a tail over the
// bound, a tail that ends the run, a text that ends in a short piece.
TEST_P(BoundedAppendTest, RefusesWhereTheWorkGrowsWithTheText) {
  const auto enc = encoder();
  internal::TokenizedText text(enc);
  std::vector<Rank> mirror;
  std::string mirror_text = "log:" + std::string(100000, ' ');
  text.replace_from(0, mirror_text);
  text.replace_from(mirror_text.size(), "x");  // the buffers grow, so there is room for what follows
  mirror_text.resize(mirror_text.size() - 10);
  text.replace_from(mirror_text.size(), "");  // a cut inside the run: it is forgotten
  mirror = text.tokens();
  EXPECT_FALSE(append_chunk(text, "   ", &mirror)) << "the run is not known before an append finds it";
  EXPECT_TRUE(append_chunk(text, "    ", &mirror));
  EXPECT_FALSE(append_chunk(text, std::string(internal::TokenizedText::kBoundedAppend + 1, ' '), &mirror));
  append_chunk(text, std::string(internal::TokenizedText::kBoundedAppend, ' '), &mirror);  // if the ids have room
  EXPECT_FALSE(append_chunk(text, "  done", &mirror)) << "a word after the run is scanned, not only lengthened";
  EXPECT_FALSE(append_chunk(text, " and more", &mirror));
  mirror_text += "   " + std::string("    ") + std::string(internal::TokenizedText::kBoundedAppend + 1, ' ') +
                 std::string(internal::TokenizedText::kBoundedAppend, ' ') + "  done and more";
  EXPECT_EQ(text.text(), mirror_text);
  EXPECT_EQ(text.tokens(), enc->encode_ordinary(mirror_text));
  EXPECT_EQ(mirror, text.tokens());
  TokenDelta delta;
  EXPECT_FALSE(text.append_bounded("", &delta));
}

// Per-call appends of ten spaces into one session's run from two threads,
// while a third holds the session through an OutputStream now and then (a
// held session must not be appended to under the lock): the order of the
// appends does not change the text, so its ids are known. Each thread also
// streams into a session of its own and checks every delta. Shared state
// under ThreadSanitizer: tests/run_sanitizers.sh.
TEST_P(BoundedAppendTest, ConcurrentPerCallAppendsIntoOneRunAreExact) {
  const auto enc = encoder();
  for (const std::size_t shards : {1, 4}) {
    SessionTokenCache::Options options;
    options.shards = shards;
    options.max_sessions = 16;
    SessionTokenCache cache(enc, options);
    const std::string prompt = "Output:" + std::string(3000, ' ');
    cache.update("shared", prompt);
    constexpr int kAppends = 400;
    const std::string chunk(10, ' ');
    std::vector<std::thread> threads;
    std::vector<std::string> failures(3);
    for (int t = 0; t < 2; ++t) {
      threads.emplace_back([&, t] {
        const std::string own = "own" + std::to_string(t);
        std::string own_text = "Log:" + std::string(500, ' ');
        std::vector<Rank> own_mirror;
        apply_delta(cache.update(own, own_text), &own_mirror);
        TokenDelta delta;
        for (int i = 0; i < kAppends; ++i) {
          cache.append_output("shared", chunk, &delta);
          const std::string piece = i % 50 == 49 ? std::string("x ") : std::string(1 + i % 12, ' ');
          apply_delta(cache.append_output(own, piece), &own_mirror);
          own_text += piece;
          if (own_mirror != enc->encode_ordinary(own_text)) failures[t] = "own session at append " + std::to_string(i);
        }
      });
    }
    threads.emplace_back([&] {
      for (int i = 0; i < kAppends / 20; ++i) {
        SessionTokenCache::OutputStream stream = cache.open_output("shared");
        for (int j = 0; j < 5; ++j) stream.append_output(chunk);
      }
    });
    for (std::thread& thread : threads) thread.join();
    for (const std::string& failure : failures) EXPECT_EQ(failure, "") << shards << " shards";
    const std::size_t appended = (2 * kAppends + kAppends / 20 * 5) * chunk.size();
    EXPECT_EQ(cache.tokens("shared"), enc->encode_ordinary(prompt + std::string(appended, ' '))) << shards;
  }
}

INSTANTIATE_TEST_SUITE_P(AllEncodings, BoundedAppendTest, ::testing::ValuesIn(all_encodings()));

}  // namespace
}  // namespace flashtok::testing
