// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// Every cache against a full encode on text that breaks UTF-8 in every way
// (test_support.h's hostile alphabet): appends, edits anywhere and
// truncations, bounded-exhaustive over short strings and random with fixed
// seeds over long ones, in all four encodings. A cache is exact only if the
// reach of every piece covers every byte its scan looked at, including the
// bytes a decoder reads to call a sequence invalid: an edit that turns
// "caf\xC3x" into "caf\xC3\xA9" (café) must re-encode the piece of \xC3.
#include <gtest/gtest.h>

#include <functional>
#include <map>

#include "cache/tokenized_text.h"
#include "flashtok/flashtok.h"
#include "test_support.h"

namespace flashtok::testing {
namespace {

// A caller's copy of a cache's ids, kept up to date from the deltas alone.
class Mirror {
 public:
  void apply(const TokenDelta& delta) {
    if (delta.restart) ids_.clear();
    ASSERT_LE(delta.rollback_tokens, ids_.size());
    ids_.resize(ids_.size() - delta.rollback_tokens);
    ids_.insert(ids_.end(), delta.tokens_to_append.begin(), delta.tokens_to_append.end());
  }
  const std::vector<Rank>& ids() const { return ids_; }

 private:
  std::vector<Rank> ids_;
};

// Every word of up to max_symbols symbols of the alphabet, the empty one first.
std::vector<std::string> words_up_to(const std::vector<std::string>& alphabet, std::size_t max_symbols) {
  std::vector<std::string> words = {""};
  std::size_t from = 0;
  for (std::size_t length = 1; length <= max_symbols; ++length) {
    const std::size_t to = words.size();
    for (std::size_t i = from; i < to; ++i) {
      for (const auto& symbol : alphabet) words.push_back(words[i] + symbol);
    }
    from = to;
  }
  return words;
}

class HostileBytesTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::shared_ptr<const Encoder> encoder() const { return Encoder::builtin(GetParam()); }
};

// The property every cache rests on, piece by piece: a piece whose reach is
// at most k is a piece of every text that keeps the first k bytes. Checked on
// the pieces themselves, since two splittings can give the same ids by
// chance ("x" + "\xC3x" and "x\xC3\xA9" do in cl100k_base).
TEST_P(HostileBytesTest, PiecesSurviveEveryEditAtOrAfterTheirReach) {
  const auto enc = encoder();
  const Pretokenizer& pretokenizer = pretokenizer_of(*enc);
  const auto tails = words_up_to(hostile_alphabet(), 1);
  std::size_t kept = 0;
  for (const auto& text : words_up_to(hostile_alphabet(), 3)) {
    const auto pieces = pretokenizer.split(text);
    for (std::size_t cut = 0; cut <= text.size(); ++cut) {
      for (const auto& tail : tails) {
        const auto after = pretokenizer.split(text.substr(0, cut) + tail);
        for (std::size_t i = 0; i < pieces.size() && pieces[i].reach <= cut; ++i, ++kept) {
          ASSERT_LT(i, after.size());
          ASSERT_TRUE(after[i].begin == pieces[i].begin && after[i].end == pieces[i].end)
              << "piece " << i << " of " << ::testing::PrintToString(text) << " (reach " << pieces[i].reach
              << ") changed when the text from byte " << cut << " became " << ::testing::PrintToString(tail);
        }
      }
    }
  }
  EXPECT_GT(kept, 500'000u);
}

// The same on longer random texts of both alphabets, edited by random tails.
TEST_P(HostileBytesTest, PiecesSurviveRandomEditsAtOrAfterTheirReach) {
  const auto enc = encoder();
  const Pretokenizer& pretokenizer = pretokenizer_of(*enc);
  workloads::SplitMix64 rng(31);
  for (int i = 0; i < 50000; ++i) {
    const std::string text = random_hostile_text(rng, 2 + rng.uniform(12));
    const std::size_t cut = rng.uniform(text.size() + 1);
    const std::string edited = text.substr(0, cut) + random_hostile_text(rng, rng.uniform(4));
    const auto pieces = pretokenizer.split(text);
    const auto after = pretokenizer.split(edited);
    for (std::size_t p = 0; p < pieces.size() && pieces[p].reach <= cut; ++p) {
      ASSERT_TRUE(p < after.size() && after[p].begin == pieces[p].begin && after[p].end == pieces[p].end)
          << "piece " << p << " of " << ::testing::PrintToString(text) << " changed in "
          << ::testing::PrintToString(edited);
    }
  }
}

// old = C + P + X + S, new = C + P + Y + S for every P of up to two symbols,
// every X and Y of up to one (so appends, truncations and one-symbol edits),
// a few suffixes S, among them bytes that complete or break what comes
// before, and a context C of letters that join a completed character into a
// word that merges differently ("caf" + "\xC3" + "x" -> "caf\xC3\xA9").
TEST_P(HostileBytesTest, EveryShortEditIsExact) {
  const auto enc = encoder();
  const auto middles = words_up_to(hostile_alphabet(), 2);
  const auto edits = words_up_to(hostile_alphabet(), 1);
  std::size_t cases = 0;
  for (const std::string context : {"", "caf"}) {
    for (const std::string suffix : {"", "\xA9", " s"}) {
      for (const auto& middle : middles) {
        const std::string p = context + middle;
        for (const auto& x : edits) {
          internal::TokenizedText text(enc);
          Mirror mirror;
          mirror.apply(text.replace_from(0, p + x + suffix));
          ASSERT_EQ(text.tokens(), enc->encode_ordinary(p + x + suffix));
          for (const auto& y : edits) {
            for (const std::string* now : {&y, &x}) {  // edit to y, then back to x
              const std::string want = p + *now + suffix;
              mirror.apply(text.replace_from(p.size(), *now + suffix));
              const auto expected = enc->encode_ordinary(want);
              ASSERT_EQ(text.tokens(), expected) << ::testing::PrintToString(p + x + suffix) << " -> "
                                                 << ::testing::PrintToString(want);
              ASSERT_EQ(mirror.ids(), expected) << "the delta does not lead to the new ids";
              ++cases;
            }
          }
        }
      }
    }
  }
  EXPECT_GT(cases, 6'000'000u);
}

// Every word of up to three symbols, split at every byte: the append cache
// (auto, and every fixed k for delta consistency) and the fixed prefix cache.
TEST_P(HostileBytesTest, EveryShortAppendIsExact) {
  const auto enc = encoder();
  for (const auto& word : words_up_to(hostile_alphabet(), 3)) {
    const auto expected = enc->encode_ordinary(word);
    for (std::size_t split = 0; split <= word.size(); ++split) {
      const std::string_view head = std::string_view(word).substr(0, split);
      const std::string_view tail = std::string_view(word).substr(split);
      AppendOnlyTokenCache cache(enc, head);
      Mirror mirror;
      mirror.apply(TokenDelta{0, cache.tokens(), true});
      mirror.apply(cache.append_ordinary(tail));
      ASSERT_EQ(cache.tokens(), expected) << ::testing::PrintToString(word) << " split at " << split;
      ASSERT_EQ(mirror.ids(), expected);

      const FixedPrefixTokenCache fixed(enc, std::string(head));
      std::vector<Rank> ids = fixed.stable_tokens();
      std::vector<Rank> rest;
      fixed.encode_tail(tail, &rest);
      ids.insert(ids.end(), rest.begin(), rest.end());
      ASSERT_EQ(ids, expected) << "fixed prefix " << ::testing::PrintToString(std::string(head));
      ASSERT_EQ(fixed.count(tail), expected.size());
    }
  }
}

// One long random session per seed: appends, model output, edits and
// replacements anywhere, truncations and cuts at the front, each checked
// against a full encode in every cache that can take it.
struct RandomRun {
  std::shared_ptr<const Encoder> enc;
  workloads::SplitMix64 rng;
  std::string text;

  // A random change of text: {byte kept, new tail}, so that text becomes
  // text[0, keep) + tail.
  std::pair<std::size_t, std::string> next_change() {
    const std::size_t n = text.size();
    const std::uint64_t kind = rng.uniform(20);
    if (kind < 10 || n == 0) return {n, random_hostile_text(rng, 1 + rng.uniform(6))};  // append
    const std::size_t at = rng.uniform(n + 1);
    if (kind < 15) {  // replace [at, at + len) with a few symbols
      const std::size_t len = std::min<std::size_t>(n - at, rng.uniform(8));
      return {at, random_hostile_text(rng, rng.uniform(4)) + text.substr(at + len)};
    }
    if (kind < 18) return {at, random_hostile_text(rng, 1 + rng.uniform(3)) + text.substr(at)};  // insert
    if (kind < 19) return {n - std::min<std::size_t>(n, 1 + rng.uniform(24)), ""};  // truncate
    return {0, text.substr(std::min<std::size_t>(n, 1 + rng.uniform(16)))};  // cut at the front
  }
};

TEST_P(HostileBytesTest, LongRandomEditSequencesAreExactInEveryCache) {
  const auto enc = encoder();
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    RandomRun run{enc, workloads::SplitMix64(seed), ""};
    SessionTokenCache sessions(enc);
    Mirror session_mirror;
    SharedPrefixTokenCache::Options shared_options;
    shared_options.block_bytes = 1 + seed * 3;
    shared_options.max_blocks = 64;
    SharedPrefixTokenCache shared(enc, shared_options);
    std::size_t total_size = 0;
    for (int step = 0; step < 4000; ++step) {
      const bool window = run.text.size() > 3000;
      if (window) run.text.erase(0, 2000);  // a sliding window: the next call must be an update
      total_size += run.text.size();
      const auto [keep, tail] = run.next_change();
      const bool is_output = !window && keep == run.text.size() && run.rng.uniform(2) == 0;
      run.text = run.text.substr(0, keep) + tail;
      const auto expected = enc->encode_ordinary(run.text);
      const std::string where = "seed " + std::to_string(seed) + " step " + std::to_string(step);

      session_mirror.apply(is_output ? sessions.append_output("s", tail) : sessions.update("s", run.text));
      ASSERT_EQ(sessions.tokens("s"), expected) << where;
      ASSERT_EQ(session_mirror.ids(), expected) << where;
      ASSERT_EQ(shared.encode_ordinary(run.text), expected) << where;
    }
    EXPECT_GT(total_size / 4000, 500u) << "the texts are meant to be long";
  }
}

// TokenizedText on its own, driven straight through replace_from.
TEST_P(HostileBytesTest, ReplaceFromAnywhereIsExact) {
  const auto enc = encoder();
  for (std::uint64_t seed : {11u, 12u, 13u}) {
    RandomRun run{enc, workloads::SplitMix64(seed), ""};
    internal::TokenizedText text(enc);
    Mirror mirror;
    for (int step = 0; step < 6000; ++step) {
      if (run.text.size() > 3000) {
        run.text.erase(0, 2000);
        mirror.apply(text.replace_from(0, run.text));
      }
      const auto [keep, tail] = run.next_change();
      run.text = run.text.substr(0, keep) + tail;
      mirror.apply(text.replace_from(keep, tail));
      const auto expected = enc->encode_ordinary(run.text);
      ASSERT_EQ(text.tokens(), expected) << "seed " << seed << " step " << step;
      ASSERT_EQ(mirror.ids(), expected) << "seed " << seed << " step " << step;
    }
  }
}

// Appends only, to the append cache in auto mode (exact) and with every fixed
// k (not always exact, but its deltas must lead to its own ids), and fixed
// prefixes of the growing text with the next append as the suffix.
TEST_P(HostileBytesTest, LongRandomAppendsAreExact) {
  const auto enc = encoder();
  workloads::SplitMix64 rng(21);
  std::vector<Backtrack> modes = {Backtrack::automatic()};
  for (std::size_t k = 0; k <= 8; ++k) modes.push_back(Backtrack::pieces(k));
  std::vector<AppendOnlyTokenCache> caches;
  std::vector<Mirror> mirrors(modes.size());
  for (const auto& mode : modes) caches.emplace_back(enc, std::string_view(), mode);
  std::string text;
  for (int step = 0; step < 5000; ++step) {
    if (text.size() > 4000) {
      text.clear();
      for (auto& cache : caches) cache.reset({});
      mirrors.assign(modes.size(), Mirror());
    }
    const std::string tail = random_hostile_text(rng, 1 + rng.uniform(5));
    if (step % 16 == 0) {
      const FixedPrefixTokenCache fixed(enc, text);
      ASSERT_EQ(fixed.encode_ordinary(tail), enc->encode_ordinary(text + tail)) << "step " << step;
    }
    text += tail;
    const auto expected = enc->encode_ordinary(text);
    for (std::size_t m = 0; m < modes.size(); ++m) {
      mirrors[m].apply(caches[m].append_ordinary(tail));
      ASSERT_EQ(mirrors[m].ids(), caches[m].tokens()) << "k=" << modes[m].to_string() << " step " << step;
    }
    ASSERT_EQ(caches[0].tokens(), expected) << "auto, step " << step;
  }
}

INSTANTIATE_TEST_SUITE_P(AllEncodings, HostileBytesTest, ::testing::ValuesIn(all_encodings()));

}  // namespace
}  // namespace flashtok::testing
