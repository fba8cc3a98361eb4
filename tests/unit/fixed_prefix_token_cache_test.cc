// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// FixedPrefixTokenCache against a full encode of prefix + suffix.
#include <gtest/gtest.h>

#include <iterator>
#include <string>
#include <vector>

#include "cache/long_piece_append.h"
#include "cache/long_piece_prefix.h"
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
  // The rollback/append view, applied to the prefix's own ids.
  TokenDelta delta;
  cache.encode_delta(suffix, &delta);
  std::vector<Rank> ids = cache.stable_tokens();
  ids.insert(ids.end(), cache.unstable_tokens().begin(), cache.unstable_tokens().end());
  ASSERT_EQ(ids, cache.encoder().encode_ordinary(cache.prefix()));
  ASSERT_LE(delta.rollback_tokens, cache.unstable_tokens().size());
  ids.resize(ids.size() - delta.rollback_tokens);
  ASSERT_EQ(delta.first_changed, ids.size());
  ASSERT_EQ(delta.replacement_tokens, delta.tokens_to_append.size());
  ids.insert(ids.end(), delta.tokens_to_append.begin(), delta.tokens_to_append.end());
  ASSERT_EQ(ids, expected);
  // Nothing rolled back that came back: the first appended id differs.
  if (delta.rollback_tokens > 0 && !delta.tokens_to_append.empty()) {
    ASSERT_NE(delta.tokens_to_append[0], cache.unstable_tokens()[cache.unstable_tokens().size() - delta.rollback_tokens]);
  }
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

// A prefix that ends in a long run, for every ASCII byte's run class (the
// byte repeated, or the class mixed) and for runs of longer characters
// (multi_byte_run_alphabets(); suffixes that may cut a character): the run's ids kept up to a tested
// boundary (cache/long_piece_prefix.h) must give the ids of a full encode for
// any suffix: more of the run, another run, class text, hostile bytes.
TEST_P(FixedPrefixTest, PrefixEndingInALongRunIsExact) {
  const auto encoder = shared_encoder(GetParam());
  workloads::SplitMix64 rng(0xf1ed + GetParam().size());
  for (int byte = 0; byte < 128; ++byte) {
    for (int round = 0; round < 4; ++round) {
      const char run_byte = static_cast<char>(byte);
      const bool mixed = round >= 2;
      const std::size_t run = internal::LongRun::kMinRun + rng.uniform(400);
      FixedPrefixTokenCache cache(encoder, random_edge(rng, 6) + class_run(rng, GetParam(), run_byte, run, mixed));
      SCOPED_TRACE("byte " + std::to_string(byte) + " run " + std::to_string(run) + (mixed ? " mixed" : ""));
      for (int j = 0; j < 8; ++j) {
        std::string suffix = class_run(rng, GetParam(), run_byte, rng.uniform(100), mixed) + random_edge(rng, 6);
        if (rng.chance(1, 3)) suffix = random_edge(rng, 10);
        // Only more of the run: the piece lengthens, with no scan.
        if (rng.chance(1, 4)) suffix = class_run(rng, GetParam(), run_byte, 1 + rng.uniform(100), mixed);
        expect_exact(cache, suffix);
        if (HasFatalFailure()) return;
      }
    }
  }
  for (const std::string& alphabet : multi_byte_run_alphabets()) {
    for (int round = 0; round < 8; ++round) {
      const bool mixed = round % 2 == 1;
      const std::string run = char_run(rng, GetParam(), alphabet, 100 + rng.uniform(300), mixed);
      FixedPrefixTokenCache cache(encoder, random_edge(rng, 6) + run);
      SCOPED_TRACE("run of " + alphabet + " bytes " + std::to_string(run.size()) + (mixed ? " mixed" : ""));
      for (int j = 0; j < 8; ++j) {
        std::string suffix = char_run(rng, GetParam(), alphabet, rng.uniform(40), mixed) + random_edge(rng, 6);
        if (rng.chance(1, 3)) suffix = random_edge(rng, 10);
        if (rng.chance(1, 4)) suffix = char_run(rng, GetParam(), alphabet, 1 + rng.uniform(40), mixed);
        if (rng.chance(1, 4)) suffix = suffix.substr(0, rng.uniform(suffix.size() + 1));  // may cut a character
        expect_exact(cache, suffix);
        if (HasFatalFailure()) return;
      }
    }
  }
}

// The shortcut is taken where it is meant to be: a log padded with a long
// run of spaces, one letter or '-', or ending in a long word of random
// lowercase letters ('w'), in Han text or a line of box drawing, and the usual suffixes (more of the run, a word, a
// line break) go through LongPiecePrefix::extend, not a re-encode.
TEST_P(FixedPrefixTest, LongRunShortcutAppliesToTheUsualSuffixes) {
  const auto encoder = shared_encoder(GetParam());
  workloads::SplitMix64 rng(0x10f + GetParam().size());
  for (const std::string run_of : {" ", "a", "-", "w", "的一是不了人", "─━┼┤"}) {
    // One byte's class, or (more bytes) longer characters of one class:
    // Han text, a line of box drawing.
    const std::string run_char = run_of.size() == 1 ? run_of : run_of.substr(0, 3);
    const std::string run = run_of.size() == 1 ? class_run(rng, GetParam(), run_of[0], 1 << 16, run_of == "w")
                                               : char_run(rng, GetParam(), run_of, (1 << 16) / 3 + 1, true);
    const std::string prefix = "The log follows:" + run;
    FixedPrefixTokenCache cache(encoder, prefix);
    // The unstable text starts at the run, or one piece before it.
    ASSERT_GE(cache.unstable_text().size(), std::size_t{1} << 16);
    std::vector<Rank> unstable_ids = encoder->encode_ordinary(cache.unstable_text());
    const auto shortcut = internal::LongPiecePrefix::of(*encoder, cache.unstable_text(), unstable_ids);
    ASSERT_NE(shortcut, nullptr) << "run of '" << run_of << "'";
    EXPECT_TRUE(shortcut->leaves_out_run_middle()) << "run of '" << run_of << "'";
    const std::string word = run_of == " " ? "x" : " x";
    auto repeated = [&](int n) {
      std::string s;
      for (int i = 0; i < n; ++i) s += run_char;
      return s;
    };
    for (const std::string& suffix :
         {repeated(1), repeated(10), repeated(333), word, std::string("\n"), repeated(7) + "\n\nDone."}) {
      std::size_t kept = 0;
      std::vector<Rank> fresh;
      ASSERT_TRUE(shortcut->extend(*encoder, unstable_ids, suffix, &kept, &fresh))
          << "run of '" << run_of << "', suffix '" << suffix << "'";
      std::vector<Rank> ids(unstable_ids.begin(), unstable_ids.begin() + static_cast<std::ptrdiff_t>(kept));
      ids.insert(ids.end(), fresh.begin(), fresh.end());
      ASSERT_EQ(ids, encoder->encode_ordinary(std::string(cache.unstable_text()) + suffix));
      // A suffix costs a few of the run's ids, not the run.
      EXPECT_GE(kept + 8, unstable_ids.size());
      expect_exact(cache, suffix);
      if (HasFatalFailure()) return;
    }
  }
}

// A prefix that ends in a long piece of any kind (long_piece_kinds()), at 20 to 300
// characters (on both sides of kMinPiece bytes, and of kMinRun for ASCII),
// and suffixes that lengthen it, end it (a line break), cut it or have
// nothing to do with it: every call gives the ids of a full encode.
TEST_P(FixedPrefixTest, PrefixEndingInALongPieceIsExact) {
  const auto encoder = shared_encoder(GetParam());
  workloads::SplitMix64 rng(0x9e3 + GetParam().size());
  for (const LongPieceKind& kind : long_piece_kinds()) {
    for (int round = 0; round < 12; ++round) {
      const std::string prefix =
          random_edge(rng, 6) + "\n" + kind.lead + long_piece_of(rng, kind, 20 + rng.uniform(280));
      FixedPrefixTokenCache cache(encoder, prefix);
      SCOPED_TRACE(std::string(kind.name) + ", prefix of " + std::to_string(prefix.size()) + " bytes");
      for (int j = 0; j < 10; ++j) {
        std::string suffix;
        switch (rng.uniform(5)) {
          case 0: suffix = long_piece_of(rng, kind, 1 + rng.uniform(40)); break;
          case 1: suffix = long_piece_of(rng, kind, rng.uniform(6)) + "\n\nNext line."; break;
          case 2: {
            const auto& kinds = long_piece_kinds();
            suffix = long_piece_of(rng, kinds[rng.uniform(kinds.size())], 1 + rng.uniform(20));
            break;
          }
          case 3: suffix = random_edge(rng, 10); break;
          default: suffix = random_bytes(rng, 1 + rng.uniform(8)); break;
        }
        expect_exact(cache, suffix);
        if (HasFatalFailure()) return;
      }
    }
  }
}

// The same through the RE2 pre-tokenizer (a user's pattern): nothing there is
// provably stable, so a prefix that is one long piece is all unstable text,
// scanned whole with each suffix by the generic split; still exact.
TEST_P(FixedPrefixTest, LongPiecePrefixOnTheRegexPathIsExact) {
  auto encoder = std::make_shared<const Encoder>(Encoding::builtin(GetParam()), PretokenizerChoice::kRegex);
  workloads::SplitMix64 rng(0x7e9 + GetParam().size());
  for (const std::size_t k : {0, 1, 3}) {  // box drawing, Han, emoji
    const LongPieceKind& kind = long_piece_kinds()[k];
    FixedPrefixTokenCache cache(encoder, kind.lead + long_piece_of(rng, kind, 60 + rng.uniform(100)));
    SCOPED_TRACE(kind.name);
    ASSERT_EQ(cache.unstable_text(), cache.prefix());
    ASSERT_NE(internal::LongPiecePrefix::of(*encoder, cache.unstable_text(), cache.unstable_tokens()), nullptr);
    for (const std::string& suffix : {long_piece_of(rng, kind, 3), std::string("\n\nok"), random_bytes(rng, 5),
                                      random_edge(rng, 8)}) {
      expect_exact(cache, suffix);
      if (HasFatalFailure()) return;
    }
  }
}

// And the shortcut is taken for them: a table line of box-drawing
// characters, a run of Han characters, a line of emoji, each a few hundred
// bytes, extended by the usual suffixes at the cost of a few of its ids.
TEST_P(FixedPrefixTest, LongPieceShortcutAppliesToTheUsualSuffixes) {
  const auto encoder = shared_encoder(GetParam());
  workloads::SplitMix64 rng(0x1e9 + GetParam().size());
  for (const std::size_t k : {0, 1, 3}) {  // box drawing, Han, emoji
    const LongPieceKind& kind = long_piece_kinds()[k];
    const std::string prefix = "| a | b |\n" + std::string(kind.lead) + long_piece_of(rng, kind, 100);
    FixedPrefixTokenCache cache(encoder, prefix);
    std::vector<Rank> unstable_ids = encoder->encode_ordinary(cache.unstable_text());
    ASSERT_GE(cache.unstable_text().size(), internal::LongPiecePrefix::kMinPiece) << kind.name;
    const auto shortcut = internal::LongPiecePrefix::of(*encoder, cache.unstable_text(), unstable_ids);
    ASSERT_NE(shortcut, nullptr) << kind.name;
    // Box drawing and Han are runs (characters of three bytes of one class,
    // pretokenizer/run_classes.h): their middle is left out of the scan. The
    // emoji line mixes lengths and is scanned whole.
    EXPECT_EQ(shortcut->leaves_out_run_middle(), k != 3) << kind.name;
    for (const std::string& suffix : {long_piece_of(rng, kind, 1), long_piece_of(rng, kind, 7), std::string("\n"),
                                      long_piece_of(rng, kind, 3) + "\n\nDone."}) {
      std::size_t kept = 0;
      std::vector<Rank> fresh;
      ASSERT_TRUE(shortcut->extend(*encoder, unstable_ids, suffix, &kept, &fresh)) << kind.name << " + " << suffix;
      std::vector<Rank> ids(unstable_ids.begin(), unstable_ids.begin() + static_cast<std::ptrdiff_t>(kept));
      ids.insert(ids.end(), fresh.begin(), fresh.end());
      ASSERT_EQ(ids, encoder->encode_ordinary(std::string(cache.unstable_text()) + suffix));
      EXPECT_GE(kept + 8, unstable_ids.size()) << kind.name << " + " << suffix;
      expect_exact(cache, suffix);
      if (HasFatalFailure()) return;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllEncodings, FixedPrefixTest, ::testing::ValuesIn(all_encodings()));

}  // namespace
}  // namespace flashtok::testing
