// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// Appends to a text that ends inside a long run (cache/long_piece_append.h,
// TokenizedText::append_in_long_piece) against a full encode: the scan from a
// window without the run's middle against the scan of the whole text, for
// every ASCII byte's run class under every scanner, as one byte repeated and
// as a random mix of the class (a long word, a long number, a line of mixed
// punctuation), and for runs of characters of two to four bytes (Han, box
// drawing, Cyrillic, emoji, CJK spaces, combining marks...); streams of
// chunks into runs through the append-only cache, the session cache and
// TokenizedText, with chunks that cut characters and edits inside the run
// between them, under the four encodings.
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
  EXPECT_EQ(c.of_ascii('7'), c.of_ascii('0'));
  EXPECT_EQ(c.of_ascii('-'), c.of_ascii('='));
  EXPECT_EQ(c.of_ascii('\t'), c.of_ascii('\v'));
  for (const char alone : std::string(" '\r\n/")) EXPECT_EQ(c.of_ascii(alone), static_cast<std::uint32_t>(alone));
  EXPECT_NE(c.of_ascii('a'), c.of_ascii('0'));
  EXPECT_NE(c.of_ascii('-'), c.of_ascii('a'));
  EXPECT_EQ(c.of_ascii('z'), c.of_ascii('a'));
  // o200k's words split where the case changes; the others' do not.
  EXPECT_EQ(c.of_ascii('A') == c.of_ascii('a'), GetParam() != "o200k_base");
  // Longer characters: one class per length and loop bits.
  EXPECT_EQ(c.at("的", 0), c.at("一", 0));
  EXPECT_EQ(c.at("─", 0), c.at("│", 0));
  EXPECT_EQ(c.at("ж", 0), c.at("é", 0));
  EXPECT_EQ(c.at("Ж", 0) == c.at("ж", 0), GetParam() != "o200k_base");
  EXPECT_NE(c.at("的", 0), c.at("─", 0));
  EXPECT_NE(c.at("的", 0), c.at("ж", 0));  // both letters, not as long
  EXPECT_NE(c.at("ж", 0).cls, c.of_ascii('a'));
  EXPECT_EQ(c.at("的", 0).len, 3u);
  EXPECT_EQ(c.at("😀", 0).len, 4u);
  // No run holds an invalid byte, a character cut short, or the end.
  EXPECT_EQ(c.at("\xC3x", 0).len, 0u);
  EXPECT_EQ(c.at("\xE4\xB8", 0).len, 0u);
  EXPECT_EQ(c.at("\xE4\xB8\xAD", 1).len, 0u);
  EXPECT_EQ(c.at("a", 1).len, 0u);
  // Looking back: the whole last character, or nothing.
  EXPECT_EQ(c.before("ab的", 0, 5), c.at("的", 0));
  EXPECT_EQ(c.before("ab的", 3, 5).len, 0u);
  EXPECT_EQ(c.before("ab\xE7\x9A", 0, 4).len, 0u);
  EXPECT_EQ(c.before("a\x9A", 0, 2).len, 0u);
  EXPECT_EQ(c.before("ab", 0, 2).cls, c.of_ascii('b'));
  EXPECT_EQ(c.start_of_run("x的一是", 0, 10, c.at("的", 0).cls), 1u);
  EXPECT_EQ(c.end_of_run("的一是\xE4\xB8", 0, c.at("的", 0).cls), 9u);
  // The general regex path's classes: every byte alone, no longer character in a run.
  const std::unique_ptr<Pretokenizer> regex_path = internal::make_pretokenizer("[a-z]+| +|[^a-z ]");
  const internal::RunClasses& regex = regex_path->run_classes();
  EXPECT_EQ(regex.of_ascii('b'), static_cast<std::uint32_t>('b'));
  EXPECT_EQ(regex.at("的", 0).len, 0u);
}

// The shortcut is taken for a long word, a long number, Han text and a line
// of box drawing, not only for one byte repeated: the run that ends the text
// is found whole, and characters of its class appended to it only lengthen
// its piece. (The exactness tests pass either way; this fails if they fall
// back to a re-encode.)
TEST_P(LongRunAppendTest, WordsNumbersAndHanAreRunsTheAppendPathTakes) {
  const Pretokenizer& scanner = pretokenizer_of(encoder_for(GetParam()));
  workloads::SplitMix64 rng(0x30d + GetParam().size());
  const bool gpt2 = GetParam() == "r50k_base" || GetParam() == "p50k_base";
  std::vector<std::string> kinds = {"q", "的一是不了人", "─━┼┤"};
  if (gpt2) kinds.emplace_back("7");  // digits are one piece only there
  for (const std::string& kind : kinds) {
    auto run_of = [&](std::size_t chars) {
      return kind.size() == 1 ? class_run(rng, GetParam(), kind[0], chars, true) : char_run(rng, GetParam(), kind, chars, true);
    };
    const std::size_t char_len = kind.size() == 1 ? 1 : 3;
    const std::string head = "x ";
    const std::string old_text = head + run_of(1000);
    internal::LongRun run;
    std::size_t begin = 0, end = 0, margin = 0;
    ASSERT_TRUE(run.find(old_text, 0, classes(), &begin, &end, &margin)) << kind;
    EXPECT_EQ(begin, head.size());
    EXPECT_EQ(end, old_text.size());
    EXPECT_EQ(margin, internal::LongRun::kMargin * char_len);
    const std::vector<Piece> old_pieces = scanner.split(old_text);
    const Piece& last = old_pieces.back();
    std::size_t reach_before = 0;
    for (std::size_t i = 0; i + 1 < old_pieces.size(); ++i) reach_before = std::max(reach_before, old_pieces[i].reach);
    const internal::PieceRecord record{last.begin, 0, std::max(reach_before, last.reach)};
    const std::string text = old_text + run_of(10);
    Piece got{};
    ASSERT_TRUE(internal::lengthened_run_piece(text, old_text.size(), std::max(begin, last.begin), classes(), record,
                                               reach_before, &got))
        << kind;
    EXPECT_EQ(got.end, scanner.split(text).back().end);
    if (char_len == 1) continue;
    // A text that ends inside a character: the run is remembered up to the
    // character before it, and followed on once the character is complete.
    const std::string next = run_of(1);
    std::string cut_text = old_text + next.substr(0, 2);
    run.rewritten(old_text.size(), cut_text);
    ASSERT_TRUE(run.find(cut_text, 0, classes(), &begin, &end, &margin)) << kind;
    EXPECT_EQ(end, old_text.size());
    cut_text += next.substr(2) + next.substr(0, 1);
    run.rewritten(old_text.size() + 2, cut_text);
    ASSERT_TRUE(run.find(cut_text, 0, classes(), &begin, &end, &margin)) << kind;
    EXPECT_EQ(end, old_text.size() + 3);
    EXPECT_EQ(begin, head.size());
  }
}

// pumped_first_piece against the scan of the whole text head + run + tail,
// from the text's start and from the start of the piece the run's start is
// in, with kMargin of the run's characters (char_len bytes each) kept on
// each side; when it declines, the real piece ends at or before the cut.
void expect_window_scan_exact(const Pretokenizer& scanner, const std::string& text, std::size_t head,
                              std::size_t run, std::size_t char_len, const std::string& label) {
  const std::vector<Piece> pieces = scanner.split(text);
  std::vector<std::size_t> starts = {0};
  for (const Piece& p : pieces) {
    if (p.begin <= head && head < p.end) starts.push_back(p.begin);
  }
  const std::size_t margin = internal::LongRun::kMargin * char_len;
  const std::size_t cut = head + margin;
  const std::size_t removed = run - 2 * margin;
  std::string window;
  for (const std::size_t from : starts) {
    const Piece expected = scanner.split(text, from).front();
    Piece got{};
    if (internal::pumped_first_piece(scanner, text, from, cut, removed, window, &got)) {
      ASSERT_EQ(got.begin, expected.begin) << label;
      ASSERT_EQ(got.end, expected.end) << label;
      ASSERT_EQ(got.reach, expected.reach) << label;
    } else {
      ASSERT_LE(expected.end, cut) << label;
    }
  }
}

// pumped_first_piece is the first piece of the whole text's scan, for every
// ASCII byte's class as the run (the byte repeated, or its class mixed) and
// for runs of longer characters, at every scanner.
TEST_P(LongRunAppendTest, WindowScanIsTheScanOfTheWholeText) {
  const Pretokenizer& scanner = pretokenizer_of(encoder_for(GetParam()));
  workloads::SplitMix64 rng(0xc07 + GetParam().size());
  for (int byte = 0; byte < 128; ++byte) {
    for (int round = 0; round < 12; ++round) {
      const std::string head = random_edge(rng, 4);
      const std::size_t run = internal::LongRun::kMinRun + rng.uniform(300);
      const std::string text =
          head + class_run(rng, GetParam(), static_cast<char>(byte), run, round % 2 == 1) + random_edge(rng, 8);
      expect_window_scan_exact(scanner, text, head.size(), run, 1,
                               "byte " + std::to_string(byte) + " round " + std::to_string(round));
    }
  }
  for (const std::string& alphabet : multi_byte_run_alphabets()) {
    const std::size_t char_len = classes().at(alphabet, 0).len;
    for (int round = 0; round < 40; ++round) {
      const std::string head = random_edge(rng, 4);
      const std::string run = char_run(rng, GetParam(), alphabet, 100 + rng.uniform(200), round % 2 == 1);
      const std::string text = head + run + random_edge(rng, 8);
      expect_window_scan_exact(scanner, text, head.size(), run.size(), char_len,
                               "run of " + alphabet + " round " + std::to_string(round));
    }
  }
}

// lengthened_run_piece against the last piece of the whole text's scan after
// `more` (characters of the run's class) is appended to head + run: begin,
// end and the reach the piece walk would record. Whether it was taken.
bool expect_lengthened_exact(const Pretokenizer& scanner, const internal::RunClasses& classes, std::size_t head,
                             const std::string& old_text, const std::string& more, const std::string& label) {
  const std::vector<Piece> old_pieces = scanner.split(old_text);
  const Piece& last = old_pieces.back();
  std::size_t reach_before = 0;
  for (std::size_t i = 0; i + 1 < old_pieces.size(); ++i) reach_before = std::max(reach_before, old_pieces[i].reach);
  const internal::PieceRecord record{last.begin, 0, std::max(reach_before, last.reach)};
  const std::string text = old_text + more;
  Piece got{};
  if (!internal::lengthened_run_piece(text, old_text.size(), std::max(head, last.begin), classes, record,
                                      reach_before, &got)) {
    return false;
  }
  const Piece expected = scanner.split(text).back();
  EXPECT_EQ(got.begin, expected.begin) << label;
  EXPECT_EQ(got.end, expected.end) << label;
  EXPECT_EQ(std::max(reach_before, got.reach), std::max(reach_before, expected.reach)) << label;
  return true;
}

// lengthened_run_piece is the last piece of the whole text's scan after
// characters of the run's class are appended, for every ASCII byte's class
// as the run (repeated or mixed) and for runs of longer characters, at
// every scanner.
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
      const std::string more = class_run(rng, GetParam(), static_cast<char>(byte), 1 + rng.uniform(40), mixed);
      taken += expect_lengthened_exact(scanner, classes(), head.size(), old_text, more,
                                       "byte " + std::to_string(byte) + " round " + std::to_string(round));
    }
  }
  EXPECT_GT(taken, 128 * 8 / 2);  // most runs end the text in one piece
  int multi_byte_taken = 0;
  for (const std::string& alphabet : multi_byte_run_alphabets()) {
    for (int round = 0; round < 16; ++round) {
      const std::string head = random_edge(rng, 4);
      const bool mixed = round % 2 == 1;
      const std::string old_text = head + char_run(rng, GetParam(), alphabet, 100 + rng.uniform(200), mixed);
      const std::string more = char_run(rng, GetParam(), alphabet, 1 + rng.uniform(20), mixed);
      multi_byte_taken += expect_lengthened_exact(scanner, classes(), head.size(), old_text, more,
                                                  "run of " + alphabet + " round " + std::to_string(round));
    }
  }
  EXPECT_GT(multi_byte_taken, static_cast<int>(multi_byte_run_alphabets().size()) * 16 / 2);
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

// Runs of longer characters streamed in chunks of 1 to 24 bytes, so that
// most chunks end inside a character (its first bytes are then a piece of
// their own, or join a punctuation piece, until the next chunk completes
// it), with other characters and line breaks in some chunks; every step
// against a full encode, and the deltas applied to a mirror.
TEST_P(LongRunAppendTest, StreamingIntoRunsOfLongerCharactersIsExact) {
  const auto enc = encoder();
  workloads::SplitMix64 rng(0x3b7e + GetParam().size());
  for (const std::string& alphabet : multi_byte_run_alphabets()) {
    for (int round = 0; round < 2; ++round) {
      AppendOnlyTokenCache cache(enc, random_edge(rng, 6));
      std::vector<Rank> mirror = cache.tokens();
      std::string text = cache.text();
      std::string stream = char_run(rng, GetParam(), alphabet, 700, round == 1);
      for (int i = 0; i < 3; ++i) stream.insert(rng.uniform(stream.size() + 1), rng.chance(1, 2) ? "\n" : random_edge(rng, 3));
      for (std::size_t at = 0; at < stream.size();) {
        const std::size_t n = std::min<std::size_t>(stream.size() - at, 1 + rng.uniform(24));
        const std::string chunk = stream.substr(at, n);
        at += n;
        apply_delta(cache.append_ordinary(chunk), &mirror);
        text += chunk;
        ASSERT_EQ(cache.tokens(), enc->encode_ordinary(text)) << "run of " << alphabet << " at " << text.size();
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
  // A run of one ASCII byte's class, or (a string of more than one byte) of
  // longer characters of one class.
  for (const std::string run : {" ", "a", "-", "\n", "7", "的一是不了人", "─━┼┤"}) {
    const bool mixed = run == "a" || run == "7" || run.size() > 1;  // a long word, a long number, Han, a box line
    auto run_of = [&](std::size_t bytes) {  // about that many bytes of the run's class
      return run.size() == 1 ? class_run(rng, GetParam(), run[0], bytes, mixed)
                             : char_run(rng, GetParam(), run, bytes / 3 + 1, mixed);
    };
    internal::TokenizedText text(enc);
    std::string mirror_text = random_edge(rng, 4) + run_of(600);
    text.replace_from(0, mirror_text);
    for (int step = 0; step < 120; ++step) {
      const std::uint64_t what = rng.uniform(10);
      if (what < 6) {  // append
        std::string chunk = run_of(1 + rng.uniform(16));
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
        const std::string more = run_of(300 + rng.uniform(300));
        text.replace_from(text.text().size(), more);
        mirror_text += more;
      }
      ASSERT_EQ(text.text(), mirror_text);
      ASSERT_EQ(text.tokens(), enc->encode_ordinary(mirror_text)) << "run of " << run << " step " << step;
    }
  }
}

// Updates and outputs into a run of spaces, a long word and Han text (whose
// chunks cut characters).
TEST_P(LongRunAppendTest, SessionAppendsIntoARunAreExact) {
  const auto enc = encoder();
  workloads::SplitMix64 rng(0x5e5 + GetParam().size());
  for (const int kind : {0, 1, 2}) {  // spaces, a long word, Han text (its appends cut characters)
    const bool word = kind != 0;
    SessionTokenCache sessions(enc);
    std::string han = char_run(rng, GetParam(), "的一是不了人我在", 4000, true);
    std::size_t han_at = 0;
    auto more = [&](std::size_t n) {
      if (kind == 2) return han.substr((han_at += n) - n, n);
      return word ? class_run(rng, GetParam(), 'q', n, true) : std::string(n, ' ');
    };
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
      ASSERT_EQ(mirror, enc->encode_ordinary(prompt)) << "step " << step << " kind " << kind;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllEncodings, LongRunAppendTest, ::testing::ValuesIn(all_encodings()));

}  // namespace
}  // namespace flashtok::testing
