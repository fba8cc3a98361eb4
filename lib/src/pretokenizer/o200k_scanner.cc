// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// o200k_base's pattern, in tiktoken's order (C is the optional contraction
// (?i:'s|'t|'re|'ve|'m|'ll|'d)?, P is [^\r\n\p{L}\p{N}]):
//   P? [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]* [\p{Ll}\p{Lm}\p{Lo}\p{M}]+ C
//   | P? [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+ [\p{Ll}\p{Lm}\p{Lo}\p{M}]* C
//   | \p{N}{1,3} | ?[^\s\p{L}\p{N}]+[\r\n/]* | \s*[\r\n]+ | \s+(?!\S) | \s+
// Call the first bracket "upper" (U) and the second "lower" (D); Lm, Lo and M
// are in both, which is what makes backtracking matter (docs/ALGORITHM.md).
#include "pretokenizer/ascii_block.h"
#include "pretokenizer/scanner_driver.h"
#include "util/bits.h"

namespace flashtok::internal {
namespace {

constexpr std::uint8_t kUpperSet = kIsUpper | kIsOtherLetter | kIsMark;
constexpr std::uint8_t kLowerSet = kIsLower | kIsOtherLetter | kIsMark;

// U* D+ from pos; 0 if it cannot match. Greedy U* takes the whole upper run;
// if a lower-only letter follows, D+ takes the lower run from there.
// Otherwise U* gives characters back until D+ can start on one that is in
// both sets: the run's last such character, which D+ takes alone (the next
// one, if any, is upper-only).
template <Reach kReach>
std::size_t match_upper_star_lower_plus(ScanText<kReach>& t, std::size_t pos) {
  std::size_t end = pos;
  std::size_t after_last_both = 0;
  Char c;
  for (;;) {
    std::uint8_t cls = 0;
    for (std::size_t len; (len = t.peek(end, &cls)) != 0 && (cls & kUpperSet);) {
      end += len;
      if (cls & kLowerSet) after_last_both = end;
    }
    c = t.at(end);  // records the reach of everything peeked at
    if (!has(c, kUpperSet)) break;
    end += c.len;
    if (c.cls & kLowerSet) after_last_both = end;
  }
  if (has(c, kLowerSet)) return t.skip(end + c.len, kLowerSet);
  return after_last_both;
}

// U+ D* from pos; 0 if it cannot match.
template <Reach kReach>
std::size_t match_upper_plus_lower_star(ScanText<kReach>& t, std::size_t pos) {
  if (!has(t.at(pos), kUpperSet)) return 0;
  return t.skip(t.skip(pos, kUpperSet), kLowerSet);
}

// The two word alternatives, each first with the optional prefix P taken and
// then without it, as a backtracking engine tries them.
template <Reach kReach>
std::size_t match_word(ScanText<kReach>& t, std::size_t pos, const Char& c0) {
  const bool prefix = c0.len != 0 && !(c0.cls & (kIsNewline | kIsLetter | kIsNumber));
  // Without P only a character in U or D can start a word: for a P character
  // that means a mark.
  const bool bare = (c0.cls & (kUpperSet | kLowerSet)) != 0;
  std::size_t end = 0;
  if (prefix) end = match_upper_star_lower_plus(t, pos + c0.len);
  if (!end && bare) end = match_upper_star_lower_plus(t, pos);
  if (!end && prefix) end = match_upper_plus_lower_star(t, pos + c0.len);
  if (!end && bare) end = match_upper_plus_lower_star(t, pos);
  if (!end) return 0;
  if (const std::size_t with_contraction = match_contraction(t, end, /*fold_case=*/true)) {
    return with_contraction;
  }
  return end;
}

}  // namespace

template <Reach kReach>
std::size_t O200kRules::match(ScanText<kReach>& t, std::size_t pos) {
  const Char c0 = t.at(pos);
  if (const std::size_t end = match_word(t, pos, c0)) return end;
  // \p{N}{1,3}
  if (c0.cls & kIsNumber) return match_numbers(t, pos, 3);
  // ' ?[^\s\p{L}\p{N}]+[\r\n/]*'
  std::size_t punct = pos;
  if (c0.cp == ' ' && is_punct(t.at(pos + 1))) punct = pos + 1;
  if (punct != pos || is_punct(c0)) {
    std::size_t end = t.skip_punct(punct);
    for (;;) {
      const Char c = t.at(end);
      if (c.cp != '\r' && c.cp != '\n' && c.cp != '/') return end;
      end += c.len;
    }
  }
  return match_whitespace(t, pos, /*with_newline_rule=*/true);
}

// Piece starts decided by 64 ASCII bytes, as Cl100kRules::block_starts
// (cl100k_scanner.cc, docs/ALGORITHM.md "Piece starts in blocks of ASCII")
// decides them, with o200k's differences on ASCII, where the word sets are
// A-Z (upper) and a-z (lower) and nothing else:
//   words        a capital right after a small letter starts a word
//                (`U* D+` and `U+ D*` take capitals, then small letters);
//   contractions belong to the word before them: an apostrophe right after
//                a word's letter, followed by 's 't 'm 'd 're 've 'll (any
//                case), starts nothing, and the piece ends after it; one
//                that starts a piece is only a word's prefix;
//   punctuation  takes `[\r\n/]*` after it: from a newline right after
//                its run, every newline and '/' up to the next other byte,
//                where a piece starts.
// Inlined into both scans, as Cl100kRules::block_starts.
FLASHTOK_ALWAYS_INLINE BlockStarts O200kRules::block_starts(const unsigned char* p) {
  KnownBytes k;
  if (!known_bytes(p, &k)) return {};
  const std::uint64_t letter = k.letter, upper = k.upper, lower = letter & ~upper, number = k.number;
  const std::uint64_t space = k.space, newline = k.newline, blank = k.blank, slash = k.slash;
  const std::uint64_t other_space = k.other_space, punct = k.punct;

  // The bytes `[\r\n/]*` takes: in each run of newlines and slashes, from
  // the first newline that punctuation comes right before (a slash before
  // it is punctuation of its own; a newline before it white space) to the
  // run's end. The first such newline of each run: an add carried from the
  // run's start stops at it.
  const std::uint64_t taken_set = newline | slash;
  const std::uint64_t run_starts = taken_set & ~(taken_set << 1);
  const std::uint64_t after_punct = newline & (punct << 1);
  const std::uint64_t before_first = taken_set & ~after_punct;
  const std::uint64_t taken_from = (before_first + run_starts) & ~before_first & after_punct;
  const std::uint64_t after_taken = (taken_set + taken_from) & ~taken_set;
  const std::uint64_t taken = after_taken - taken_from;  // [from, after) of each
  const std::uint64_t own_punct = punct & ~taken;

  std::uint64_t starts = 1 | after_taken;
  const std::uint64_t punct_starts = own_punct & ~(own_punct << 1) & ~(blank << 1);
  starts |= punct_starts;
  const std::uint64_t prefix = (other_space << 1) | (own_punct << 1 & ~(own_punct << 2) & ~(blank << 2));
  starts |= letter & ~(letter << 1) & ~prefix;
  starts |= upper & (lower << 1);
  starts |= number_starts(number);
  starts |= space & ~(space << 1) & ~taken;
  starts |= white_space_starts(newline, other_space, k.non_space);
  // Contractions, left to right: one that ends where another apostrophe
  // follows leaves that one to start a piece.
  unsigned last_end = 0;
  for (std::uint64_t a = k.apostrophe & (letter << 1); a != 0; a &= a - 1) {
    const unsigned j = lowest_bit(a);
    if (j == last_end) continue;
    // The letters that decide it must be known bytes (`'ſ` is one).
    if (j + 2 >= k.count) {
      starts &= low_bits(j);
      break;
    }
    const unsigned end = contraction_end(p, j, /*fold=*/0x20);
    if (end == 0) continue;
    starts &= ~(low_bits(end) & ~low_bits(j));
    if (end < 64) starts |= std::uint64_t{1} << end;
    last_end = end;
  }
  return {starts & ~std::uint64_t{1}, ~k.space, k.apostrophe};
}

std::unique_ptr<Pretokenizer> make_o200k_scanner() {
  return std::make_unique<HandWrittenScanner<O200kRules>>();
}

}  // namespace flashtok::internal
