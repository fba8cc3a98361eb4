// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// Appends to a text that ends inside a long piece that is no run of ASCII
// bytes of one class (TokenizedText::append_in_long_piece scans such a piece
// whole and keeps its ids but for the last few): lines of box-drawing
// characters, Han text, a Cyrillic word, emoji, punctuation and digits
// (test_support.h, long_piece_kinds()), streamed into in chunks cut at any
// byte, through TokenizedText, the append-only cache and the session cache,
// against a full encode, under the four encodings. The long-run tests are in
// long_run_append_test.cc.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bpe/small_piece_merge.h"
#include "cache/tokenized_text.h"
#include "flashtok/append_only_token_cache.h"
#include "flashtok/session_token_cache.h"
#include "test_support.h"

namespace flashtok::testing {
namespace {

class LongPieceAppendTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::shared_ptr<const Encoder> encoder() const { return Encoder::builtin(GetParam()); }
};

// The path is taken where it is meant to be: a text that ends in a table
// line of box-drawing characters, Han text or a line of emoji, a few hundred
// bytes each, and appends that lengthen the piece, cut a character or end
// the piece.
TEST_P(LongPieceAppendTest, LongPiecesTakeTheAppendPath) {
  const auto enc = encoder();
  workloads::SplitMix64 rng(0xa99 + GetParam().size());
  for (const std::size_t k : {0, 1, 3}) {  // box drawing, Han, emoji
    const LongPieceKind& kind = long_piece_kinds()[k];
    internal::TokenizedText text(enc);
    std::string mirror_text = "| a | b |\n" + std::string(kind.lead) + long_piece_of(rng, kind, 100);
    text.replace_from(0, mirror_text);
    std::vector<Rank> mirror = text.tokens();
    // A chunk cut inside a character leaves its first bytes as a piece of
    // their own after the long one, and the next chunk joins them to it. The
    // last chunk ends the piece: the text then ends in a short one.
    const std::string cut = long_piece_of(rng, kind, 3);
    const std::size_t cut_at = cut.size() - 2;  // inside the last character (2 to 4 bytes)
    for (const std::string& chunk : {long_piece_of(rng, kind, 1), long_piece_of(rng, kind, 5), cut.substr(0, cut_at),
                                     cut.substr(cut_at) + long_piece_of(rng, kind, 2), long_piece_of(rng, kind, 60),
                                     std::string("\n")}) {
      TokenDelta delta;
      ASSERT_TRUE(text.append_in_long_piece(chunk, &delta)) << kind.name << " + '" << chunk << "'";
      mirror_text += chunk;
      apply_delta(delta, &mirror);
      const std::vector<Rank> expected = enc->encode_ordinary(mirror_text);
      ASSERT_EQ(text.tokens(), expected) << kind.name << " + '" << chunk << "'";
      ASSERT_EQ(mirror, expected) << kind.name << " + '" << chunk << "'";
      // The piece's ids but for a few are kept, not rolled back.
      EXPECT_LE(delta.rollback_tokens, 8u) << kind.name << " + '" << chunk << "'";
    }
  }
  // A short last piece is left to the ordinary re-encode.
  internal::TokenizedText text(enc);
  text.replace_from(0, "short " + std::string(internal::kSmallPiece - 8, '-'));
  TokenDelta delta;
  EXPECT_FALSE(text.append_in_long_piece("-", &delta));
}

// Streams of chunks of 1 to 16 bytes, cut anywhere (inside characters too),
// of more of the piece, other kinds, line breaks and random bytes, into
// texts that end in pieces of 20 to 300 characters of every kind: after each
// chunk, every cache's ids and the deltas applied to a mirror equal a full
// encode (the session gets each chunk as output or as an extended prompt).
TEST_P(LongPieceAppendTest, StreamsIntoLongPiecesAreExact) {
  const auto enc = encoder();
  workloads::SplitMix64 rng(0x57e + GetParam().size());
  const auto& kinds = long_piece_kinds();
  for (const LongPieceKind& kind : kinds) {
    for (int round = 0; round < 6; ++round) {
      std::string mirror_text = random_edge(rng, 4) + "\n" + kind.lead + long_piece_of(rng, kind, 20 + rng.uniform(280));
      std::string stream;
      while (stream.size() < 600) {
        switch (rng.uniform(6)) {
          case 0: stream += "\n"; break;
          case 1: stream += random_bytes(rng, 1 + rng.uniform(4)); break;
          case 2: stream += long_piece_of(rng, kinds[rng.uniform(kinds.size())], 1 + rng.uniform(20)); break;
          default: stream += long_piece_of(rng, kind, 1 + rng.uniform(80)); break;
        }
      }
      internal::TokenizedText text(enc);
      AppendOnlyTokenCache appends(enc, mirror_text);
      SessionTokenCache sessions(enc);
      std::vector<Rank> text_ids;
      std::vector<Rank> append_ids = appends.tokens();
      std::vector<Rank> session_ids;
      apply_delta(text.replace_from(0, mirror_text), &text_ids);
      apply_delta(sessions.update("s", mirror_text), &session_ids);
      for (std::size_t at = 0; at < stream.size();) {
        const std::string chunk = stream.substr(at, 1 + rng.uniform(16));
        at += chunk.size();
        mirror_text += chunk;
        apply_delta(text.replace_from(text.text().size(), chunk), &text_ids);
        apply_delta(appends.append_ordinary(chunk), &append_ids);
        // The session sees the chunk as model output, or as the next prompt
        // that extends the last one.
        if (rng.chance(1, 2)) {
          apply_delta(sessions.append_output("s", chunk), &session_ids);
        } else {
          apply_delta(sessions.update("s", mirror_text), &session_ids);
        }
        const std::vector<Rank> expected = enc->encode_ordinary(mirror_text);
        ASSERT_EQ(text.tokens(), expected) << kind.name << ", " << mirror_text.size() << " bytes";
        ASSERT_EQ(text_ids, expected) << kind.name << ", " << mirror_text.size() << " bytes";
        ASSERT_EQ(append_ids, expected) << kind.name << ", " << mirror_text.size() << " bytes";
        ASSERT_EQ(appends.tokens(), expected) << kind.name << ", " << mirror_text.size() << " bytes";
        ASSERT_EQ(session_ids, expected) << kind.name << ", " << mirror_text.size() << " bytes";
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllEncodings, LongPieceAppendTest, ::testing::ValuesIn(all_encodings()));

}  // namespace
}  // namespace flashtok::testing
