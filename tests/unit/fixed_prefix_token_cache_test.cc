// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// FixedPrefixTokenCache against a full encode of prefix + suffix.
#include <gtest/gtest.h>

#include "flashtok/fixed_prefix_token_cache.h"
#include "test_support.h"

namespace flashtok::testing {
namespace {

std::shared_ptr<const Encoder> shared_encoder(const std::string& name) { return Encoder::builtin(name); }

class FixedPrefixTest : public ::testing::TestWithParam<std::string> {};

void expect_exact(const FixedPrefixTokenCache& cache, const std::string& suffix) {
  const auto expected = cache.encoder().encode_ordinary(cache.prefix() + suffix);
  ASSERT_EQ(cache.encode_ordinary(suffix), expected)
      << "prefix " << cache.prefix().size() << " bytes, suffix '" << suffix << "'";
  std::vector<Rank> tail;
  cache.encode_tail(suffix, &tail);
  std::vector<Rank> joined = cache.stable_tokens();
  joined.insert(joined.end(), tail.begin(), tail.end());
  ASSERT_EQ(joined, expected);
  ASSERT_EQ(cache.count(suffix), expected.size());
}

// Every split point of real texts: prefix = text[:k], suffix = text[k:].
TEST_P(FixedPrefixTest, EverySplitOfGoldenTextsIsExact) {
  const auto encoder = shared_encoder(GetParam());
  for (const auto& name : golden_text_names()) {
    std::string text = read_test_file("golden/texts/" + name + ".txt");
    text.resize(std::min<std::size_t>(text.size(), 700));
    SCOPED_TRACE(name);
    for (std::size_t k = 0; k <= text.size(); ++k) {
      FixedPrefixTokenCache cache(encoder, text.substr(0, k));
      expect_exact(cache, text.substr(k));
      if (HasFatalFailure()) return;
    }
  }
}

TEST_P(FixedPrefixTest, RandomPrefixesAndSuffixesAreExact) {
  const auto encoder = shared_encoder(GetParam());
  workloads::SplitMix64 rng(1234);
  for (int i = 0; i < 3000; ++i) {
    FixedPrefixTokenCache cache(encoder, random_class_text(rng, rng.uniform(30)));
    for (int j = 0; j < 5; ++j) {
      expect_exact(cache, random_class_text(rng, rng.uniform(12)));
      if (HasFatalFailure()) return;
    }
  }
}

TEST_P(FixedPrefixTest, UnstableTailIsShortForOrdinaryText) {
  const auto encoder = shared_encoder(GetParam());
  FixedPrefixTokenCache cache(encoder, "You are a helpful assistant. Answer briefly.\n\nUser: ");
  EXPECT_LE(cache.unstable_text().size(), 8u);
  EXPECT_FALSE(cache.stable_tokens().empty());
  expect_exact(cache, "hello");
  expect_exact(cache, "");
}

TEST_P(FixedPrefixTest, RegexPathIsExactButCachesNothing) {
  auto encoder = std::make_shared<const Encoder>(Encoding::builtin(GetParam()), PretokenizerChoice::kRegex);
  FixedPrefixTokenCache cache(encoder, "A fixed prefix. ");
  EXPECT_TRUE(cache.stable_tokens().empty());
  EXPECT_EQ(cache.unstable_text(), cache.prefix());
  expect_exact(cache, "and a suffix");
}

INSTANTIATE_TEST_SUITE_P(AllEncodings, FixedPrefixTest, ::testing::ValuesIn(all_encodings()));

}  // namespace
}  // namespace flashtok::testing
