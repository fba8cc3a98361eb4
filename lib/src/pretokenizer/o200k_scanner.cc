// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// o200k_base's pattern, in tiktoken's order (C is the optional contraction
// (?i:'s|'t|'re|'ve|'m|'ll|'d)?, P is [^\r\n\p{L}\p{N}]):
//   P? [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]* [\p{Ll}\p{Lm}\p{Lo}\p{M}]+ C
//   | P? [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+ [\p{Ll}\p{Lm}\p{Lo}\p{M}]* C
//   | \p{N}{1,3} | ?[^\s\p{L}\p{N}]+[\r\n/]* | \s*[\r\n]+ | \s+(?!\S) | \s+
// Call the first bracket "upper" (U) and the second "lower" (D); Lm, Lo and M
// are in both, which is what makes backtracking matter (docs/ALGORITHM.md).
#include "pretokenizer/scanner_driver.h"

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

std::unique_ptr<Pretokenizer> make_o200k_scanner() {
  return std::make_unique<HandWrittenScanner<O200kRules>>();
}

}  // namespace flashtok::internal
