// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// A vocabulary made so that one more byte can change every id of a run: a
// run of 'a' (or ' ', or '-') has a token for every power of two up to 1,024
// of its length, so BPE writes a run's length in binary, the longest token
// first (1,023 bytes: ten ids; 1,024: one). The built-in vocabularies never
// do this (their runs repeat one token), so every shortcut that keeps the
// ids of a run and re-encodes its end (the byte-run encoder, the
// backtracking encoder, appends inside a long run, a fixed prefix that ends
// in one) is checked here where keeping almost nothing is the right answer.
// The expected ids are counted, not encoded: an oracle independent of every
// encoder in the library (and checked against the definition of BPE).
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "flashtok/append_only_token_cache.h"
#include "flashtok/fixed_prefix_token_cache.h"
#include "flashtok/session_token_cache.h"
#include "reference_bpe.h"
#include "test_support.h"
#include "util/base64.h"

namespace flashtok::testing {
namespace {

constexpr int kLevels = 10;  // tokens of 2, 4, ..., 1,024 bytes of each run byte
const std::string kRunBytes = "a -";

// Rank of the token of 2^level bytes of kRunBytes[family] (level 0: the byte).
Rank rank_of(std::size_t family, int level) {
  if (level == 0) return static_cast<unsigned char>(kRunBytes[family]);
  return static_cast<Rank>(256 + family * kLevels + (level - 1));
}

// Every byte, then the powers of two of each run byte, each family in rank
// order (so that BPE reaches each token from its halves).
std::shared_ptr<const Encoder> counting_encoder() {
  static const auto encoder = [] {
    std::string text;
    for (int b = 0; b < 256; ++b) {
      text += internal::encode_base64(std::string(1, static_cast<char>(b))) + " " + std::to_string(b) + "\n";
    }
    for (std::size_t family = 0; family < kRunBytes.size(); ++family) {
      for (int level = 1; level <= kLevels; ++level) {
        text += internal::encode_base64(std::string(std::size_t{1} << level, kRunBytes[family])) + " " +
                std::to_string(rank_of(family, level)) + "\n";
      }
    }
    Encoding::FileOptions options;
    options.name = "counting";
    options.pattern = Encoding::builtin("cl100k_base")->pattern();  // takes the hand-written scanner
    return std::make_shared<const Encoder>(Encoding::from_tiktoken_text(text, options));
  }();
  return encoder;
}

// The BPE of n bytes of kRunBytes[family]: pairs merge level by level from
// the left, so n = 1,024 q + r gives q of the longest token, then r in
// binary, highest bit first.
std::vector<Rank> counted(std::size_t family, std::size_t n) {
  std::vector<Rank> ids(n >> kLevels, rank_of(family, kLevels));
  for (int level = kLevels - 1; level >= 0; --level) {
    if ((n >> level) & 1) ids.push_back(rank_of(family, level));
  }
  return ids;
}

std::string run_of(std::size_t family, std::size_t n) { return std::string(n, kRunBytes[family]); }

TEST(CountingVocabulary, CountedIdsAreTheDefinitionOfBpe) {
  const auto encoder = counting_encoder();
  for (std::size_t family = 0; family < kRunBytes.size(); ++family) {
    for (std::size_t n = 1; n <= 80; ++n) {
      ASSERT_EQ(counted(family, n), reference_bpe(ranks_of(*encoder), run_of(family, n))) << family << " " << n;
    }
  }
}

// Every length up to past two of the longest token, through the whole
// encoder (short pieces, the byte-run encoder, the backtracking encoder).
TEST(CountingVocabulary, FullEncodeOfEveryRunLengthIsCounted) {
  const auto encoder = counting_encoder();
  for (std::size_t family = 0; family < kRunBytes.size(); ++family) {
    for (std::size_t n = 1; n <= 2200; ++n) {
      ASSERT_EQ(encoder->encode_ordinary(run_of(family, n)), counted(family, n)) << "family " << family << ", " << n;
    }
  }
}

// A fixed prefix that is a long run (the LongPiecePrefix shortcut), at lengths
// just below and at powers of two, then more of the run: the suffix may
// change every id of the prefix's run.
TEST(CountingVocabulary, FixedPrefixRunsAcrossPowersOfTwoAreExact) {
  const auto encoder = counting_encoder();
  for (std::size_t family = 0; family < kRunBytes.size(); ++family) {
    for (std::size_t n : {256, 300, 511, 512, 767, 1000, 1023, 1024, 1025, 1535, 2047, 2048, 2100}) {
      FixedPrefixTokenCache cache(encoder, run_of(family, n));
      for (std::size_t more : {1, 2, 3, 8, 100, 255, 1024, 1025}) {
        const std::string suffix = run_of(family, more);
        ASSERT_EQ(cache.encode_ordinary(suffix), counted(family, n + more)) << "family " << family << ", " << n << " + " << more;
        std::vector<Rank> ids = cache.stable_tokens();
        cache.encode_tail(suffix, &ids);
        ASSERT_EQ(ids, counted(family, n + more));
        ASSERT_EQ(cache.count(suffix), counted(family, n + more).size());
      }
      // The run ends: a letter or a line break after it.
      for (const std::string suffix : {"b", "\n", "x\n"}) {
        ASSERT_EQ(cache.encode_ordinary(suffix), encoder->encode_ordinary(run_of(family, n) + suffix))
            << "family " << family << ", " << n << " + '" << suffix << "'";
      }
    }
  }
}

// A history streamed in chunks into a run, across the powers of two where
// the whole run collapses into fewer ids; the deltas applied to a mirror as
// a KV cache would.
TEST(CountingVocabulary, AppendsIntoARunAcrossPowersOfTwoAreExact) {
  const auto encoder = counting_encoder();
  workloads::SplitMix64 rng(0xc0de);
  for (std::size_t family = 0; family < kRunBytes.size(); ++family) {
    for (std::size_t max_chunk : {1, 7, 40}) {
      AppendOnlyTokenCache cache(encoder, "");
      std::vector<Rank> mirror;
      std::size_t n = 0;
      while (n < 2300) {
        const std::size_t chunk = 1 + rng.uniform(max_chunk);
        apply_delta(cache.append_ordinary(run_of(family, chunk)), &mirror);
        n += chunk;
        ASSERT_EQ(cache.tokens(), counted(family, n)) << "family " << family << ", " << n;
        ASSERT_EQ(mirror, cache.tokens());
      }
    }
  }
}

TEST(CountingVocabulary, SessionUpdatesIntoARunAcrossPowersOfTwoAreExact) {
  const auto encoder = counting_encoder();
  workloads::SplitMix64 rng(0x5e55);
  for (std::size_t family = 0; family < kRunBytes.size(); ++family) {
    SessionTokenCache sessions(encoder);
    std::vector<Rank> mirror;
    std::size_t n = 0;
    for (int step = 0; n < 2300; ++step) {
      const std::size_t chunk = 1 + rng.uniform(30);
      n += chunk;
      if (step % 2 == 0) {
        apply_delta(sessions.update("s", run_of(family, n)), &mirror);
      } else {
        apply_delta(sessions.append_output("s", run_of(family, chunk)), &mirror);
      }
      ASSERT_EQ(mirror, counted(family, n)) << "family " << family << ", step " << step;
    }
  }
}

}  // namespace
}  // namespace flashtok::testing
