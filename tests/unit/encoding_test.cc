// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "flashtok/encoder.h"
#include "flashtok/encoding.h"
#include "flashtok/error.h"
#include "test_support.h"
#include "vocab/encoding_access.h"
#include "vocab/piece_splitter.h"
#include "vocab/premerged_chars.h"
#include "vocab/rank_table.h"

namespace flashtok::testing {
namespace {

ErrorCode error_of(const std::function<void()>& f, std::string* message = nullptr) {
  try {
    f();
  } catch (const Error& e) {
    if (message) *message = e.what();
    return e.code();
  }
  ADD_FAILURE() << "no error";
  return ErrorCode::kInvalidArgument;
}

std::string temp_file(const std::string& name, const std::string& content) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

std::string byte_lines() {
  static const char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (int b = 0; b < 256; ++b) {
    out += kB64[b >> 2];
    out += kB64[(b & 3) << 4];
    out += "== " + std::to_string(b) + "\n";
  }
  return out;
}

TEST(Encoding, BuiltinsHaveTiktokensVocabularySizes) {
  EXPECT_EQ(Encoding::builtin("cl100k_base")->n_vocab(), 100277u);
  EXPECT_EQ(Encoding::builtin("o200k_base")->n_vocab(), 200019u);
  EXPECT_EQ(Encoding::builtin("r50k_base")->n_vocab(), 50257u);
  EXPECT_EQ(Encoding::builtin("p50k_base")->n_vocab(), 50281u);
}

TEST(Encoding, Gpt2IsR50kAndLoadsOnce) {
  EXPECT_EQ(Encoding::builtin("gpt2"), Encoding::builtin("r50k_base"));
}

TEST(Encoding, BuiltinHashesAreTheShippedOnes) {
  EXPECT_EQ(Encoding::builtin("cl100k_base")->sha256(),
            "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7");
}

TEST(Encoding, GapsInTheVocabularyAreNotTokens) {
  const auto cl100k = Encoding::builtin("cl100k_base");
  EXPECT_TRUE(cl100k->token_bytes(100256).empty());
  EXPECT_TRUE(cl100k->token_bytes(100261).empty());
  EXPECT_EQ(cl100k->token_bytes(100257), "<|endoftext|>");
}

TEST(Encoding, UnknownNameListsTheKnownOnes) {
  std::string message;
  EXPECT_EQ(error_of([] { Encoding::builtin("cl100k"); }, &message), ErrorCode::kInvalidArgument);
  EXPECT_NE(message.find("o200k_base"), std::string::npos);
}

TEST(Encoding, LoadsAUserFileAndChecksItsHash) {
  const std::string path = temp_file("bytes.tiktoken", byte_lines());
  Encoding::FileOptions options;
  options.pattern = R"(\S+|\s+)";
  const auto encoding = Encoding::from_file(path, options);
  EXPECT_EQ(encoding->name(), "bytes");
  EXPECT_EQ(internal::ranks_of(*encoding).size(), 256u);

  options.expected_sha256 = std::string(64, '0');
  std::string message;
  EXPECT_EQ(error_of([&] { Encoding::from_file(path, options); }, &message), ErrorCode::kCorruptData);
  EXPECT_NE(message.find("SHA-256"), std::string::npos);
}

TEST(Encoding, CorruptFilesNameTheLine) {
  Encoding::FileOptions options;
  options.pattern = R"(\S+)";
  std::string message;
  EXPECT_EQ(error_of([&] { Encoding::from_tiktoken_text(byte_lines() + "!!!! 256\n", options); }, &message),
            ErrorCode::kCorruptData);
  EXPECT_NE(message.find("line 257"), std::string::npos) << message;
  EXPECT_EQ(error_of([&] { Encoding::from_tiktoken_text(byte_lines() + "YWI= 7\n", options); }),
            ErrorCode::kCorruptData);  // duplicate rank
  EXPECT_EQ(error_of([&] { Encoding::from_tiktoken_text(byte_lines() + "YQ== 300\n", options); }),
            ErrorCode::kCorruptData);  // duplicate bytes ("a" again)
  EXPECT_EQ(error_of([&] { Encoding::from_tiktoken_text("YQ== 0\n", options); }, &message),
            ErrorCode::kCorruptData);  // byte 0 has no token
  EXPECT_EQ(error_of([&] { Encoding::from_tiktoken_text(byte_lines() + "YWI=\n", options); }),
            ErrorCode::kCorruptData);  // no rank
  // Found by fuzz_tiktoken_loader: one huge rank must not allocate gigabytes.
  EXPECT_EQ(error_of([&] { Encoding::from_tiktoken_text(byte_lines() + "YWI= 2658028924\n", options); }, &message),
            ErrorCode::kCorruptData);
  EXPECT_NE(message.find("far beyond"), std::string::npos) << message;
}

// The rank-file base64 decoder: both padded forms and the unpadded one load
// and give their tokens back; '=' anywhere but at the end, a short quad or a
// byte outside the alphabet is a corrupt line.
TEST(Encoding, Base64TokensDecodeExactlyAndMalformedOnesAreRefused) {
  Encoding::FileOptions options;
  options.pattern = R"(\S+)";
  const auto encoding = Encoding::from_tiktoken_text(byte_lines() + "YWI= 256\nYWJj 257\nYWJjZA== 258\n", options);
  const Encoder encoder(encoding);
  EXPECT_EQ(encoder.encode_ordinary("ab"), std::vector<Rank>{256});
  EXPECT_EQ(encoder.encode_ordinary("abc"), std::vector<Rank>{257});
  EXPECT_EQ(encoding->token_bytes(258), "abcd");
  for (const char* bad : {"Y=== 256", "YQ=A 256", "=AAA 256", "YWJ 256", "YW\xC3\xA9 256", "YW J 256", "==== 256"}) {
    std::string message;
    EXPECT_EQ(error_of([&] { Encoding::from_tiktoken_text(byte_lines() + bad + "\n", options); }, &message),
              ErrorCode::kCorruptData)
        << bad;
    EXPECT_NE(message.find("line 257"), std::string::npos) << bad << ": " << message;
  }
}

TEST(Encoding, MissingFileAndDirectoryAreDistinctErrors) {
  Encoding::FileOptions options;
  options.pattern = R"(\S+)";
  EXPECT_EQ(error_of([&] { Encoding::from_file("/nonexistent/x.tiktoken", options); }), ErrorCode::kNotFound);
  EXPECT_EQ(error_of([&] { Encoding::from_file(::testing::TempDir(), options); }), ErrorCode::kIo);
}

// memory_bytes() counts the long-piece encoder's tables from the moment the
// first long piece builds them (they are kept beside the rank table).
TEST(Encoding, MemoryBytesCountTheLongPieceTablesOnceBuilt) {
  Encoding::FileOptions options;
  options.pattern = R"(\S+)";
  const auto encoding = Encoding::from_tiktoken_text(byte_lines() + "YWI= 256\nYWJj 257\n", options);
  const Encoder encoder(encoding);
  EXPECT_EQ(encoder.encode_ordinary("abab"), (std::vector<Rank>{256, 256}));
  const std::size_t before = encoding->memory_bytes();
  std::string long_piece;
  while (long_piece.size() < 1000) long_piece += "abcab";  // not a run of one byte: the backtracking encoder
  const std::vector<Rank> ids = encoder.encode_ordinary(long_piece);
  EXPECT_EQ(ids.size(), 400u);  // "abc", "ab" in turn
  EXPECT_GT(encoding->memory_bytes(), before + 65536 * sizeof(std::uint32_t));  // the trie's two-byte index at least
}

// Encoder::prepare() builds at once everything encodes would build on first
// use: memory_bytes() counts it right after, a second call and then a long
// piece build nothing more, and the ids are those of an encoder that built
// its tables on demand.
TEST(Encoding, PrepareBuildsWhatEncodesWouldBuildOnFirstUse) {
  Encoding::FileOptions options;
  options.pattern = R"(\S+)";
  const std::string vocabulary = byte_lines() + "YWI= 256\nYWJj 257\n";
  const auto encoding = Encoding::from_tiktoken_text(vocabulary, options);
  const Encoder encoder(encoding);
  const std::size_t fresh = encoding->memory_bytes();
  encoder.prepare();
  const std::size_t prepared = encoding->memory_bytes();
  EXPECT_GT(prepared, fresh + 65536 * sizeof(std::uint32_t));  // the long-piece trie's two-byte index at least
  encoder.prepare();
  EXPECT_EQ(encoding->memory_bytes(), prepared);
  std::string long_piece;
  while (long_piece.size() < 1000) long_piece += "abcab";  // the backtracking encoder
  const std::string text = long_piece + " ab abc \xff";
  const std::vector<Rank> ids = encoder.encode_ordinary(text);
  EXPECT_EQ(encoding->memory_bytes(), prepared);
  const Encoder on_demand(Encoding::from_tiktoken_text(vocabulary, options));
  EXPECT_EQ(ids, on_demand.encode_ordinary(text));
  EXPECT_EQ(encoder.decode_bytes(ids), text);
  EXPECT_EQ(std::count(ids.begin(), ids.end(), Rank{257}), 201);  // "abc": 200 in the long piece, one after
}

// memory_bytes() builds nothing: the piece splitter and the premerged
// characters are counted once something has built them, and not before.
TEST(Encoding, MemoryBytesCountsOnlyWhatIsBuilt) {
  Encoding::FileOptions options;
  options.pattern = R"(\S+)";
  const auto encoding = Encoding::from_tiktoken_text(byte_lines() + "YWI= 256\n4pSA 257\n", options);
  const std::size_t fresh = encoding->memory_bytes();
  EXPECT_EQ(encoding->memory_bytes(), fresh);
  const internal::RankTable& ranks = internal::ranks_of(*encoding);
  const std::size_t splitter = ranks.splitter().memory_bytes();
  EXPECT_GT(splitter, 0u);
  EXPECT_EQ(encoding->memory_bytes(), fresh + splitter);
  const std::size_t chars = ranks.premerged_chars().memory_bytes();
  EXPECT_GT(chars, 0u);
  EXPECT_EQ(encoding->memory_bytes(), fresh + splitter + chars);
}

}  // namespace
}  // namespace flashtok::testing
