// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// Appends to a text that ends inside a long run (cache/long_piece_append.h,
// TokenizedText::append_in_long_piece) against a full encode: the scan from a
// window without the run's middle against the scan of the whole text, for
// every ASCII byte's run class under every scanner, as one byte repeated and
// as a random mix of the class (a long word, a long number, a line of mixed
// punctuation); streams of chunks into runs through the append-only cache,
// the session cache and TokenizedText, with edits inside the run between
// them, under the four encodings.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cache/long_piece_append.h"
#include "cache/tokenized_text.h"
#include "flashtok/append_only_token_cache.h"
#include "flashtok/session_token_cache.h"
#include "test_support.h"

namespace flashtok::testing {
namespace {

class LongRunAppendTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::shared_ptr<const Encoder> encoder() const { return Encoder::builtin(GetParam()); }
  const internal::RunClasses& classes() const { return pretokenizer_of(encoder_for(GetParam())).run_classes(); }
};

// The classes the scanners' loops imply (pretokenizer/scan_text.h): a wrong
// one is caught by the window test below; these say what the shortcut is
// meant to reach.
TEST_P(LongRunAppendTest, RunClassesGroupWhatTheLoopsCannotTellApart) {
  const internal::RunClasses& c = classes();
  EXPECT_EQ(c['7'], c['0']);
  EXPECT_EQ(c['-'], c['=']);
  EXPECT_EQ(c['\t'], c['\v']);
  for (const char alone : std::string(" '\r\n/")) EXPECT_EQ(c[static_cast<unsigned char>(alone)], alone);
  EXPECT_NE(c['a'], c['0']);
  EXPECT_NE(c['-'], c['a']);
  EXPECT_EQ(c['z'], c['a']);
  // o200k's words split where the case changes; the others' do not.
  EXPECT_EQ(c['A'] == c['a'], GetParam() != "o200k_base");
  EXPECT_EQ(c[0xC3], 0xC3);
}

// The shortcut is taken for a long word and a long number, not only for one
// byte repeated: the run that ends the text is found whole, and letters of
// the word's class appended to it only lengthen its piece. (The exactness
// tests pass either way; this fails if words fall back to a re-encode.)
TEST_P(LongRunAppendTest, WordsAndNumbersAreRunsTheAppendPathTakes) {
  const Pretokenizer& scanner = pretokenizer_of(encoder_for(GetParam()));
  workloads::SplitMix64 rng(0x30d + GetParam().size());
  const bool gpt2 = GetParam() == "r50k_base" || GetParam() == "p50k_base";
  for (const char byte : gpt2 ? std::string("q7") : std::string("q")) {  // digits are one piece only there
    const std::string head = "x ";
    const std::string old_text = head + class_run(rng, GetParam(), byte, 1000, /*mixed=*/true);
    internal::LongRun run;
    std::size_t begin = 0, end = 0;
    ASSERT_TRUE(run.find(old_text, 0, classes(), &begin, &end)) << byte;
    EXPECT_EQ(begin, head.size());
    EXPECT_EQ(end, old_text.size());
    const std::vector<Piece> old_pieces = scanner.split(old_text);
    const Piece& last = old_pieces.back();
    std::size_t reach_before = 0;
    for (std::size_t i = 0; i + 1 < old_pieces.size(); ++i) reach_before = std::max(reach_before, old_pieces[i].reach);
    const internal::PieceRecord record{last.begin, 0, std::max(reach_before, last.reach)};
    const std::string text = old_text + class_run(rng, GetParam(), byte, 10, /*mixed=*/true);
    Piece got{};
    ASSERT_TRUE(internal::lengthened_run_piece(text, old_text.size(), std::max(begin, last.begin), classes(), record,
                                               reach_before, &got))
        << byte;
    EXPECT_EQ(got.end, scanner.split(text).back().end);
  }
}

// pumped_first_piece is the first piece of the whole text's scan, for every
// ASCII byte's class as the run (the byte repeated, or its class mixed),
// at every scanner, from the text's start and from
// the start of the piece the run's start is in; when it declines, the real
// piece ends at or before the cut.
TEST_P(LongRunAppendTest, WindowScanIsTheScanOfTheWholeText) {
  const Pretokenizer& scanner = pretokenizer_of(encoder_for(GetParam()));
  workloads::SplitMix64 rng(0xc07 + GetParam().size());
  std::string window;
  for (int byte = 0; byte < 128; ++byte) {
    for (int round = 0; round < 12; ++round) {
      const std::string head = random_edge(rng, 4);
      const std::size_t run = internal::LongRun::kMinRun + rng.uniform(300);
      const std::string text =
          head + class_run(rng, GetParam(), static_cast<char>(byte), run, round % 2 == 1) + random_edge(rng, 8);
      const std::vector<Piece> pieces = scanner.split(text);
      std::vector<std::size_t> starts = {0};
      for (const Piece& p : pieces) {
        if (p.begin <= head.size() && head.size() < p.end) starts.push_back(p.begin);
      }
      const std::size_t cut = head.size() + internal::LongRun::kMargin;
      const std::size_t removed = run - 2 * internal::LongRun::kMargin;
      for (const std::size_t from : starts) {
        const Piece expected = scanner.split(text, from).front();
        Piece got{};
        if (internal::pumped_first_piece(scanner, text, from, cut, removed, window, &got)) {
          ASSERT_EQ(got.begin, expected.begin) << "byte " << byte << " round " << round;
          ASSERT_EQ(got.end, expected.end) << "byte " << byte << " round " << round;
          ASSERT_EQ(got.reach, expected.reach) << "byte " << byte << " round " << round;
        } else {
          ASSERT_LE(expected.end, cut) << "byte " << byte << " round " << round;
        }
      }
    }
  }
}

// lengthened_run_piece is the last piece of the whole text's scan after
// bytes of the run's class are appended, for every ASCII byte's class as the
// run (repeated or mixed), at every scanner: begin, end and the reach the
// piece walk would record.
TEST_P(LongRunAppendTest, LengthenedRunPieceIsTheScanOfTheWholeText) {
  const Pretokenizer& scanner = pretokenizer_of(encoder_for(GetParam()));
  workloads::SplitMix64 rng(0x1e9 + GetParam().size());
  int taken = 0;
  for (int byte = 0; byte < 128; ++byte) {
    for (int round = 0; round < 8; ++round) {
      const std::string head = random_edge(rng, 4);
      const bool mixed = round % 2 == 1;
      const std::size_t run = internal::LongRun::kMinRun + rng.uniform(300);
      const std::string old_text = head + class_run(rng, GetParam(), static_cast<char>(byte), run, mixed);
      const std::vector<Piece> old_pieces = scanner.split(old_text);
      const Piece& last = old_pieces.back();
      std::size_t reach_before = 0;
      for (std::size_t i = 0; i + 1 < old_pieces.size(); ++i) reach_before = std::max(reach_before, old_pieces[i].reach);
      const internal::PieceRecord record{last.begin, 0, std::max(reach_before, last.reach)};
      const std::string text =
          old_text + class_run(rng, GetParam(), static_cast<char>(byte), 1 + rng.uniform(40), mixed);
      Piece got{};
      if (!internal::lengthened_run_piece(text, old_text.size(), std::max(head.size(), last.begin), classes(), record,
                                          reach_before, &got)) {
        continue;
      }
      ++taken;
      const Piece expected = scanner.split(text).back();
      ASSERT_EQ(got.begin, expected.begin) << "byte " << byte << " round " << round;
      ASSERT_EQ(got.end, expected.end) << "byte " << byte << " round " << round;
      ASSERT_EQ(std::max(reach_before, got.reach), std::max(reach_before, expected.reach))
          << "byte " << byte << " round " << round;
    }
  }
  EXPECT_GT(taken, 128 * 8 / 2);  // most runs end the text in one piece
}

// A text streamed in chunks into a long run (one byte, or its class mixed:
// a long word, a long number), with other characters in some chunks; every
// step against a full encode, and the deltas applied to a mirror as a KV
// cache would.
TEST_P(LongRunAppendTest, StreamingIntoLongRunsIsExact) {
  const auto enc = encoder();
  workloads::SplitMix64 rng(0xa11 + GetParam().size());
  for (const char run : std::string(" a-\nA7/\t'=z.\r")) {
    for (int round = 0; round < 4; ++round) {
      AppendOnlyTokenCache cache(enc, random_edge(rng, 6));
      std::vector<Rank> mirror = cache.tokens();
      std::string text = cache.text();
      const std::size_t target = text.size() + 300 + rng.uniform(1500);
      while (text.size() < target) {
        std::string chunk = class_run(rng, GetParam(), run, 1 + rng.uniform(24), round >= 2);
        if (rng.chance(1, 12)) chunk.insert(rng.uniform(chunk.size() + 1), random_edge(rng, 3));
        apply_delta(cache.append_ordinary(chunk), &mirror);
        text += chunk;
        ASSERT_EQ(cache.tokens(), enc->encode_ordinary(text)) << "run of " << int(run) << " at " << text.size();
        ASSERT_EQ(mirror, cache.tokens());
      }
    }
  }
}

// A run that stops (a word after it, a newline), goes on, and is edited in
// the middle between appends (which must forget the run); through
// TokenizedText's three ways to change a text.
TEST_P(LongRunAppendTest, EditsAndCutsBetweenAppendsAreExact) {
  const auto enc = encoder();
  workloads::SplitMix64 rng(0xed17 + GetParam().size());
  for (const char run : std::string(" a-\n7")) {
    const bool mixed = run == 'a' || run == '7';  // a long word, a long number
    internal::TokenizedText text(enc);
    std::string mirror_text = random_edge(rng, 4) + class_run(rng, GetParam(), run, 600, mixed);
    text.replace_from(0, mirror_text);
    for (int step = 0; step < 120; ++step) {
      const std::uint64_t what = rng.uniform(10);
      if (what < 6) {  // append
        std::string chunk = class_run(rng, GetParam(), run, 1 + rng.uniform(16), mixed);
        if (rng.chance(1, 3)) chunk += random_edge(rng, 2);
        text.replace_from(text.text().size(), chunk);
        mirror_text += chunk;
      } else if (what < 8) {  // an edit inside the text, through the resync path
        std::string edited = mirror_text;
        if (rng.chance(1, 2)) {
          edited[rng.uniform(edited.size())] = "\t x-"[rng.uniform(4)];
        } else {  // the end becomes another run of the same length (the size tells nothing)
          const std::size_t n = std::min<std::size_t>(edited.size() - 1, 300 + rng.uniform(200));
          edited.replace(edited.size() - n, n, n, "b \n="[rng.uniform(4)]);
        }
        text.replace_all(edited);
        mirror_text = edited;
      } else if (what < 9) {  // cut the end off
        const std::size_t keep = mirror_text.size() - rng.uniform(std::min<std::size_t>(mirror_text.size(), 40));
        text.replace_from(keep, "");
        mirror_text.resize(keep);
      } else {  // a long run again
        const std::string more = class_run(rng, GetParam(), run, 300 + rng.uniform(300), mixed);
        text.replace_from(text.text().size(), more);
        mirror_text += more;
      }
      ASSERT_EQ(text.text(), mirror_text);
      ASSERT_EQ(text.tokens(), enc->encode_ordinary(mirror_text)) << "run of " << int(run) << " step " << step;
    }
  }
}

// Updates and outputs into a run of spaces and into a long word.
TEST_P(LongRunAppendTest, SessionAppendsIntoARunAreExact) {
  const auto enc = encoder();
  workloads::SplitMix64 rng(0x5e5 + GetParam().size());
  for (const bool word : {false, true}) {
    SessionTokenCache sessions(enc);
    auto more = [&](std::size_t n) { return word ? class_run(rng, GetParam(), 'q', n, true) : std::string(n, ' '); };
    std::string prompt = "System: be brief.\n" + more(2000);
    std::vector<Rank> mirror;
    apply_delta(sessions.update("s", prompt), &mirror);
    for (int step = 0; step < 60; ++step) {
      if (step % 2 == 0) {
        prompt += more(1 + step % 13);
        apply_delta(sessions.update("s", prompt), &mirror);
      } else {
        const std::string output = step % 7 == 1 ? "ok " : more(5);
        apply_delta(sessions.append_output("s", output), &mirror);
        prompt += output;
      }
      ASSERT_EQ(mirror, enc->encode_ordinary(prompt)) << "step " << step << (word ? " (word)" : " (spaces)");
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllEncodings, LongRunAppendTest, ::testing::ValuesIn(all_encodings()));

}  // namespace
}  // namespace flashtok::testing
