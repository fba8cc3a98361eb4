// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// AppendOnlyTokenCache against a full encode of all the text so far.
#include <gtest/gtest.h>

#include <cstdio>

#include "flashtok/append_only_token_cache.h"
#include "test_support.h"

namespace flashtok::testing {
namespace {

class AppendOnlyTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::shared_ptr<const Encoder> encoder() const { return Encoder::builtin(GetParam()); }
};

TEST_P(AppendOnlyTest, EverySplitOfGoldenTextsIsExact) {
  const auto enc = encoder();
  for (const auto& name : golden_text_names()) {
    std::string text = read_test_file("golden/texts/" + name + ".txt");
    text.resize(std::min<std::size_t>(text.size(), 600));
    const auto expected = enc->encode_ordinary(text);
    SCOPED_TRACE(name);
    for (std::size_t k = 0; k <= text.size(); ++k) {
      AppendOnlyTokenCache cache(enc, text.substr(0, k));
      std::vector<Rank> mirror = cache.tokens();
      apply_delta(cache.append_ordinary(text.substr(k)), &mirror);
      ASSERT_EQ(cache.tokens(), expected) << "split at byte " << k;
      ASSERT_EQ(mirror, expected) << "the delta does not turn the old ids into the new ones";
    }
  }
}

// A conversation typed a few bytes at a time: every prefix is checked.
TEST_P(AppendOnlyTest, ByteByByteAppendsOfGoldenTextsAreExact) {
  const auto enc = encoder();
  for (const auto& name : golden_text_names()) {
    std::string text = read_test_file("golden/texts/" + name + ".txt");
    text.resize(std::min<std::size_t>(text.size(), 3000));
    SCOPED_TRACE(name);
    AppendOnlyTokenCache cache(enc);
    std::vector<Rank> mirror;
    workloads::SplitMix64 rng(name.size());
    for (std::size_t at = 0; at < text.size();) {
      const std::size_t n = std::min<std::size_t>(1 + rng.uniform(7), text.size() - at);
      apply_delta(cache.append_ordinary(text.substr(at, n)), &mirror);
      at += n;
      ASSERT_EQ(cache.tokens(), enc->encode_ordinary(text.substr(0, at))) << "after " << at << " bytes";
      ASSERT_EQ(mirror, cache.tokens());
    }
  }
}

// At least a million random appends over the four encodings, automatic never wrong.
TEST_P(AppendOnlyTest, QuarterMillionRandomAppendsPerEncodingAreExact) {
  const auto enc = encoder();
  workloads::SplitMix64 rng(0xF1A5);
  AppendOnlyTokenCache cache(enc);
  std::vector<Rank> mirror;
  for (int i = 0; i < 250000; ++i) {
    if (cache.text().size() > 60) {  // keep histories short so the full encode stays cheap
      cache.reset("");
      mirror.clear();
    }
    const std::string piece = rng.uniform(8) == 0 ? random_bytes(rng, 1 + rng.uniform(4))
                                                  : random_class_text(rng, 1 + rng.uniform(4));
    apply_delta(cache.append_ordinary(piece), &mirror);
    ASSERT_EQ(cache.tokens(), enc->encode_ordinary(cache.text())) << "append #" << i;
    ASSERT_EQ(mirror, cache.tokens());
  }
}

// append_ordinary into one reused TokenDelta (stale fields at first) gives
// what the call that returns a new one gives, field by field: short appends,
// empty ones, and a stream into a long run (its own path).
TEST_P(AppendOnlyTest, ReusedDeltaIsTheDeltaReturned) {
  workloads::SplitMix64 rng(0x5e05e);
  AppendOnlyTokenCache by_value(encoder(), "Start:" + std::string(1000, ' '));
  AppendOnlyTokenCache reusing(encoder(), by_value.text());
  TokenDelta delta = stale_delta();
  std::vector<Rank> mirror = reusing.tokens();
  for (int i = 0; i < 3000; ++i) {
    const std::string piece = rng.chance(1, 3)   ? std::string(rng.uniform(12), ' ')
                              : rng.chance(1, 2) ? random_class_text(rng, rng.uniform(6))
                                                 : random_bytes(rng, 1 + rng.uniform(3));
    reusing.append_ordinary(piece, &delta);
    expect_same_delta(delta, by_value.append_ordinary(piece));
    if (HasFatalFailure()) return;
    apply_delta(delta, &mirror);
    ASSERT_EQ(mirror, reusing.tokens()) << "append #" << i;
    if (reusing.text().size() > 4000) {
      by_value.reset("Start:" + std::string(1000, ' '));
      reusing.reset(by_value.text());
      mirror = reusing.tokens();
    }
  }
  ASSERT_EQ(reusing.tokens(), encoder()->encode_ordinary(reusing.text()));
}

TEST_P(AppendOnlyTest, EmptyAppendIsAnEmptyDelta) {
  AppendOnlyTokenCache cache(encoder(), "Hello world");
  const auto before = cache.tokens();
  const TokenDelta delta = cache.append_ordinary("");
  EXPECT_EQ(delta.rollback_tokens, 0u);
  EXPECT_TRUE(delta.tokens_to_append.empty());
  EXPECT_EQ(cache.tokens(), before);
}

TEST_P(AppendOnlyTest, DeltaIsMinimal) {
  // Appending a word after a finished sentence changes no existing id.
  AppendOnlyTokenCache cache(encoder(), "The quick brown fox jumps.\n");
  const TokenDelta delta = cache.append_ordinary("It was late.");
  EXPECT_EQ(delta.rollback_tokens, 0u);
  EXPECT_FALSE(delta.tokens_to_append.empty());
}

TEST_P(AppendOnlyTest, InvalidUtf8IsKeptLosslessly) {
  const auto enc = encoder();
  AppendOnlyTokenCache cache(enc, "abc \xE4");
  cache.append_ordinary("\xB8\xAD and \xFF");  // completes U+4E2D, then an invalid byte
  EXPECT_EQ(cache.text(), "abc \xE4\xB8\xAD and \xFF");
  EXPECT_EQ(cache.tokens(), enc->encode_ordinary(cache.text()));
  EXPECT_EQ(enc->decode_bytes(cache.tokens()), cache.text());
}

TEST_P(AppendOnlyTest, ResetStartsOver) {
  const auto enc = encoder();
  AppendOnlyTokenCache cache(enc, "one two");
  cache.append_ordinary(" three");
  cache.reset("four");
  EXPECT_EQ(cache.text(), "four");
  EXPECT_EQ(cache.tokens(), enc->encode_ordinary("four"));
  EXPECT_EQ(cache.size(), cache.tokens().size());
}

TEST_P(AppendOnlyTest, RegexPathIsExactByReencodingEverything) {
  auto enc = std::make_shared<const Encoder>(Encoding::builtin(GetParam()), PretokenizerChoice::kRegex);
  AppendOnlyTokenCache cache(enc, "x\n ");
  cache.append_ordinary("\nI'");
  cache.append_ordinary("m here  ");
  EXPECT_EQ(cache.tokens(), enc->encode_ordinary(cache.text()));
}

// The known traps of fixed-k backtracking (docs/ALGORITHM.md, the table of
// what each alternative reads): automatic gets them right, backtrack_pieces = 0
// does not.
TEST_P(AppendOnlyTest, KnownTrapsNeedMoreThanTheLastPiece) {
  const auto enc = encoder();
  const std::vector<std::pair<std::string, std::string>> traps = {
      {"x\n ", "\n"}, {"I'", "m"}, {"hello  ", "world"}, {"12", "345"}, {"don'", "t"}, {"abc", "def"}};
  int heuristic_wrong = 0;
  for (const auto& [before, after] : traps) {
    AppendOnlyTokenCache exact(enc, before);
    exact.append_ordinary(after);
    EXPECT_EQ(exact.tokens(), enc->encode_ordinary(before + after)) << before << "|" << after;
    AppendOnlyTokenCache naive(enc, before, Backtrack::pieces(0));
    naive.append_ordinary(after);
    heuristic_wrong += naive.tokens() != enc->encode_ordinary(before + after);
  }
  EXPECT_GT(heuristic_wrong, 0);
}

INSTANTIATE_TEST_SUITE_P(AllEncodings, AppendOnlyTest, ::testing::ValuesIn(all_encodings()));

// All strings up to length 4 over one representative character per class,
// every split point: automatic is never wrong. Prints how often fixed k is wrong
// (the table in docs/ALGORITHM.md).
TEST(AppendOnlyExhaustive, AutoIsNeverWrongAndFixedKOftenIs) {
  const std::vector<std::string> alphabet = {
      "A", "a", "1", " ", "\n", "\r", "'", "s", "r", "e", "l", ".", "/", "\xCC\x81", "\xE4\xB8\xAD", "\xCA\xB0"};
  const std::vector<Backtrack> modes = {Backtrack::pieces(0), Backtrack::pieces(1), Backtrack::pieces(2),
                                        Backtrack::pieces(3), Backtrack::automatic()};
  std::printf("| encoding | cases | k=0 wrong | k=1 wrong | k=2 wrong | k=3 wrong | auto wrong |\n");
  std::printf("|---|---|---|---|---|---|---|\n");
  for (const auto& name : all_encodings()) {
    const auto enc = Encoder::builtin(name);
    std::vector<std::size_t> wrong(modes.size(), 0);
    std::size_t cases = 0;
    std::vector<std::size_t> digits;
    for (std::size_t length = 1; length <= 4; ++length) {
      digits.assign(length, 0);
      for (;;) {
        std::vector<std::size_t> boundaries = {0};
        std::string text;
        for (std::size_t d : digits) {
          text += alphabet[d];
          boundaries.push_back(text.size());
        }
        const auto expected = enc->encode_ordinary(text);
        for (std::size_t split : boundaries) {
          ++cases;
          for (std::size_t m = 0; m < modes.size(); ++m) {
            AppendOnlyTokenCache cache(enc, std::string_view(text).substr(0, split), modes[m]);
            cache.append_ordinary(std::string_view(text).substr(split));
            wrong[m] += cache.tokens() != expected;
          }
        }
        std::size_t i = 0;
        while (i < length && ++digits[i] == alphabet.size()) digits[i++] = 0;
        if (i == length) break;
      }
    }
    std::printf("| %s | %zu | %zu | %zu | %zu | %zu | %zu |\n", name.c_str(), cases, wrong[0], wrong[1], wrong[2],
                wrong[3], wrong[4]);
    EXPECT_EQ(wrong.back(), 0u) << name;
    EXPECT_GT(wrong.front(), 0u) << name << ": the exhaustive alphabet no longer exercises the traps";
  }
}

}  // namespace
}  // namespace flashtok::testing
