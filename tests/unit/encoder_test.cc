// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "flashtok/error.h"
#include "flashtok/utf8_validity.h"
#include "test_support.h"

namespace flashtok::testing {
namespace {

class EncoderTest : public ::testing::TestWithParam<std::string> {
 protected:
  const Encoder& encoder() const { return encoder_for(GetParam()); }
};

TEST_P(EncoderTest, EmptyTextHasNoTokens) {
  EXPECT_TRUE(encoder().encode_ordinary("").empty());
  EXPECT_EQ(encoder().count(""), 0u);
  EXPECT_EQ(encoder().decode_bytes(std::vector<Rank>{}), "");
}

// Lossless on any bytes: invalid UTF-8 is encoded with byte tokens, never dropped.
TEST_P(EncoderTest, DecodeBytesInvertsEncodeForRandomBytes) {
  workloads::SplitMix64 rng(42);
  for (int i = 0; i < 3000; ++i) {
    const std::string bytes = random_bytes(rng, rng.uniform(200));
    const auto ids = encoder().encode_ordinary(bytes);
    ASSERT_EQ(encoder().decode_bytes(ids), bytes);
    ASSERT_EQ(encoder().count(bytes), ids.size());
  }
}

TEST_P(EncoderTest, DecodeBytesInvertsEncodeForRandomText) {
  workloads::SplitMix64 rng(43);
  for (int i = 0; i < 3000; ++i) {
    const std::string text = random_class_text(rng, rng.uniform(100));
    ASSERT_EQ(encoder().decode_bytes(encoder().encode_ordinary(text)), text);
  }
}

TEST_P(EncoderTest, TruncatedCharacterAtTheEndIsKept) {
  const std::string text = "abc \xE4\xB8";  // the first two bytes of U+4E2D
  EXPECT_EQ(encoder().decode_bytes(encoder().encode_ordinary(text)), text);
  EXPECT_EQ(first_invalid_utf8(text), std::optional<std::size_t>(4));
  EXPECT_EQ(first_invalid_utf8("abc"), std::nullopt);
}

TEST_P(EncoderTest, DecodeReplacesInvalidUtf8LikePython) {
  const std::string bytes = "a\xE4\xB8" "b\xFF";
  const auto ids = encoder().encode_ordinary(bytes);
  EXPECT_EQ(encoder().decode(ids), "a\xEF\xBF\xBD" "b\xEF\xBF\xBD");
}

TEST_P(EncoderTest, UnknownIdIsAnErrorNamingIt) {
  const std::vector<Rank> ids = {encoder().encoding().n_vocab() + 5};
  try {
    encoder().decode_bytes(ids);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidToken);
    EXPECT_NE(std::string(e.what()).find(std::to_string(ids[0])), std::string::npos);
  }
}

TEST_P(EncoderTest, SpecialTokensFollowTiktokensRules) {
  const std::string text = "hi <|endoftext|> there";
  const Rank eot = encoder().encoding().special_tokens().at("<|endoftext|>");
  EXPECT_THROW(encoder().encode(text), Error);  // disallowed by default, like tiktoken
  const auto with_special = encoder().encode(text, SpecialTokenSet::all());
  EXPECT_EQ(std::count(with_special.begin(), with_special.end(), eot), 1);
  EXPECT_EQ(encoder().decode_bytes(with_special), text);
  // Neither allowed nor disallowed: ordinary text, as encode_ordinary does.
  EXPECT_EQ(encoder().encode(text, SpecialTokenSet::none(), SpecialTokenSet::none()),
            encoder().encode_ordinary(text));
  // The pieces on either side are encoded as separate texts.
  std::vector<Rank> expected = encoder().encode_ordinary("hi ");
  expected.push_back(eot);
  const auto tail = encoder().encode_ordinary(" there");
  expected.insert(expected.end(), tail.begin(), tail.end());
  EXPECT_EQ(with_special, expected);
}

TEST_P(EncoderTest, BatchEqualsOneByOne) {
  workloads::SplitMix64 rng(3);
  std::vector<std::string> texts;
  for (int i = 0; i < 64; ++i) texts.push_back(random_class_text(rng, rng.uniform(300)));
  const auto batch = encoder().encode_batch(texts, 2);
  ASSERT_EQ(batch.size(), texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) EXPECT_EQ(batch[i], encoder().encode_ordinary(texts[i]));
}

// One Encoder shared by threads (each with its own memo of merged pieces):
// every thread gets the ids a single thread got. Run under ThreadSanitizer.
TEST_P(EncoderTest, ConcurrentEncodesOfRepeatedWordsAreExact) {
  workloads::SplitMix64 rng(8);
  std::vector<std::string> texts;
  for (int i = 0; i < 24; ++i) {
    std::string text;
    for (int w = 0; w < 40; ++w) text += class_alphabet()[rng.uniform(class_alphabet().size())] + " \xD0\xBF\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82 ";
    texts.push_back(text + random_class_text(rng, 200));
  }
  std::vector<std::vector<Rank>> expected;
  for (const auto& text : texts) expected.push_back(encoder().encode_ordinary(text));
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 20; ++round) {
        const std::size_t i = static_cast<std::size_t>(round * 7 + t) % texts.size();
        if (encoder().encode_ordinary(texts[i]) != expected[i]) ++mismatches;
        if (encoder().count(texts[i]) != expected[i].size()) ++mismatches;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST_P(EncoderTest, LongPiecesRoundTrip) {
  for (const std::string unit : {"a", " ", "7", "\xF0\x9F\x98\x80", "ab", "x.", "\xE4\xB8\xAD"}) {
    std::string text;
    while (text.size() < 100000) text += unit;
    const auto ids = encoder().encode_ordinary(text);
    EXPECT_EQ(encoder().decode_bytes(ids), text);
    EXPECT_EQ(encoder().count(text), ids.size());
  }
}

INSTANTIATE_TEST_SUITE_P(AllEncodings, EncoderTest, ::testing::ValuesIn(all_encodings()));

}  // namespace
}  // namespace flashtok::testing
