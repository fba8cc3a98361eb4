// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// The backtracking encoder for long pieces (bpe/backtrack_encoder.h) against
// the naive merge written from the definition (reference_bpe) and, for long
// pieces, the heap merge (itself checked against the naive one in
// bpe_test.cc): every short string over small alphabets of the bytes long
// pieces are made of, long strings of random tokens, the shapes of real long
// pieces, under every built-in encoding; vocabularies trained on random text,
// and vocabularies the method is not exact for, where it must refuse.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "bpe/backtrack_encoder.h"
#include "bpe/backtrack_tables.h"
#include "bpe/byte_pair_encode.h"
#include "bpe/large_piece_merge.h"
#include "reference_bpe.h"
#include "test_support.h"
#include "vocab/table_state.h"

namespace flashtok::testing {
namespace {

std::vector<Rank> heap_ids(const RankTable& ranks, std::string_view piece) {
  internal::LargePieceBuffers buffers;
  std::vector<Rank> ids;
  internal::merge_large_piece(ranks, piece, buffers, [&ids](Rank rank) { ids.push_back(rank); });
  return ids;
}

// The backtracking encoder's answer; a failed expectation if it refuses.
std::vector<Rank> backtrack_ids(const RankTable& ranks, std::string_view piece) {
  internal::BacktrackBuffers buffers;
  EXPECT_TRUE(internal::encode_backtracking(ranks, piece, buffers));
  return buffers.tokens;
}

// Every string of 1 to max_length bytes drawn from `alphabet`.
template <typename Check>
void for_each_string(const std::string& alphabet, std::size_t max_length, Check check) {
  std::vector<std::size_t> digits;
  std::string s;
  while (digits.size() <= max_length) {
    s.resize(digits.size());
    for (std::size_t i = 0; i < digits.size(); ++i) s[i] = alphabet[digits[i]];
    if (!s.empty()) check(s);
    std::size_t i = 0;  // next string: count in base alphabet.size()
    while (i < digits.size() && ++digits[i] == alphabet.size()) digits[i++] = 0;
    if (i == digits.size()) digits.assign(digits.size() + 1, 0);
  }
}

// Random strings of `pick`-chosen bytes, of n bytes.
template <typename Pick>
std::string random_string(std::size_t n, Pick pick) {
  std::string s;
  while (s.size() < n) s += pick();
  return s;
}

class BacktrackTest : public ::testing::TestWithParam<std::string> {
 protected:
  const RankTable& ranks() const { return ranks_of(encoder_for(GetParam())); }
};

TEST_P(BacktrackTest, EveryShortStringOverLongPieceAlphabetsMatchesTheDefinition) {
  for (const std::string alphabet : {"012", "a0A+/", "-= \n", "eth ", "\xc3\xa9" "e", "xX9"}) {
    const std::size_t max_length = alphabet.size() <= 3 ? 9 : 7;
    for_each_string(alphabet, max_length, [&](const std::string& s) {
      ASSERT_EQ(backtrack_ids(ranks(), s), reference_bpe(ranks(), s)) << "\"" << s << "\"";
    });
  }
}

// Long strings of tokens picked at random (mostly ones of letters and digits,
// the bytes long pieces are made of), so that greedy longest matches and
// their junctions are of every kind.
TEST_P(BacktrackTest, StringsOfRandomTokensMatchTheHeapMerge) {
  workloads::SplitMix64 rng(41);
  std::vector<Rank> alnum;
  for (Rank r = 0; r < ranks().end_rank(); ++r) {
    const std::string_view bytes = ranks().bytes_of(r);
    if (!bytes.empty() && std::all_of(bytes.begin(), bytes.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); })) {
      alnum.push_back(r);
    }
  }
  for (int round = 0; round < 300; ++round) {
    const bool any = round % 3 == 0;
    const std::string piece = random_string(100 + rng.uniform(3000), [&] {
      const Rank r = any ? static_cast<Rank>(rng.uniform(ranks().end_rank())) : alnum[rng.uniform(alnum.size())];
      return std::string(ranks().bytes_of(r));
    });
    ASSERT_EQ(backtrack_ids(ranks(), piece), heap_ids(ranks(), piece)) << "round " << round;
  }
}

TEST_P(BacktrackTest, ShapesOfLongPiecesMatchTheHeapMerge) {
  workloads::SplitMix64 rng(43);
  const std::vector<std::string> alphabets = {
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",  // base64
      "0123456789", "0123456789abcdef", "-", "-=", "-\n", " a", "a", "ab", "\xe4\xb8\x80\xe4\xba\x8c"};
  for (const std::string& alphabet : alphabets) {
    for (std::size_t n : {129, 300, 1000, 5000, 30000}) {
      const std::string piece = random_string(n, [&] { return alphabet[rng.uniform(alphabet.size())]; });
      ASSERT_EQ(backtrack_ids(ranks(), piece), heap_ids(ranks(), piece)) << alphabet << " x " << n;
      // Mostly one byte, with a few others: the runs the byte-run encoder declines.
      std::string runs(n, alphabet[0]);
      for (int k = 0; k < 5; ++k) runs[rng.uniform(n)] = static_cast<char>(rng.uniform(256));
      ASSERT_EQ(backtrack_ids(ranks(), runs), heap_ids(ranks(), runs)) << "runs of " << int{alphabet[0]} << " x " << n;
    }
  }
}

// Through byte_pair_encode, the dispatch an encoder uses: a long piece that
// is no run of one byte takes the backtracking encoder, not the heap merge.
TEST_P(BacktrackTest, LongPiecesTakeTheBacktrackingEncoder) {
  workloads::SplitMix64 rng(47);
  const std::string digits = "0123456789";
  for (std::size_t n : {129, 1000, 100000}) {
    const std::string piece = random_string(n, [&] { return digits[rng.uniform(10)]; });
    internal::MergeScratch scratch;
    std::vector<Rank> ids;
    internal::byte_pair_encode(ranks(), piece, scratch, &ids);
    EXPECT_EQ(ids, heap_ids(ranks(), piece));
    EXPECT_EQ(ids, scratch.backtrack.tokens);
    EXPECT_EQ(scratch.large_piece.parts.capacity(), 0u) << "the heap merge ran";
  }
}

// A piece of digits takes the digit tokens' own tables (bpe/digit_tokens.h):
// each of their answers is the general tables' answer, for every pair of
// digit tokens and for digit strings that hold the longest tokens.
TEST_P(BacktrackTest, DigitTokensAnswerAsTheGeneralTablesDo) {
  const auto tables = internal::tables_of(ranks());
  const internal::DigitTokens& digits = tables->digit_tokens(ranks());
  ASSERT_TRUE(digits.built());
  std::vector<Rank> digit_tokens;
  for (Rank r = 0; r < ranks().end_rank(); ++r) {
    const std::string_view bytes = ranks().bytes_of(r);
    if (!bytes.empty() && std::all_of(bytes.begin(), bytes.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      digit_tokens.push_back(r);
    }
  }
  ASSERT_GT(digit_tokens.size(), 900u);
  std::size_t compatible = 0;
  for (const Rank left : digit_tokens) {
    for (const Rank right : digit_tokens) {
      const bool expected = tables->compatible(left, right);
      ASSERT_EQ(digits.compatible(left, right), expected) << ranks().bytes_of(left) << " " << ranks().bytes_of(right);
      compatible += expected ? 1 : 0;
    }
  }
  EXPECT_GT(compatible, 0u);  // both answers occur
  EXPECT_LT(compatible, digit_tokens.size() * digit_tokens.size());
  workloads::SplitMix64 rng(61);
  for (int round = 0; round < 20000; ++round) {
    std::string s;
    for (std::uint64_t k = rng.uniform(3); k > 0; --k) s += ranks().bytes_of(digit_tokens[rng.uniform(digit_tokens.size())]);
    for (std::uint64_t k = 1 + rng.uniform(20); k > 0; --k) s += static_cast<char>('0' + rng.uniform(10));
    ASSERT_EQ(digits.longest_prefix(s), tables->longest_prefix(s)) << s;
  }
}

// The tables keep compatible() of every pair of short tokens (one or two
// bytes of the base64 alphabet) as a bit: each must be the general test's
// answer, and every other token must have no row.
TEST_P(BacktrackTest, ShortTokenPairsAnswerAsTheGeneralTestDoes) {
  const auto tables = internal::tables_of(ranks());
  const internal::BitMatrix& pairs = tables->short_pairs();
  std::vector<Rank> short_tokens;
  for (Rank r = 0; r < ranks().end_rank(); ++r) {
    const std::string_view bytes = ranks().bytes_of(r);
    const bool is_short = !bytes.empty() && bytes.size() <= 2 && std::all_of(bytes.begin(), bytes.end(), internal::is_base64_byte);
    if (is_short) short_tokens.push_back(r);
    if (!bytes.empty() && !is_short) {
      ASSERT_EQ(tables->short_index(r), internal::BacktrackTables::kNotShort) << bytes;
    }
  }
  ASSERT_GT(short_tokens.size(), 1300u);
  ASSERT_EQ(pairs.size(), short_tokens.size());
  std::size_t compatible = 0;
  for (const Rank left : short_tokens) {
    for (const Rank right : short_tokens) {
      const bool expected = tables->compatible(left, right);
      ASSERT_EQ(pairs.get(tables->short_index(left), tables->short_index(right)), expected)
          << ranks().bytes_of(left) << " " << ranks().bytes_of(right);
      compatible += expected ? 1 : 0;
    }
  }
  EXPECT_GT(compatible, 0u);  // both answers occur
  EXPECT_LT(compatible, short_tokens.size() * short_tokens.size());
}

INSTANTIATE_TEST_SUITE_P(AllEncodings, BacktrackTest, ::testing::ValuesIn(all_encodings()));

// Every byte value at every place of digit strings of 1 to 20 bytes (word
// and tail, next to 0 and 9): only a digit keeps the string one of digits.
TEST(Backtrack, IsAsciiDigitsJudgesEveryByteAnywhere) {
  EXPECT_TRUE(internal::is_ascii_digits(""));
  for (std::size_t n = 1; n <= 20; ++n) {
    std::string digits;
    for (std::size_t i = 0; i < n; ++i) digits += "0918273645"[i % 10];
    ASSERT_TRUE(internal::is_ascii_digits(digits));
    for (std::size_t at = 0; at < n; ++at) {
      for (int b = 0; b < 256; ++b) {
        std::string s = digits;
        s[at] = static_cast<char>(b);
        ASSERT_EQ(internal::is_ascii_digits(s), b >= '0' && b <= '9') << n << " bytes, " << b << " at " << at;
      }
    }
  }
}


// A vocabulary learned as BPE learns one: every byte, then `merges` times the
// most frequent adjacent pair of the training text's current tokens joined
// into a new token of the next rank (first in text order on a tie).
std::vector<std::pair<std::string, Rank>> trained_vocabulary(const std::string& text, int merges) {
  std::vector<std::pair<std::string, Rank>> tokens;
  for (int b = 0; b < 256; ++b) tokens.emplace_back(std::string(1, static_cast<char>(b)), static_cast<Rank>(b));
  std::vector<std::string> parts;
  for (char c : text) parts.emplace_back(1, c);
  for (int m = 0; m < merges && parts.size() > 1; ++m) {
    std::vector<std::pair<std::string, int>> counts;  // in order of first appearance
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
      const std::string joined = parts[i] + parts[i + 1];
      auto it = std::find_if(counts.begin(), counts.end(), [&](const auto& c) { return c.first == joined; });
      if (it == counts.end()) counts.emplace_back(joined, 1); else ++it->second;
    }
    const auto best = std::max_element(counts.begin(), counts.end(),
                                       [](const auto& a, const auto& b) { return a.second < b.second; });
    if (std::any_of(tokens.begin(), tokens.end(), [&](const auto& t) { return t.first == best->first; })) break;
    tokens.emplace_back(best->first, static_cast<Rank>(tokens.size()));
    std::vector<std::string> next;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      if (i + 1 < parts.size() && parts[i] + parts[i + 1] == best->first) {
        next.push_back(best->first);
        ++i;
      } else {
        next.push_back(parts[i]);
      }
    }
    parts = std::move(next);
  }
  return tokens;
}

// Trained vocabularies over small alphabets (so that tokens are long and
// overlap in every way), with one in three tokens added out of rank order:
// the encoder either answers the definition's ids or refuses (an out-of-order
// token may be one BPE cannot reach), and answers often. A quarter of them
// are over digits, whose pieces take bpe/digit_tokens.h.
TEST(Backtrack, RandomVocabulariesMatchTheDefinitionOrRefuse) {
  workloads::SplitMix64 rng(53);
  int usable = 0;
  int refused = 0;
  for (int vocabulary = 0; vocabulary < 120; ++vocabulary) {
    // One in four over digits: their pieces take the digit tokens' tables.
    const std::string alphabet = std::string(vocabulary % 4 == 3 ? "0123" : "abcd").substr(0, 2 + rng.uniform(3));
    const std::string text = random_string(400, [&] { return alphabet[rng.uniform(alphabet.size())]; });
    auto tokens = trained_vocabulary(text, 20 + static_cast<int>(rng.uniform(60)));
    if (vocabulary % 3 == 2) {  // a random extra token of random bytes, at a random rank below the others
      const std::string extra = random_string(2 + rng.uniform(4), [&] { return alphabet[rng.uniform(alphabet.size())]; });
      if (std::none_of(tokens.begin(), tokens.end(), [&](const auto& t) { return t.first == extra; })) {
        for (auto& t : tokens) t.second += t.second >= 256 ? 1 : 0;
        tokens.emplace_back(extra, 256);
      }
    }
    const RankTable ranks(tokens);
    internal::BacktrackBuffers buffers;
    if (!internal::encode_backtracking(ranks, "ab", buffers)) {
      ++refused;
      continue;
    }
    ++usable;
    for_each_string(alphabet, alphabet.size() == 2 ? 10 : 6, [&](const std::string& s) {
      ASSERT_TRUE(internal::encode_backtracking(ranks, s, buffers));
      ASSERT_EQ(buffers.tokens, reference_bpe(ranks, s)) << "vocabulary " << vocabulary << ": " << s;
    });
    for (int round = 0; round < 20; ++round) {
      const std::string s = random_string(1 + rng.uniform(600), [&] { return alphabet[rng.uniform(alphabet.size())]; });
      ASSERT_TRUE(internal::encode_backtracking(ranks, s, buffers));
      ASSERT_EQ(buffers.tokens, reference_bpe(ranks, s)) << "vocabulary " << vocabulary << ": " << s;
    }
  }
  EXPECT_GT(usable, 80);
  EXPECT_GT(refused, 0);
}

// "abc" is a token but neither "ab" nor "bc" is: BPE never reaches it, and
// a longest-match encoder would. The encoder must refuse, and
// byte_pair_encode fall back to the heap merge.
TEST(Backtrack, AVocabularyWithATokenBpeCannotReachTakesTheHeapMerge) {
  std::vector<std::pair<std::string, Rank>> tokens;
  for (int b = 0; b < 256; ++b) tokens.emplace_back(std::string(1, static_cast<char>(b)), static_cast<Rank>(b));
  tokens.emplace_back("abc", 256);
  tokens.emplace_back("ca", 257);
  const RankTable ranks(tokens);
  EXPECT_FALSE(internal::tables_of(ranks)->usable());
  std::string piece;
  while (piece.size() < 300) piece += "abc";
  internal::BacktrackBuffers buffers;
  EXPECT_FALSE(internal::encode_backtracking(ranks, piece, buffers));
  internal::MergeScratch scratch;
  std::vector<Rank> ids;
  internal::byte_pair_encode(ranks, piece, scratch, &ids);
  EXPECT_EQ(ids, reference_bpe(ranks, piece));
  EXPECT_GT(scratch.large_piece.parts.capacity(), 0u) << "the heap merge did not run";
}

// The tables of a new vocabulary are built by whichever thread first needs
// them while others wait, then shared: every thread gets the same ids.
TEST(BacktrackConcurrent, ThreadsBuildAndShareTheTablesOfANewVocabulary) {
  const RankTable ranks(trained_vocabulary(std::string(200, 'a') + "abcabcabdabd0123012301230123", 40));
  workloads::SplitMix64 rng(59);
  // Half over digits, half over letters and digits: threads race to build
  // the digit tokens' tables and the short pairs too.
  std::vector<std::string> pieces(8);
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    const std::string alphabet = i % 2 == 0 ? "abcd0123" : "0123";
    for (int k = 0; k < 2000; ++k) pieces[i] += alphabet[rng.uniform(alphabet.size())];
  }
  std::vector<std::vector<Rank>> got(pieces.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    threads.emplace_back([&, i] {
      internal::MergeScratch scratch;
      internal::byte_pair_encode(ranks, pieces[i], scratch, &got[i]);
    });
  }
  for (auto& t : threads) t.join();
  for (std::size_t i = 0; i < pieces.size(); ++i) EXPECT_EQ(got[i], heap_ids(ranks, pieces[i])) << i;
}

// The digit tokens' tables and the short pairs are built by the first piece
// that asks for them (one of digits, one of base64 or letters), not with the
// tables nor by any other piece, and the encoding's memory then counts them.
TEST(Backtrack, LazyTablesAreBuiltByTheFirstPieceThatAsksAndCounted) {
  const RankTable ranks(trained_vocabulary(std::string(300, 'a') + "abcabcabdabd-=-=-=+/+/0120120133", 40));
  const auto bytes_after = [&ranks](const std::string& piece) {
    internal::MergeScratch scratch;
    std::vector<Rank> ids;
    internal::byte_pair_encode(ranks, piece, scratch, &ids);
    EXPECT_EQ(ids, reference_bpe(ranks, piece));
    const std::size_t bytes = internal::table_state_bytes(ranks.id());
    EXPECT_EQ(bytes, internal::tables_of(ranks)->memory_bytes());
    return bytes;
  };
  const std::size_t tables_alone = bytes_after(std::string(100, '-') + std::string(100, '='));
  ASSERT_GT(tables_alone, 0u) << "the tables were not built";
  // Asked with another table, the digit tables are neither built from it nor
  // answered: a wrong table may cost speed, never an id.
  const RankTable other(trained_vocabulary("0120120133", 5));
  EXPECT_FALSE(internal::tables_of(ranks)->digit_tokens(other).built());
  EXPECT_EQ(internal::table_state_bytes(ranks.id()), tables_alone);
  std::string digits;
  while (digits.size() < 200) digits += "0120133";
  const std::size_t with_digits = bytes_after(digits);
  const auto tables = internal::tables_of(ranks);
  EXPECT_EQ(with_digits - tables_alone, tables->digit_tokens(ranks).memory_bytes()) << "built no more and no less";
  std::string letters;
  while (letters.size() < 200) letters += "abcdabcaabbbcdcdab+/ab";
  const std::size_t with_short_pairs = bytes_after(letters);
  EXPECT_EQ(with_short_pairs - with_digits, tables->short_pairs().memory_bytes());
  EXPECT_GT(tables->short_pairs().memory_bytes(), 0u);
  internal::forget_table_state(ranks.id());
}

TEST(Backtrack, TablesOfAForgottenTableAreBuiltAgain) {
  const RankTable ranks(trained_vocabulary("abababcbcbc", 5));
  const auto first = internal::tables_of(ranks);
  EXPECT_EQ(internal::tables_of(ranks), first);
  internal::forget_table_state(ranks.id());
  EXPECT_NE(internal::tables_of(ranks), first);
  internal::forget_table_state(ranks.id());
}

}  // namespace
}  // namespace flashtok::testing
