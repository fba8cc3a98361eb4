// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// The piece splitter's one promise, checked by brute force: no token of the
// vocabulary occurs across any cut it makes. And what the promise buys: a
// piece encoded chunk by chunk equals the naive BPE of the whole piece. The
// texts place every kind of token the cut test knows about (tokens that
// begin or end inside a character, tokens holding two characters) across
// character boundaries at each offset, so dropping any one of its checks
// makes a cut that a token crosses.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "bpe/byte_pair_encode.h"
#include "vocab/piece_splitter.h"
#include "test_support.h"

namespace flashtok::testing {
namespace {

bool is_lead3(unsigned char b) { return (b & 0xF0) == 0xE0; }
bool is_continuation(unsigned char b) { return (b & 0xC0) == 0x80; }

// Every whole 3-byte character inside some token: the characters most likely
// to be crossed by a token when put side by side.
std::vector<std::string> characters_in_tokens(const RankTable& ranks) {
  std::set<std::string> found;
  for (Rank r = 0; r < ranks.end_rank(); ++r) {
    const std::string_view t = ranks.bytes_of(r);
    for (std::size_t j = 0; j + 3 <= t.size(); ++j) {
      if (is_lead3(t[j]) && is_continuation(t[j + 1]) && is_continuation(t[j + 2])) found.emplace(t.substr(j, 3));
    }
  }
  return {found.begin(), found.end()};
}

// Tokens worth placing across boundaries: all that begin or end inside a
// 3-byte character, and a sample of those with a 3-byte lead byte in them.
std::vector<std::string> tokens_to_place(const RankTable& ranks, workloads::SplitMix64& rng) {
  std::vector<std::string> tokens;
  for (Rank r = 0; r < ranks.end_rank(); ++r) {
    const std::string_view t = ranks.bytes_of(r);
    if (t.size() < 2) continue;
    const bool ragged = is_continuation(t[0]) || is_lead3(t.back()) ||
                        (t.size() >= 2 && is_lead3(t[t.size() - 2]) && is_continuation(t.back()));
    bool has_lead3 = false;
    for (char c : t) has_lead3 |= is_lead3(c);
    if (ragged || (has_lead3 && rng.uniform(8) == 0)) tokens.emplace_back(t);
  }
  return tokens;
}

// The token starting `offset` bytes into a 3-byte character, between random
// characters; the character it ends inside, if any, is completed.
std::string place(const std::string& token, int offset, const std::vector<std::string>& characters,
                  workloads::SplitMix64& rng) {
  auto character = [&] { return characters[rng.uniform(characters.size())]; };
  std::string text = character() + character();
  if (offset > 0) text += character().substr(0, 3 - offset);
  text += token;
  const std::size_t n = text.size();
  if (is_lead3(text[n - 1])) text += "\x80\x80";
  if (is_lead3(text[n - 2]) && is_continuation(text[n - 1])) text += "\x80";
  return text + character() + character();
}

std::vector<std::size_t> cuts_of(const RankTable& ranks, const std::string& text) {
  std::vector<std::size_t> cuts;
  std::size_t at = 0;
  ranks.splitter().for_each_chunk(text, [&](std::string_view chunk) {
    EXPECT_EQ(chunk.data(), text.data() + at) << "chunks must tile the piece in order";
    at += chunk.size();
    cuts.push_back(at);
  });
  EXPECT_EQ(at, text.size());
  cuts.pop_back();  // the end of the piece is not a cut
  return cuts;
}

// Boundaries between two whole 3-byte characters: where a cut may be made.
std::size_t candidate_cuts(const std::string& text) {
  std::size_t count = 0;
  auto char3 = [&](std::size_t i) {
    return is_lead3(text[i]) && is_continuation(text[i + 1]) && is_continuation(text[i + 2]);
  };
  for (std::size_t p = 3; p + 3 <= text.size(); ++p) count += char3(p - 3) && char3(p);
  return count;
}

// A token occurrence [a, b) with a < cut < b, if any.
std::string token_across(const RankTable& ranks, const std::string& text, std::size_t cut) {
  const std::size_t longest = ranks.max_token_bytes();
  for (std::size_t a = cut > longest ? cut - longest : 0; a < cut; ++a) {
    for (std::size_t b = cut + 1; b <= text.size() && b - a <= longest; ++b) {
      if (ranks.find(std::string_view(text).substr(a, b - a)) != kNoRank) return text.substr(a, b - a);
    }
  }
  return {};
}

class PieceSplitterTest : public ::testing::TestWithParam<std::string> {};

TEST_P(PieceSplitterTest, NoTokenLiesAcrossACutAndChunksEncodeAsTheWholePiece) {
  const RankTable& ranks = ranks_of(encoder_for(GetParam()));
  workloads::SplitMix64 rng(17);
  const std::vector<std::string> characters = characters_in_tokens(ranks);
  ASSERT_FALSE(characters.empty());
  std::size_t cuts = 0, candidates = 0;
  for (const std::string& token : tokens_to_place(ranks, rng)) {
    for (int offset = 0; offset < 3; ++offset) {
      const std::string text = place(token, offset, characters, rng);
      for (std::size_t cut : cuts_of(ranks, text)) {
        ASSERT_EQ(token_across(ranks, text, cut), "") << "cut at byte " << cut << " of a text holding token '" << token
                                                      << "' at offset " << offset;
        ++cuts;
      }
      candidates += candidate_cuts(text);
      std::vector<Rank> got;
      internal::byte_pair_encode(ranks, text, merge_scratch(), &got);
      ASSERT_EQ(got, reference_bpe(ranks, text));
      ASSERT_EQ(internal::byte_pair_count(ranks, text, merge_scratch()), got.size());
    }
  }
  // Neither vacuous (no cuts at all) nor trivial (a cut everywhere it could be).
  EXPECT_GT(cuts, 100u);
  EXPECT_GT(candidates, cuts + 100);
}

// Long runs of characters that tokens are made of, through both merge paths
// (small pieces and the heap), chunked or not, against the naive merge.
TEST_P(PieceSplitterTest, LongRunsOfTokenCharactersEncodeAsTheNaiveMerge) {
  const RankTable& ranks = ranks_of(encoder_for(GetParam()));
  workloads::SplitMix64 rng(23);
  const std::vector<std::string> characters = characters_in_tokens(ranks);
  for (int i = 0; i < 300; ++i) {
    std::string text;
    const std::size_t length = 6 + rng.uniform(i < 150 ? 120 : 400);
    while (text.size() < length) {
      // Mostly a few common characters, so that multi-character tokens form.
      text += characters[rng.uniform(rng.uniform(4) == 0 ? characters.size() : std::min<std::size_t>(64, characters.size()))];
    }
    std::vector<Rank> got;
    internal::byte_pair_encode(ranks, text, merge_scratch(), &got);
    ASSERT_EQ(got, reference_bpe(ranks, text)) << "text of " << text.size() << " bytes";
    ASSERT_EQ(internal::byte_pair_count(ranks, text, merge_scratch()), got.size());
  }
}

// A vocabulary with a token BPE cannot reach from its bytes (no merges lead
// to it). tiktoken returns it only for a whole piece; as a chunk of a longer
// piece it must come out as bytes, as the merge of the whole piece does.
TEST(PieceSplitter, AChunkThatIsAnUnreachableTokenIsStillMerged) {
  std::vector<std::pair<std::string, Rank>> tokens;
  for (int b = 0; b < 256; ++b) tokens.emplace_back(std::string(1, static_cast<char>(b)), static_cast<Rank>(b));
  const std::string unreachable = "\xE4\xB8\xAD\xE6\x96\x87";  // two characters, one token
  tokens.emplace_back(unreachable, 300);
  const RankTable ranks(tokens);

  std::vector<Rank> whole;
  internal::byte_pair_encode(ranks, unreachable, merge_scratch(), &whole);
  EXPECT_EQ(whole, std::vector<Rank>{300});

  const std::string piece = "\xE5\xA4\xA7" + unreachable + "\xE5\xB0\x8F";
  std::vector<std::size_t> sizes;
  ranks.splitter().for_each_chunk(piece, [&](std::string_view chunk) { sizes.push_back(chunk.size()); });
  ASSERT_EQ(sizes, (std::vector<std::size_t>{3, 6, 3})) << "the token's bytes are one chunk";
  std::vector<Rank> got;
  internal::byte_pair_encode(ranks, piece, merge_scratch(), &got);
  EXPECT_EQ(got, reference_bpe(ranks, piece));
  EXPECT_EQ(got.size(), piece.size());
  EXPECT_EQ(internal::byte_pair_count(ranks, piece, merge_scratch()), piece.size());
}

// Every way a token can lie across the boundary of two characters, each in a
// vocabulary of its own (the bytes and that one token), including the short
// tokens that begin or end inside a character, which no built-in vocabulary
// happens to have: the cut must be refused and the merge must agree.
TEST(PieceSplitter, EveryTokenAcrossTheBoundaryOfTwoCharactersPreventsTheCut) {
  const std::string two = "\xE4\xB8\xAD\xE6\x96\x87";  // two characters; the boundary is at byte 3
  for (std::size_t a = 0; a < 3; ++a) {
    for (std::size_t b = 4; b <= 6; ++b) {
      std::vector<std::pair<std::string, Rank>> tokens;
      for (int byte = 0; byte < 256; ++byte) tokens.emplace_back(std::string(1, static_cast<char>(byte)), byte);
      const std::string across = two.substr(a, b - a);
      tokens.emplace_back(across, 300);
      const RankTable ranks(tokens);
      for (const std::string& text : {two, "\xE5\xA4\xA7" + two + "\xE5\xB0\x8F"}) {
        const std::vector<std::size_t> cuts = cuts_of(ranks, text);
        ASSERT_TRUE(std::find(cuts.begin(), cuts.end(), text.find(two) + 3) == cuts.end())
            << "cut across the token of bytes [" << a << ", " << b << ")";
        if (text == across) continue;  // a whole-token piece is that token, merged or not
        std::vector<Rank> got;
        internal::byte_pair_encode(ranks, text, merge_scratch(), &got);
        EXPECT_EQ(got, reference_bpe(ranks, text));
      }
    }
  }
}

// The splitter is built by whichever thread first needs it; threads that
// start encoding on a fresh table at the same time must all see it whole.
// (Run under ThreadSanitizer by the CI's TSan job.)
TEST(PieceSplitter, ConcurrentFirstUseOfAFreshTableIsExact) {
  const RankTable& builtin = ranks_of(encoder_for("o200k_base"));
  std::vector<std::pair<std::string, Rank>> tokens;
  for (Rank r = 0; r < builtin.end_rank(); ++r) {
    if (builtin.contains(r)) tokens.emplace_back(builtin.bytes_of(r), r);
  }
  const RankTable ranks(tokens);  // its splitter is not built yet
  workloads::SplitMix64 rng(29);
  const std::vector<std::string> characters = characters_in_tokens(builtin);
  std::vector<std::string> texts;
  std::vector<std::vector<Rank>> expected;
  for (int i = 0; i < 40; ++i) {
    std::string text;
    while (text.size() < 90) text += characters[rng.uniform(std::min<std::size_t>(64, characters.size()))];
    texts.push_back(text);
    expected.push_back(reference_bpe(ranks, text));  // the naive merge never asks for the splitter
  }
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (std::size_t i = 0; i < texts.size(); ++i) {
        const std::size_t which = (i + static_cast<std::size_t>(t) * 7) % texts.size();
        std::vector<Rank> got;
        internal::byte_pair_encode(ranks, texts[which], merge_scratch(), &got);
        if (got != expected[which]) ++mismatches;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(mismatches.load(), 0);
}

INSTANTIATE_TEST_SUITE_P(AllEncodings, PieceSplitterTest, ::testing::ValuesIn(all_encodings()));

}  // namespace
}  // namespace flashtok::testing
