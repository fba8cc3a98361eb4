// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "flashtok/stream_decoder.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "flashtok/error.h"
#include "flashtok/utf8_validity.h"
#include "test_support.h"
#include "unicode/utf8.h"

namespace flashtok::testing {
namespace {

using Mode = StreamDecoder::Mode;

// The id of the one-byte token for b (every byte-level encoding has them).
Rank byte_token(const Encoder& encoder, unsigned char b) {
  const Rank id = encoder.encoding().rank_of(std::string(1, static_cast<char>(b)));
  EXPECT_NE(id, kNoRank);
  return id;
}

std::vector<Rank> byte_tokens(const Encoder& encoder, std::string_view bytes) {
  std::vector<Rank> ids;
  for (const char c : bytes) ids.push_back(byte_token(encoder, static_cast<unsigned char>(c)));
  return ids;
}

// Ids that cut characters every way: the tokens of random hostile text, its
// bytes one token each, and random ids of the vocabulary (specials included).
std::vector<Rank> random_ids(const Encoder& encoder, workloads::SplitMix64& rng) {
  std::vector<Rank> ids;
  const Encoding& encoding = encoder.encoding();
  for (int part = 0, parts = 1 + static_cast<int>(rng.uniform(6)); part < parts; ++part) {
    const std::string text = random_hostile_text(rng, rng.uniform(12));
    const std::vector<Rank> more = rng.uniform(2) == 0 ? encoder.encode_ordinary(text) : byte_tokens(encoder, text);
    ids.insert(ids.end(), more.begin(), more.end());
    for (std::uint64_t i = rng.uniform(3); i > 0; --i) {
      const Rank id = static_cast<Rank>(rng.uniform(encoding.n_vocab()));
      if (!encoding.token_bytes(id).empty()) ids.push_back(id);
    }
  }
  return ids;
}

// The offsets where a valid character of bytes begins or ends: the only
// places a piece of the stream may end.
std::vector<bool> character_boundaries(std::string_view bytes) {
  std::vector<bool> boundary(bytes.size() + 1, true);
  const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
  for (std::size_t pos = 0; pos < bytes.size();) {
    const unicode::DecodedChar c = unicode::decode_utf8(s, bytes.size(), pos);
    for (std::size_t i = 1; i < c.len; ++i) boundary[pos + i] = false;
    pos += c.len;
  }
  return boundary;
}

// Whether held is a valid sequence that only the end of the bytes cuts
// short: more bytes could still complete it.
bool could_still_become_valid(std::string_view held) {
  if (held.empty()) return true;
  const auto* s = reinterpret_cast<const unsigned char*>(held.data());
  const unicode::DecodedChar c = unicode::decode_utf8(s, held.size(), 0);
  return c.cp == unicode::kInvalidByte && c.read > held.size();
}

class StreamDecoderTest : public ::testing::TestWithParam<std::string> {
 protected:
  const Encoder& encoder() const { return encoder_for(GetParam()); }
  StreamDecoder decoder(Mode mode) const { return StreamDecoder(encoder().encoding_ptr(), mode); }
};

// The property: the pieces add up to decode() and no piece ends inside a character.
TEST_P(StreamDecoderTest, ReplacePiecesConcatenateToDecodeAndAreValidUtf8) {
  workloads::SplitMix64 rng(2024);
  for (int trial = 0; trial < 2000; ++trial) {
    const std::vector<Rank> ids = random_ids(encoder(), rng);
    StreamDecoder stream = decoder(Mode::kReplace);
    std::string text;
    for (const Rank id : ids) {
      const std::string piece = stream.push(id);
      ASSERT_EQ(first_invalid_utf8(piece), std::nullopt) << "trial " << trial;
      text += piece;
    }
    const std::string rest = stream.flush();
    ASSERT_EQ(first_invalid_utf8(rest), std::nullopt);
    ASSERT_EQ(text + rest, encoder().decode(ids)) << "trial " << trial;
    ASSERT_EQ(stream.pending_bytes(), 0u);
  }
}

// Lossless mode: the same bytes as decode_bytes, cut only between characters,
// and what is held could always still become a character.
TEST_P(StreamDecoderTest, BytePiecesConcatenateToDecodeBytesAndHoldOnlyWhatCanComplete) {
  workloads::SplitMix64 rng(2025);
  for (int trial = 0; trial < 2000; ++trial) {
    const std::vector<Rank> ids = random_ids(encoder(), rng);
    const std::string whole = encoder().decode_bytes(ids);
    const std::vector<bool> boundary = character_boundaries(whole);
    StreamDecoder stream = decoder(Mode::kBytes);
    std::string out;
    std::size_t arrived = 0;
    for (const Rank id : ids) {
      out += stream.push(id);
      arrived += encoder().encoding().token_bytes(id).size();
      ASSERT_TRUE(boundary[out.size()]) << "trial " << trial << ": a piece ends inside a character";
      ASSERT_EQ(out.size() + stream.pending_bytes(), arrived);
      ASSERT_LE(stream.pending_bytes(), 3u);
      ASSERT_TRUE(could_still_become_valid(std::string_view(whole).substr(out.size(), stream.pending_bytes())))
          << "trial " << trial << ": held bytes that can never be valid";
    }
    out += stream.flush();
    ASSERT_EQ(out, whole) << "trial " << trial;
  }
}

TEST_P(StreamDecoderTest, EmojiSplitAcrossTokensComesOutWhole) {
  const std::string parrot = "\xF0\x9F\xA6\x9C";  // U+1F99C
  StreamDecoder stream = decoder(Mode::kReplace);
  std::string seen;
  for (const Rank id : byte_tokens(encoder(), parrot)) {
    const std::string piece = stream.push(id);
    EXPECT_TRUE(piece.empty() || piece == parrot);
    seen += piece;
  }
  EXPECT_EQ(seen, parrot);
  EXPECT_EQ(stream.flush(), "");
}

// Hostile: a held lead byte is let go by the very byte that rules it out.
TEST_P(StreamDecoderTest, InvalidSequenceIsReleasedByTheByteThatRulesItOut) {
  for (const Mode mode : {Mode::kReplace, Mode::kBytes}) {
    StreamDecoder stream = decoder(mode);
    EXPECT_EQ(stream.push(byte_token(encoder(), 0xE4)), "");
    EXPECT_EQ(stream.push(byte_token(encoder(), 0xB8)), "");
    EXPECT_EQ(stream.pending_bytes(), 2u);
    EXPECT_EQ(stream.push(byte_token(encoder(), 'x')), mode == Mode::kReplace ? "\xEF\xBF\xBDx" : "\xE4\xB8x");
    EXPECT_EQ(stream.pending_bytes(), 0u);
    // Bytes that can never start a character are not held at all.
    EXPECT_EQ(stream.push(byte_token(encoder(), 0xFF)), mode == Mode::kReplace ? "\xEF\xBF\xBD" : "\xFF");
    EXPECT_EQ(stream.push(byte_token(encoder(), 0x80)), mode == Mode::kReplace ? "\xEF\xBF\xBD" : "\x80");
    EXPECT_EQ(stream.push(byte_token(encoder(), 0xED)), "");
    EXPECT_EQ(stream.push(byte_token(encoder(), 0xA0)), mode == Mode::kReplace ? "\xEF\xBF\xBD\xEF\xBF\xBD" : "\xED\xA0")
        << "ED A0 starts an encoded surrogate";
  }
}

TEST_P(StreamDecoderTest, FlushReleasesTheCutTail) {
  StreamDecoder replacing = decoder(Mode::kReplace);
  StreamDecoder lossless = decoder(Mode::kBytes);
  for (const Rank id : byte_tokens(encoder(), "a\xF0\x9F\xA6")) {
    replacing.push(id);
    lossless.push(id);
  }
  EXPECT_EQ(replacing.flush(), "\xEF\xBF\xBD");
  EXPECT_EQ(lossless.flush(), "\xF0\x9F\xA6");
  EXPECT_EQ(replacing.flush(), "");
}

TEST_P(StreamDecoderTest, UnknownIdThrowsAndChangesNothing) {
  StreamDecoder stream = decoder(Mode::kReplace);
  stream.push(byte_token(encoder(), 0xE4));
  try {
    stream.push(encoder().encoding().n_vocab() + 7);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidToken);
  }
  EXPECT_EQ(stream.pending_bytes(), 1u);
  EXPECT_EQ(stream.push(byte_token(encoder(), 0xB8)), "");
  EXPECT_EQ(stream.push(byte_token(encoder(), 0xAD)), "\xE4\xB8\xAD");
}

INSTANTIATE_TEST_SUITE_P(AllEncodings, StreamDecoderTest, ::testing::ValuesIn(all_encodings()));

}  // namespace
}  // namespace flashtok::testing
