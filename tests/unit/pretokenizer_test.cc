// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// The hand-written scanners against the RE2 path, and the soundness of
// Piece::touched_end, which the prefix caches rely on for exactness.
#include <gtest/gtest.h>

#include <random>

#include "flashtok/error.h"
#include "pretokenizer/ascii_block.h"
#include "pretokenizer/scan_text.h"
#include "unicode/char_class.h"
#include "test_support.h"

namespace flashtok::testing {
namespace {

struct Span {
  std::size_t begin, end;
  bool operator==(const Span& o) const { return begin == o.begin && end == o.end; }
};

std::vector<Span> spans(const std::vector<Piece>& pieces) {
  std::vector<Span> out;
  for (const Piece& p : pieces) out.push_back({p.begin, p.end});
  return out;
}

std::string show(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (c >= 0x20 && c < 0x7F && c != '\\') {
      out += static_cast<char>(c);
    } else {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\x%02X", c);
      out += buffer;
    }
  }
  return out;
}

// The pieces cover the text in order from its first byte to its last, none empty.
::testing::AssertionResult tiles(const std::vector<Piece>& pieces, const std::string& text) {
  std::size_t expected_begin = 0;
  for (const Piece& p : pieces) {
    if (p.begin != expected_begin || p.end <= p.begin) {
      return ::testing::AssertionFailure() << "piece [" << p.begin << "," << p.end << ") of " << show(text);
    }
    expected_begin = p.end;
  }
  if (expected_begin == text.size()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "the pieces end at byte " << expected_begin << " of " << show(text);
}

// split_untracked's pieces; each must say its reach is unknown.
std::vector<Piece> split_untracked(const Pretokenizer& pretokenizer, std::string_view text) {
  std::vector<Piece> pieces;
  pretokenizer.split_untracked(text, 0, [&pieces](const Piece* batch, std::size_t n) {
    pieces.insert(pieces.end(), batch, batch + n);
    return true;
  });
  for (const Piece& p : pieces) EXPECT_EQ(p.reach, internal::kUnknownReach);
  return pieces;
}

class PretokenizerTest : public ::testing::TestWithParam<std::string> {
 protected:
  const Pretokenizer& fast() const { return pretokenizer_of(encoder_for(GetParam())); }
  const Pretokenizer& regex() const { return pretokenizer_of(regex_encoder_for(GetParam())); }

  void expect_same_pieces(const std::string& text) const {
    const auto expected = spans(regex().split(text));
    ASSERT_EQ(spans(fast().split(text)), expected) << "text: " << show(text);
    // The scan a full encode uses, which does not track reach.
    ASSERT_EQ(spans(split_untracked(fast(), text)), expected) << "untracked, text: " << show(text);
  }
};

TEST_P(PretokenizerTest, UsesAHandWrittenScanner) {
  EXPECT_TRUE(fast().tracks_reads());
  EXPECT_NE(fast().kind(), "regex");
  EXPECT_FALSE(regex().tracks_reads());
}

TEST_P(PretokenizerTest, ScannerEqualsRegexOnGoldenTexts) {
  for (const auto& name : golden_text_names()) {
    SCOPED_TRACE(name);
    expect_same_pieces(read_test_file("golden/texts/" + name + ".txt"));
  }
}

TEST_P(PretokenizerTest, ScannerEqualsRegexOnRandomClassTexts) {
  workloads::SplitMix64 rng(20261122);
  for (int i = 0; i < 20000; ++i) {
    expect_same_pieces(random_class_text(rng, 1 + rng.uniform(24)));
    if (HasFatalFailure()) return;
  }
}

TEST_P(PretokenizerTest, ScannerEqualsRegexOnRandomBytes) {
  workloads::SplitMix64 rng(7);
  for (int i = 0; i < 5000; ++i) {
    expect_same_pieces(random_bytes(rng, 1 + rng.uniform(40)));
    if (HasFatalFailure()) return;
  }
}

// Text that is mostly ASCII in the shapes the block scans decide by rules
// of their own (runs of each class, digits past three, contractions in any
// case, newlines and slashes after punctuation, capitals after small
// letters, indentation, the give-back before a non-space), with a non-ASCII
// character or a stray byte now and then.
std::string ascii_heavy_text(workloads::SplitMix64& rng, std::size_t bytes) {
  static const std::vector<std::string> kParts = {
      "a", "Hello", "the", "x", "QUERY", "s", "t", "re", "LL", "ve",        // words
      "7", "42", "123", "4096", "31415926",                                 // numbers
      " ", "  ", "    ", "\t", "\v", "\f", " \t ",                          // blanks
      "\n", "\r\n", "\n\n", "\n    ", "\n\t", " \n", "\r",                  // newlines
      ".", ",", "...", "//", "(", "\"", "->", "\x1F", "\x7F", "_",           // punctuation
      "'", "'s", "'S", "'t", "'re", "'RE", "'ve", "'Ll", "'m", "'d", "'x",  // apostrophes
      " '", "''", "'\n", "/", "x'S", "aB", "'rE",                         // o200k: '/', case changes
      "'l", "'r", "'v", "l", "e",  // contractions an edit completes or breaks
  };
  // Non-ASCII: letters, white space, an invalid byte, and the long s that
  // (?i:'s) matches.
  static const std::vector<std::string> kRare = {"\xC3\xA9", "\xC2\xA0", "\xE4\xB8\xAD", "\xFF", "\xE3\x80\x80",
                                                 "\xC5\xBF"};
  std::string text;
  while (text.size() < bytes) {
    text += rng.chance(1, 40) ? kRare[rng.uniform(kRare.size())] : kParts[rng.uniform(kParts.size())];
  }
  return text;
}

TEST(AsciiBlock, VectorClassesEqualTheClassTable) {
  using internal::AsciiBlock;
  workloads::SplitMix64 rng(20261206);
  unsigned char block[AsciiBlock::kBytes];
  auto same = [&] {
    const AsciiBlock v = internal::classify_ascii_block(block);
    const AsciiBlock b = internal::classify_ascii_block_bytewise(block);
    return v.non_ascii == b.non_ascii && v.letter == b.letter && v.number == b.number && v.space == b.space &&
           v.newline == b.newline && v.blank == b.blank && v.apostrophe == b.apostrophe &&
           v.upper == b.upper && v.slash == b.slash;
  };
  for (int value = 0; value < 256; ++value) {  // every byte value at every position
    for (std::size_t at = 0; at < AsciiBlock::kBytes; ++at) {
      for (auto& c : block) c = static_cast<unsigned char>(rng.uniform(128));
      block[at] = static_cast<unsigned char>(value);
      ASSERT_TRUE(same()) << "byte " << value << " at " << at;
    }
  }
}

// Under every built-in pattern both scans decide whole blocks of ASCII
// bytes at once (the byte scanner alone is compared with RE2 on the short
// texts above, which never fill a block). Each must cut RE2's pieces.
TEST_P(PretokenizerTest, BlockScanEqualsRegexOnLongAsciiText) {
  workloads::SplitMix64 rng(20261207);
  for (int i = 0; i < 20000; ++i) {
    expect_same_pieces(ascii_heavy_text(rng, 64 + rng.uniform(600)));
    if (HasFatalFailure()) return;
  }
}

// The reach a block's pieces report (the block's end) must be an upper
// bound of what decided them: a piece that did not touch the end of a
// prefix is a piece of the whole text, and a piece survives any change of
// the text at or after its reach.
TEST_P(PretokenizerTest, BlockPiecesSurviveAppendsAndEditsAtOrAfterTheirReach) {
  workloads::SplitMix64 rng(20261208);
  for (int i = 0; i < 5000; ++i) {
    const std::string text = ascii_heavy_text(rng, 64 + rng.uniform(400));
    const std::size_t cut = rng.uniform(text.size() + 1);
    const auto full = spans(regex().split(text));
    for (const Piece& p : fast().split(text.substr(0, cut))) {
      if (p.touched_end(cut)) break;
      ASSERT_NE(std::find(full.begin(), full.end(), Span{p.begin, p.end}), full.end())
          << "piece [" << p.begin << "," << p.end << ") of prefix " << show(text.substr(0, cut));
    }
    const std::string edited = text.substr(0, cut) + ascii_heavy_text(rng, rng.uniform(8));
    const auto after = spans(regex().split(edited));
    for (const Piece& p : fast().split(text)) {
      if (p.reach > cut) break;
      ASSERT_NE(std::find(after.begin(), after.end(), Span{p.begin, p.end}), after.end())
          << "piece [" << p.begin << "," << p.end << ") reach " << p.reach << " of " << show(text)
          << " is not a piece of " << show(edited);
    }
  }
}

// The sharpest form of the same claim: each piece's reach is where an edit
// may begin, so edit there, with bytes that complete or break what a rule
// looked ahead for (a contraction's letters, a run's next byte). A reach one
// byte too short fails here even when random cuts rarely land on it. Texts
// of 64 bytes and more take the block scan, short ones the byte scanner.
void expect_pieces_survive_edits_at_each_reach(const Pretokenizer& fast, const Pretokenizer& regex,
                                               const std::string& text) {
  static const char* const kEdits[] = {"l", "ll", "e", "re", "s", " ", "\n", "x", "7", ".", "'", "\xC3\xA9"};
  const auto pieces = fast.split(text);
  std::size_t last_cut = 0;
  for (const Piece& p : pieces) {
    const std::size_t cut = p.reach;
    if (cut > text.size() || cut == last_cut) continue;
    last_cut = cut;
    for (const char* edit : kEdits) {
      const std::string edited = text.substr(0, cut) + edit;
      const auto after = spans(regex.split(edited));
      for (const Piece& q : pieces) {
        if (q.reach > cut) break;  // the caches keep pieces up to the first that read past the edit
        ASSERT_NE(std::find(after.begin(), after.end(), Span{q.begin, q.end}), after.end())
            << "piece [" << q.begin << "," << q.end << ") reach " << q.reach << " of " << show(text)
            << " is not a piece of " << show(edited);
      }
    }
  }
}

TEST_P(PretokenizerTest, PiecesSurviveEditsExactlyAtTheirReach) {
  workloads::SplitMix64 rng(20261206);
  for (int i = 0; i < 150; ++i) {
    expect_pieces_survive_edits_at_each_reach(fast(), regex(), ascii_heavy_text(rng, 64 + rng.uniform(200)));
    if (HasFatalFailure()) return;
  }
  for (int i = 0; i < 1500; ++i) {
    expect_pieces_survive_edits_at_each_reach(fast(), regex(), random_class_text(rng, 1 + rng.uniform(12)));
    if (HasFatalFailure()) return;
  }
}

TEST_P(PretokenizerTest, PiecesTileTheTextWithoutLosingAByte) {
  workloads::SplitMix64 rng(11);
  for (int i = 0; i < 2000; ++i) {
    const std::string text = random_bytes(rng, rng.uniform(64));
    ASSERT_TRUE(tiles(fast().split(text), text));
  }
}

// A piece whose scan did not touch the end of a prefix must be a piece of
// every longer text: that is the whole correctness argument of the caches.
// Likewise a piece must survive any change of the text at or after its reach.
TEST_P(PretokenizerTest, UntouchedPiecesSurviveAnyAppend) {
  workloads::SplitMix64 rng(99);
  for (int i = 0; i < 20000; ++i) {
    const std::string text = random_class_text(rng, 2 + rng.uniform(16));
    const std::size_t cut = rng.uniform(text.size() + 1);
    const auto full = spans(fast().split(text));
    for (const Piece& p : fast().split(text.substr(0, cut))) {
      if (p.touched_end(cut)) break;  // this piece and those after may change
      ASSERT_NE(std::find(full.begin(), full.end(), Span{p.begin, p.end}), full.end())
          << "piece [" << p.begin << "," << p.end << ") of prefix " << show(text.substr(0, cut))
          << " is not a piece of " << show(text);
    }
  }
}

TEST_P(PretokenizerTest, PiecesSurviveAnyEditAtOrAfterTheirReach) {
  workloads::SplitMix64 rng(100);
  for (int i = 0; i < 20000; ++i) {
    const std::string text = random_class_text(rng, 2 + rng.uniform(16));
    const std::size_t cut = rng.uniform(text.size() + 1);
    const std::string edited = text.substr(0, cut) + random_class_text(rng, rng.uniform(6));
    const auto after = spans(fast().split(edited));
    for (const Piece& p : fast().split(text)) {
      if (p.reach > cut) break;
      ASSERT_NE(std::find(after.begin(), after.end(), Span{p.begin, p.end}), after.end())
          << "piece [" << p.begin << "," << p.end << ") reach " << p.reach << " of " << show(text)
          << " is not a piece of " << show(edited);
    }
  }
}

TEST_P(PretokenizerTest, SplitCanStartAtAPieceBoundary) {
  const std::string text = "Hello, world! 123 456\n\n  indented   \ttabs";
  const auto all = fast().split(text);
  for (const Piece& p : all) {
    const auto rest = fast().split(text, p.begin);
    ASSERT_FALSE(rest.empty());
    EXPECT_EQ(rest.front().begin, p.begin);
    EXPECT_EQ(rest.back().end, text.size());
  }
}

INSTANTIATE_TEST_SUITE_P(AllEncodings, PretokenizerTest, ::testing::ValuesIn(all_encodings()));

// The word-at-a-time letter test of ScanText::skip against the class table,
// byte by byte: every class set a scanner skips with, words mixing letters
// with the bytes just outside their ranges ('@', '[', '`', '{'), digits and
// the same bytes with the high bit set.
TEST(ScanText, AsciiLettersInWordCountsWhatTheClassTableSays) {
  using namespace internal;
  const auto& classes = unicode::ClassTable::get();
  const std::string letters = "azAZmMqQ";
  const std::string others = "@[`{09 _\xc1\xe1\xda\xfa\x80\xff";
  const std::uint8_t sets[] = {kIsLetter, kIsLower, kIsUpper, kIsLower | kIsOtherLetter | kIsMark,
                               kIsUpper | kIsOtherLetter | kIsMark, kIsNumber, kIsSpace};
  std::mt19937_64 rng(7);
  int counted_all = 0;
  for (int round = 0; round < 20000; ++round) {
    unsigned char word[8];
    for (unsigned char& b : word) {
      const std::string& from = rng() % 10 < 8 ? letters : others;
      b = static_cast<unsigned char>(from[rng() % from.size()]);
    }
    if (round % 5 == 0) word[rng() % 8] = static_cast<unsigned char>(rng());
    for (std::uint8_t bits : sets) {
      const std::uint8_t wanted = (bits & kIsLetter) ? kIsLetter : bits & (kIsLower | kIsUpper);
      std::size_t expected = 0;
      while (expected < 8 && word[expected] < 0x80 && wanted != 0 && (classes(word[expected]) & wanted)) ++expected;
      ASSERT_EQ(ascii_letters_in_word(word, bits), expected) << show(std::string(word, word + 8)) << " bits " << int(bits);
      counted_all += expected == 8;
    }
  }
  EXPECT_GT(counted_all, 0);  // the all-letters case was reached
}

// ScanText::skip ends a run at the first ASCII byte the word test does not
// count, for the class sets counts_every_ascii_member allows: so no other
// ASCII byte may be in such a set. Every ASCII byte, every set the scanners use.
TEST(ScanText, TheWordTestCountsEveryAsciiMemberOfTheLetterSets) {
  using namespace internal;
  const auto& classes = unicode::ClassTable::get();
  const std::uint8_t sets[] = {kIsLetter, kIsLower, kIsUpper, kIsLower | kIsOtherLetter | kIsMark,
                               kIsUpper | kIsOtherLetter | kIsMark, kIsNumber, kIsSpace, kIsNewline,
                               kIsLetter | kIsNumber};
  int checked = 0;
  for (std::uint8_t bits : sets) {
    if (!counts_every_ascii_member(bits)) continue;
    for (unsigned b = 0; b < 0x80; ++b) {
      const unsigned char word[8] = {static_cast<unsigned char>(b), 0, 0, 0, 0, 0, 0, 0};
      const bool in_set = (classes(static_cast<char32_t>(b)) & bits) != 0;
      ASSERT_EQ(ascii_letters_in_word(word, bits) > 0, in_set) << "byte " << b << " bits " << int(bits);
      ++checked;
    }
  }
  EXPECT_EQ(checked, 5 * 128);  // the five letter sets, and no other
}

TEST(RegexPattern, RefusesLookaroundsItCannotEmulate) {
  EXPECT_THROW(internal::make_regex_pretokenizer(R"(\w+(?=x))"), Error);
  EXPECT_THROW(internal::make_regex_pretokenizer(R"(a(?<=b))"), Error);
  EXPECT_THROW(internal::make_regex_pretokenizer(R"(\d+)"), Error);
  EXPECT_THROW(internal::make_regex_pretokenizer(R"([a-z)"), Error);
}

// tiktoken drops the text a pattern does not match; flashtok keeps it as
// pieces of their own, so that decode(encode(x)) == x for any pattern: the
// pieces tile the text.
TEST(RegexPattern, TextThePatternDoesNotMatchBecomesPiecesOfItsOwn) {
  workloads::SplitMix64 rng(12);
  for (const char* pattern : {R"(\p{L}+)", R"((?i)A)", R"(x)", R"(\s+(?!\S)|[a-z]+)", R"(a*)"}) {
    const auto pretokenizer = internal::make_regex_pretokenizer(pattern);
    for (int i = 0; i < 300; ++i) {
      const std::string text = i % 2 ? random_bytes(rng, rng.uniform(40)) : random_class_text(rng, rng.uniform(20));
      ASSERT_TRUE(tiles(pretokenizer->split(text), text)) << pattern;
    }
  }
  const auto pieces = internal::make_regex_pretokenizer(R"((?i)A)")->split("xAyBa");
  ASSERT_EQ(spans(pieces), (std::vector<Span>{{0, 1}, {1, 2}, {2, 4}, {4, 5}}));
}

// A backtracking engine gives `\s+(?!\S)` back one character when a
// non-space follows; if that leaves nothing it tries the alternatives after
// it, and if none matches there the position yields nothing at all.
TEST(RegexPattern, FailedWhitespaceLookaheadFallsThroughToLaterAlternatives) {
  auto spans = [](const std::string& pattern, const std::string& text) {
    std::vector<std::string> out;
    for (const Piece& p : internal::make_regex_pretokenizer(pattern)->split(text)) {
      out.push_back(text.substr(p.begin, p.end - p.begin));
    }
    return out;
  };
  using Pieces = std::vector<std::string>;
  // The single space before "b": the lookahead fails, [a-z]+ cannot start
  // there: no match covers it (tiktoken drops it; flashtok keeps it as a piece).
  EXPECT_EQ(spans(R"(\s+(?!\S)|[a-z]+)", "a b"), (Pieces{"a", " ", "b"}));
  // The same with a later alternative that takes it: " ?" joins the space to the word.
  EXPECT_EQ(spans(R"(\s+(?!\S)| ?[a-z]+)", "a b"), (Pieces{"a", " b"}));
  // Three spaces: two are given back as a piece, the third joins the word.
  EXPECT_EQ(spans(R"(\s+(?!\S)| ?[a-z]+)", "a   b"), (Pieces{"a", "  ", " b"}));
  // At the end of the text nothing follows, so the whole run is a piece.
  EXPECT_EQ(spans(R"(\s+(?!\S)|[a-z]+)", "a  "), (Pieces{"a", "  "}));
}

TEST(RegexPattern, UnicodeWhiteSpaceIsSpaceButZeroWidthSpaceIsNot) {
  const auto pretokenizer = internal::make_regex_pretokenizer(R"(\s+|\S+)");
  // U+3000 and U+0085 are White_Space; U+200B and U+FEFF are not.
  const auto pieces = pretokenizer->split("a\xE3\x80\x80\xC2\x85" "b\xE2\x80\x8B" "c");
  ASSERT_EQ(pieces.size(), 3u);
  EXPECT_EQ(pieces[1].end - pieces[1].begin, 5u);
}

}  // namespace
}  // namespace flashtok::testing
