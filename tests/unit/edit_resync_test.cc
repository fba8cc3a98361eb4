// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// Edits anywhere (TokenizedText::replace_all, SessionTokenCache::update)
// against a full encode: random insertions, deletions and replacements at
// random places, several per update, on text that breaks UTF-8 in every way
// (test_support.h's hostile alphabet) and on class text, in all four
// encodings; bounded-exhaustive over every short edit between long common
// stretches, where the resync happens; and the alignment the resync relies on.
#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <tuple>

#include "cache/text_alignment.h"
#include "cache/tokenized_text.h"
#include "flashtok/session_token_cache.h"
#include "test_support.h"

namespace flashtok::testing {
namespace {

using internal::AlignedRegion;
using internal::TokenizedText;

// A caller's copy of the ids, kept two ways: through the rollback/append
// view and through the splice view of the same deltas.
class Mirrors {
 public:
  void apply(const TokenDelta& delta) {
    if (delta.restart) {
      appended_.clear();
      spliced_.clear();
    }
    ASSERT_LE(delta.rollback_tokens, appended_.size());
    appended_.resize(appended_.size() - delta.rollback_tokens);
    appended_.insert(appended_.end(), delta.tokens_to_append.begin(), delta.tokens_to_append.end());

    ASSERT_EQ(delta.first_changed + delta.rollback_tokens, spliced_.size());
    ASSERT_LE(delta.first_changed + delta.replaced_tokens, spliced_.size());
    ASSERT_LE(delta.replacement_tokens, delta.tokens_to_append.size());
    const auto at = spliced_.begin() + static_cast<std::ptrdiff_t>(delta.first_changed);
    const auto kept = spliced_.size() - delta.first_changed - delta.replaced_tokens;
    // The kept old ids are what tokens_to_append ends with.
    ASSERT_EQ(kept, delta.tokens_to_append.size() - delta.replacement_tokens);
    ASSERT_TRUE(std::equal(at + static_cast<std::ptrdiff_t>(delta.replaced_tokens), spliced_.end(),
                           delta.tokens_to_append.end() - static_cast<std::ptrdiff_t>(kept)));
    spliced_.erase(at, at + static_cast<std::ptrdiff_t>(delta.replaced_tokens));
    spliced_.insert(spliced_.begin() + static_cast<std::ptrdiff_t>(delta.first_changed),
                    delta.tokens_to_append.begin(),
                    delta.tokens_to_append.begin() + static_cast<std::ptrdiff_t>(delta.replacement_tokens));
  }
  void expect(const std::vector<Rank>& ids) const {
    ASSERT_EQ(appended_, ids) << "the rollback/append view does not lead to the new ids";
    ASSERT_EQ(spliced_, ids) << "the splice view does not lead to the new ids";
  }

 private:
  std::vector<Rank> appended_;
  std::vector<Rank> spliced_;
};

// The splice is tight: the ids just inside it differ from the old ones.
void expect_tight(const TokenDelta& delta, const std::vector<Rank>& before, const std::vector<Rank>& after) {
  if (delta.restart || (delta.replaced_tokens == 0 && delta.replacement_tokens == 0)) return;
  const std::size_t f = delta.first_changed;
  if (delta.replaced_tokens > 0 && delta.replacement_tokens > 0) {
    EXPECT_NE(before[f], after[f]) << "the splice starts at an id that did not change";
    EXPECT_NE(before[f + delta.replaced_tokens - 1], after[f + delta.replacement_tokens - 1])
        << "the splice ends at an id that did not change";
  }
}

// A caller's ids after a splice: the old ids [first_changed, kept_from())
// replaced, the ones before and the kept_tokens after them kept.
void apply_splice(const TokenSplice& splice, std::vector<Rank>* ids) {
  if (splice.restart) {
    ASSERT_EQ(splice.first_changed + splice.replaced_tokens + splice.kept_tokens, 0u);
    ids->clear();
  }
  ASSERT_EQ(splice.kept_from() + splice.kept_tokens, ids->size()) << "the splice does not cover the old ids";
  const auto at = ids->begin() + static_cast<std::ptrdiff_t>(splice.first_changed);
  ids->erase(at, at + static_cast<std::ptrdiff_t>(splice.replaced_tokens));
  ids->insert(ids->begin() + static_cast<std::ptrdiff_t>(splice.first_changed), splice.replacement.begin(),
              splice.replacement.end());
}

// The splice is tight: the ids at both of its ends changed.
void expect_tight(const TokenSplice& splice, const std::vector<Rank>& before, const std::vector<Rank>& after) {
  if (splice.restart || splice.replaced_tokens == 0 || splice.replacement.empty()) return;
  const std::size_t f = splice.first_changed;
  EXPECT_NE(before[f], after[f]) << "the splice starts at an id that did not change";
  EXPECT_NE(before[f + splice.replaced_tokens - 1], after[f + splice.replacement.size() - 1])
      << "the splice ends at an id that did not change";
}

// A caller's ids after the splices of one edit (splices_to, update_splices),
// applied front to back; each splice checked: not empty, tight (the ids at
// both of its ends changed; at its start only for `head_only`, an extension
// or a cut, which re-encodes to the end), and its kept ids reaching exactly
// the next one.
void apply_splices(const std::vector<TokenSplice>& splices, const std::vector<Rank>& after,
                   std::vector<Rank>* ids, bool head_only = false) {
  if (!splices.empty() && splices.front().restart) {
    ASSERT_EQ(splices.size(), 1u);
    ids->clear();
  }
  for (std::size_t k = 0; k < splices.size(); ++k) {
    const TokenSplice& s = splices[k];
    const std::vector<Rank> before = *ids;
    ASSERT_TRUE(s.restart || s.replaced_tokens > 0 || !s.replacement.empty()) << "splice " << k << " is empty";
    ASSERT_LE(s.kept_from() + s.kept_tokens, ids->size()) << "splice " << k << " reaches past the ids";
    if (k + 1 < splices.size()) {
      ASSERT_EQ(s.first_changed + s.replacement.size() + s.kept_tokens, splices[k + 1].first_changed)
          << "splice " << k << " does not keep the ids up to the next one";
    } else {
      ASSERT_EQ(s.kept_from() + s.kept_tokens, ids->size()) << "the last splice does not keep the ids to the end";
    }
    // `before` holds the new ids up to first_changed, then the old ones.
    if (!s.restart && s.replaced_tokens > 0 && !s.replacement.empty()) {
      EXPECT_NE(before[s.first_changed], after[s.first_changed]) << "splice " << k << " starts at an unchanged id";
      if (!head_only) {
        EXPECT_NE(before[s.kept_from() - 1], after[s.first_changed + s.replacement.size() - 1])
            << "splice " << k << " ends at an unchanged id";
      }
    }
    const auto at = ids->begin() + static_cast<std::ptrdiff_t>(s.first_changed);
    ids->erase(at, at + static_cast<std::ptrdiff_t>(s.replaced_tokens));
    ids->insert(ids->begin() + static_cast<std::ptrdiff_t>(s.first_changed), s.replacement.begin(),
                s.replacement.end());
  }
}

// `edits` random changes of `text` at random places, applied from the back
// so that each place is in the original text's coordinates.
std::string edit_randomly(workloads::SplitMix64& rng, const std::string& text, std::size_t edits,
                          std::string (*random_text)(workloads::SplitMix64&, std::size_t)) {
  std::vector<std::size_t> places;
  for (std::size_t i = 0; i < edits; ++i) places.push_back(rng.uniform(text.size() + 1));
  std::sort(places.begin(), places.end());
  std::string out = text;
  std::size_t limit = text.size();
  for (auto it = places.rbegin(); it != places.rend(); ++it) {
    const std::size_t at = std::min(*it, limit);
    const std::size_t removed = std::min<std::size_t>(limit - at, rng.uniform(3) == 0 ? 0 : rng.uniform(40));
    const std::string inserted = rng.uniform(3) == 0 ? std::string() : random_text(rng, 1 + rng.uniform(12));
    out.replace(at, removed, inserted);
    limit = at;
  }
  return out;
}

std::string hostile_text(workloads::SplitMix64& rng, std::size_t n) { return random_hostile_text(rng, n); }
std::string class_text(workloads::SplitMix64& rng, std::size_t n) { return random_class_text(rng, n); }

// Class text broken by long runs whose pieces look far ahead: white space
// (read whole), upper-case letters before a lower-case one, digits (one
// unbounded \p{N}+ piece in r50k/p50k), up to 3,000 bytes each. The edit
// walk scans the new text in windows a little past each edit
// (tokenized_text_edit.cc, ScanWindow): such a piece looks past a window's
// end and makes the walk widen it, several times over.
std::string long_run_text(workloads::SplitMix64& rng, std::size_t symbols) {
  static const char* const kRuns[] = {" ", "\n", " \n", "\t", "Q", "7", "-"};
  std::string text;
  for (std::size_t i = 0; i < symbols; ++i) {
    if (rng.uniform(4) != 0) {
      text += random_class_text(rng, 1 + rng.uniform(6));
      continue;
    }
    const std::string unit = kRuns[rng.uniform(std::size(kRuns))];
    const std::size_t n = 1 + rng.uniform(rng.uniform(2) == 0 ? 100 : 1500);
    for (std::size_t k = 0; k < n; ++k) text += unit;
    if (unit == "Q") text += "a";
  }
  return text;
}

class EditResyncTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::shared_ptr<const Encoder> encoder() const { return Encoder::builtin(GetParam()); }

  // Updates a text through `rounds` random multi-edit turns, each checked.
  void run_random_edits(std::uint64_t seed, std::size_t symbols, int rounds,
                        std::string (*random_text)(workloads::SplitMix64&, std::size_t)) {
    const auto enc = encoder();
    workloads::SplitMix64 rng(seed);
    TokenizedText text(enc);
    Mirrors mirrors;
    std::string now = random_text(rng, symbols);
    mirrors.apply(TokenDelta{0, {}, true});
    mirrors.apply(text.replace_all(now));
    for (int round = 0; round < rounds; ++round) {
      if (rng.uniform(8) == 0) now = random_text(rng, symbols);  // sometimes a fresh text
      const std::string next = edit_randomly(rng, now, 1 + rng.uniform(4), random_text);
      const std::vector<Rank> before = text.tokens();
      const TokenDelta delta = text.replace_all(next);
      const auto expected = enc->encode_ordinary(next);
      ASSERT_EQ(text.tokens(), expected) << "seed " << seed << " round " << round << ": "
                                         << ::testing::PrintToString(now) << " -> "
                                         << ::testing::PrintToString(next);
      ASSERT_EQ(text.text(), next);
      mirrors.apply(delta);
      mirrors.expect(expected);
      expect_tight(delta, before, expected);
      now = next;
    }
  }

  // The same through splice_to(), each splice applied to the caller's ids.
  void run_random_splices(std::uint64_t seed, std::size_t symbols, int rounds,
                          std::string (*random_text)(workloads::SplitMix64&, std::size_t)) {
    const auto enc = encoder();
    workloads::SplitMix64 rng(seed);
    TokenizedText text(enc);
    std::vector<Rank> ids;
    std::string now = random_text(rng, symbols);
    apply_splice(text.splice_to(now), &ids);
    for (int round = 0; round < rounds; ++round) {
      if (rng.uniform(8) == 0) now = random_text(rng, symbols);
      const std::string next = edit_randomly(rng, now, 1 + rng.uniform(4), random_text);
      const std::vector<Rank> before = text.tokens();
      const TokenSplice splice = text.splice_to(next);
      const auto expected = enc->encode_ordinary(next);
      ASSERT_EQ(text.tokens(), expected) << "seed " << seed << " round " << round << ": "
                                         << ::testing::PrintToString(now) << " -> "
                                         << ::testing::PrintToString(next);
      apply_splice(splice, &ids);
      ASSERT_EQ(ids, expected) << "seed " << seed << " round " << round << ": the splice does not lead there";
      expect_tight(splice, before, expected);
      now = next;
    }
  }
};

// The same through splices_to(): one splice per changed stretch of ids.
TEST_P(EditResyncTest, RandomSplicesPerStretchAreExact) {
  const auto enc = encoder();
  using RandomText = std::string (*)(workloads::SplitMix64&, std::size_t);
  const std::vector<std::tuple<std::uint64_t, std::size_t, RandomText>> runs = {
      {51, 200, hostile_text}, {52, 4000, class_text}, {53, 4000, hostile_text}};
  for (const auto& [seed, symbols, random_text] : runs) {
    workloads::SplitMix64 rng(seed);
    TokenizedText text(enc);
    std::vector<Rank> ids;
    std::string now = random_text(rng, symbols);
    const int rounds = symbols > 1000 ? 300 : 1500;
    for (int round = 0; round < rounds; ++round) {
      const std::string next = rng.uniform(8) == 0 ? random_text(rng, symbols)
                                                   : edit_randomly(rng, now, 1 + rng.uniform(4), random_text);
      const auto expected = enc->encode_ordinary(next);
      const std::vector<TokenSplice> splices = text.splices_to(next);
      ASSERT_EQ(text.tokens(), expected) << "seed " << seed << " round " << round;
      ASSERT_NO_FATAL_FAILURE(apply_splices(splices, expected, &ids)) << "seed " << seed << " round " << round;
      ASSERT_EQ(ids, expected) << "seed " << seed << " round " << round << ": the splices do not lead there";
      now = next;
    }
  }
}

TEST_P(EditResyncTest, RandomHostileSplicesAreExact) {
  for (std::uint64_t seed : {31u, 32u}) run_random_splices(seed, 200, 1500, hostile_text);
}

// Long texts: kept runs of thousands of pieces moved toward the front and
// toward the back in one update.
TEST_P(EditResyncTest, RandomSplicesOfLongTextsAreExact) {
  run_random_splices(41, 4000, 300, class_text);
  run_random_splices(42, 4000, 300, hostile_text);
}

// Edits next to pieces that look past the scan window's end, so that the
// walk widens its window (and restarts the piece) before it resyncs.
TEST_P(EditResyncTest, EditsNextToLongLookaheadsAreExact) {
  run_random_edits(61, 60, 300, long_run_text);
  run_random_splices(62, 60, 300, long_run_text);
}

TEST_P(EditResyncTest, RandomHostileEditsAreExact) {
  for (std::uint64_t seed : {11u, 12u, 13u}) run_random_edits(seed, 200, 1500, hostile_text);
}

TEST_P(EditResyncTest, RandomClassTextEditsAreExact) {
  for (std::uint64_t seed : {21u, 22u}) run_random_edits(seed, 600, 1500, class_text);
}

// old = H + u + T, new = H + v + T for every u and v of up to one symbol of
// either alphabet, after a head H and before tails T that start
// with every symbol: the new scan must hand over to the old pieces of T only
// where they really come back. Then the same twice in one update.
TEST_P(EditResyncTest, EveryShortEditBetweenLongCommonStretchesIsExact) {
  const auto enc = encoder();
  workloads::SplitMix64 rng(5);
  const std::string head = random_class_text(rng, 40);
  std::vector<std::string> words = {""};  // every word of up to one symbol
  for (const auto& a : class_alphabet()) words.push_back(a);
  for (const auto& h : hostile_alphabet()) words.push_back(h);

  std::size_t cases = 0;
  for (const auto& lead : class_alphabet()) {
    const std::string tail = lead + random_class_text(rng, 60);
    TokenizedText text(enc);
    for (const auto& u : words) {
      text.replace_all(head + u + tail);
      for (const std::string* v : {&words[rng.uniform(words.size())], &words[rng.uniform(words.size())]}) {
        const std::string next = head + *v + tail + *v + tail;
        text.replace_all(head + u + tail + u + tail);
        text.replace_all(next);
        ASSERT_EQ(text.tokens(), enc->encode_ordinary(next)) << ::testing::PrintToString(next);
      }
      for (const auto& v : words) {
        const std::string next = head + v + tail;
        text.replace_all(next);
        ASSERT_EQ(text.tokens(), enc->encode_ordinary(next))
            << ::testing::PrintToString(head + u + tail) << " -> " << ::testing::PrintToString(next);
        text.replace_all(head + u + tail);
        ++cases;
      }
    }
  }
  EXPECT_GT(cases, 20'000u);
}

// The whole old text inside the new one, with text before and after it: the
// old pieces run out before the new text does (found by fuzz_edit_resync:
// "... I'm" whose last piece never looked at the end, then more text); and
// the new text ending inside the old one, where the ids copied last end the
// new list but not the old one (found by it too).
TEST_P(EditResyncTest, OldTextInsideTheNewOneIsExact) {
  const auto enc = encoder();
  workloads::SplitMix64 rng(8);
  for (int round = 0; round < 3000; ++round) {
    const std::string old_text = random_hostile_text(rng, 10 + rng.uniform(40));
    const std::string around = random_hostile_text(rng, 1 + rng.uniform(6));
    const std::string other = random_hostile_text(rng, 1 + rng.uniform(6));
    const std::vector<std::pair<std::string, std::string>> changes = {
        {old_text, around + old_text + around},
        {old_text, old_text + around},
        {old_text, around + old_text},
        {old_text + other, around + old_text},  // the new text ends inside the old one
    };
    for (const auto& [before, next] : changes) {
      TokenizedText text(enc);
      text.replace_all(before);
      Mirrors mirrors;
      TokenDelta start{0, text.tokens(), true};
      start.replacement_tokens = start.tokens_to_append.size();
      mirrors.apply(start);
      mirrors.apply(text.replace_all(next));
      const auto expected = enc->encode_ordinary(next);
      ASSERT_EQ(text.tokens(), expected) << ::testing::PrintToString(before) << " -> "
                                         << ::testing::PrintToString(next);
      mirrors.expect(expected);
    }
  }
}

// The point of the edit path: an edit near the start and one in the middle
// of a long text re-encode a few hundred bytes, not the text after them.
TEST_P(EditResyncTest, EditsReEncodeOnlyAroundThemselves) {
  const auto enc = encoder();
  workloads::SplitMix64 rng(9);
  std::string body;
  while (body.size() < 100'000) body += random_class_text(rng, 30) + "\n";
  const std::string old_text = "Date: 2026-12-01 10:00\n" + body;
  std::string new_text = "Date: 2026-12-02 09:59:58\n" + body;
  new_text.replace(new_text.size() / 2, 300, "a passage that was swapped in.\n");
  TokenizedText text(enc);
  text.replace_all(old_text);
  TokenizedText::EditCost cost;
  const TokenDelta delta = text.replace_all(new_text, &cost);
  ASSERT_EQ(text.tokens(), enc->encode_ordinary(new_text));
  EXPECT_LT(cost.encoded_bytes, 2'000u);
  EXPECT_LT(delta.replaced_tokens, text.tokens().size());
}

// Rewrites from the first id with more ids than the thread's scratch keeps
// (TokenizedText::rewrite then takes the scratch's buffer for the ids, and
// a cold session's first splice is handed out as the restart), each
// followed by edits and appends on the result.
TEST_P(EditResyncTest, LongRewritesFromTheStartAreExact) {
  const auto enc = encoder();
  workloads::SplitMix64 rng(71);
  TokenizedText text(enc);
  SessionTokenCache cache(enc);
  Mirrors mirrors;
  mirrors.apply(TokenDelta{0, {}, true});
  for (int round = 0; round < 12; ++round) {
    const std::string long_text = random_class_text(rng, 12'000 + rng.uniform(12'000));
    mirrors.apply(text.replace_from(0, long_text));
    auto expected = enc->encode_ordinary(long_text);
    ASSERT_GT(expected.size(), 4096u) << "not longer than the scratch kept";
    ASSERT_EQ(text.tokens(), expected) << "round " << round;
    mirrors.expect(expected);
    const std::string edited = edit_randomly(rng, long_text, 1 + rng.uniform(4), class_text);
    mirrors.apply(text.replace_all(edited));
    // Short or longer than the scratch kept (the ids before it stay).
    const std::string appended = edited + random_class_text(rng, round % 3 == 0 ? 12'000 : 1 + rng.uniform(30));
    mirrors.apply(text.replace_from(edited.size(), appended.substr(edited.size())));
    expected = enc->encode_ordinary(appended);
    ASSERT_EQ(text.tokens(), expected) << "round " << round;
    mirrors.expect(expected);

    // A cold session: its first update is a restart holding every id,
    // through both views; then an edit on top.
    const std::string id = "s" + std::to_string(round);
    const bool whole = round % 2 == 0;
    std::vector<Rank> ids;
    if (whole) {
      const TokenDelta delta = cache.update(id, long_text);
      ASSERT_TRUE(delta.restart);
      ids = delta.tokens_to_append;
    } else {
      const std::vector<TokenSplice> splices = cache.update_splices(id, long_text);
      ASSERT_EQ(splices.size(), 1u);
      ASSERT_TRUE(splices.front().restart);
      ids = splices.front().replacement;
    }
    ASSERT_EQ(ids, enc->encode_ordinary(long_text)) << "round " << round;
    apply_splice(cache.update_splice(id, edited), &ids);
    ASSERT_EQ(ids, enc->encode_ordinary(edited)) << "round " << round;
    cache.reset(id);
    ASSERT_TRUE(cache.update(id, appended).restart);
    ASSERT_EQ(cache.tokens(id), expected);
  }
}

// An edit of the byte a lone apostrophe's piece was decided by (gpt2's
// case-sensitive `'re` fails on `'rE`, and `'` is then a piece of its own;
// `'l` before a space likewise), where a block scan starts at the apostrophe
// (the word before it has a non-ASCII letter, so the byte scanner cut it):
// through both caches the ids must be a full encode's after each edit. The
// block scan once reported such a piece's reach one byte short, and the
// caches kept the `'`.
TEST_P(EditResyncTest, EditsCompletingAContractionAfterALoneApostropheAreExact) {
  const auto enc = encoder();
  const std::string tail = " est ouvert, and then some more plain ASCII text to fill a block of 64 bytes.";
  const std::vector<std::string> prompts = {
      "Le caf\xC3\xA9'rEe" + tail, "Le caf\xC3\xA9'ree" + tail, "Le caf\xC3\xA9'vEe" + tail,
      "Le caf\xC3\xA9've" + tail,  "Le caf\xC3\xA9'l" + std::string(300, ' ') + "l" + tail,
      "Le caf\xC3\xA9'll" + tail,  "Le caf\xC3\xA9'rEe" + tail};
  TokenizedText text(enc);
  SessionTokenCache cache(enc);
  Mirrors mirrors;
  for (std::size_t step = 0; step < prompts.size(); ++step) {
    const std::string& prompt = prompts[step];
    const auto expected = enc->encode_ordinary(prompt);
    text.replace_all(prompt);
    ASSERT_EQ(text.tokens(), expected) << "step " << step;
    ASSERT_NO_FATAL_FAILURE(mirrors.apply(cache.update("s", prompt))) << "step " << step;
    ASSERT_NO_FATAL_FAILURE(mirrors.expect(expected)) << "step " << step;
  }
}

TEST_P(EditResyncTest, SessionUpdatesThroughEditsAreExact) {
  const auto enc = encoder();
  SessionTokenCache cache(enc);
  workloads::SplitMix64 rng(3);
  Mirrors mirrors;
  std::string prompt = random_hostile_text(rng, 300);
  for (int round = 0; round < 2000; ++round) {
    prompt = rng.uniform(4) == 0 ? prompt + random_hostile_text(rng, 1 + rng.uniform(8))
                                 : edit_randomly(rng, prompt, 1 + rng.uniform(3), hostile_text);
    if (prompt.size() > 3000) prompt = random_hostile_text(rng, 300);
    mirrors.apply(cache.update("s", prompt));
    const auto expected = enc->encode_ordinary(prompt);
    ASSERT_EQ(cache.tokens("s"), expected);
    mirrors.expect(expected);
  }
  const auto stats = cache.stats();
  EXPECT_GT(stats.partial_hits, 1000u);
  EXPECT_GT(stats.bytes_reused, stats.bytes_encoded);
}

// update_splice() through edits, appended outputs and a reset (a restart):
// the caller's ids, spliced, stay a full encode of the prompt.
TEST_P(EditResyncTest, SessionSplicesThroughEditsAreExact) {
  const auto enc = encoder();
  SessionTokenCache cache(enc);
  workloads::SplitMix64 rng(4);
  std::vector<Rank> ids;
  std::string prompt = random_hostile_text(rng, 300);
  for (int round = 0; round < 2000; ++round) {
    if (rng.uniform(5) == 0) {  // model output, which the next prompt contains
      const std::string output = random_hostile_text(rng, 1 + rng.uniform(8));
      ASSERT_NO_FATAL_FAILURE(apply_delta(cache.append_output("s", output), &ids));
      prompt += output;
    }
    prompt = edit_randomly(rng, prompt, 1 + rng.uniform(3), hostile_text);
    if (prompt.size() > 3000) prompt = random_hostile_text(rng, 300);
    if (rng.uniform(100) == 0) cache.reset("s");
    apply_splice(cache.update_splice("s", prompt), &ids);
    ASSERT_EQ(ids, enc->encode_ordinary(prompt)) << "round " << round;
  }
}

// update_splices() through edits, appended outputs and resets (restarts).
TEST_P(EditResyncTest, SessionSplicesPerStretchThroughEditsAreExact) {
  const auto enc = encoder();
  SessionTokenCache cache(enc);
  workloads::SplitMix64 rng(6);
  std::vector<Rank> ids;
  std::string prompt = random_hostile_text(rng, 300);
  std::string before_prompt;  // the text the session holds
  for (int round = 0; round < 2000; ++round) {
    if (rng.uniform(5) == 0) {
      const std::string output = random_hostile_text(rng, 1 + rng.uniform(8));
      ASSERT_NO_FATAL_FAILURE(apply_delta(cache.append_output("s", output), &ids));
      prompt += output;
      before_prompt = prompt;
    }
    prompt = edit_randomly(rng, prompt, 1 + rng.uniform(4), hostile_text);
    if (prompt.size() > 3000) prompt = random_hostile_text(rng, 300);
    if (rng.uniform(100) == 0) cache.reset("s");
    const auto expected = enc->encode_ordinary(prompt);
    const std::string held = before_prompt;
    const bool extension_or_cut = prompt.compare(0, held.size(), held) == 0 || held.compare(0, prompt.size(), prompt) == 0;
    ASSERT_NO_FATAL_FAILURE(apply_splices(cache.update_splices("s", prompt), expected, &ids, extension_or_cut))
        << "round " << round;
    before_prompt = prompt;
    ASSERT_EQ(ids, expected) << "round " << round;
  }
}

INSTANTIATE_TEST_SUITE_P(AllEncodings, EditResyncTest, ::testing::ValuesIn(all_encodings()));

// Every region align_texts reports is byte-equal, in order, without overlap;
// on texts edited in a few places it finds most of what they share.
TEST(TextAlignmentTest, RegionsAreEqualOrderedAndCoverWhatIsShared) {
  workloads::SplitMix64 rng(17);
  for (int round = 0; round < 3000; ++round) {
    const std::string a = random_class_text(rng, 50 + rng.uniform(3000));
    const std::size_t edits = 1 + rng.uniform(4);
    const std::string b = edit_randomly(rng, a, edits, class_text);
    const auto regions = internal::align_texts(a, b);
    std::size_t old_end = 0, new_end = 0, shared = 0;
    for (const AlignedRegion& r : regions) {
      ASSERT_GE(r.old_begin, old_end);
      ASSERT_GE(r.new_begin, new_end);
      ASSERT_LE(r.old_end(), a.size());
      ASSERT_LE(r.new_end(), b.size());
      ASSERT_EQ(a.substr(r.old_begin, r.length), b.substr(r.new_begin, r.length));
      old_end = r.old_end();
      new_end = r.new_end();
      shared += r.length;
    }
    // Each edit removes at most 40 bytes; the probes may skip a window's
    // worth around each.
    EXPECT_GE(shared + edits * (40 + 4 * 64), a.size()) << "round " << round;
  }
}

}  // namespace
}  // namespace flashtok::testing
