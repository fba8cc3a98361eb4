// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// cl100k_base's pattern, alternative by alternative, in tiktoken's order:
//   (?i:'s|'t|'re|'ve|'m|'ll|'d) | [^\r\n\p{L}\p{N}]?\p{L}+ | \p{N}{1,3}
//   | ?[^\s\p{L}\p{N}]+[\r\n]* | \s*[\r\n]+ | \s+(?!\S) | \s+
// Each alternative reads no further than the regex engine needs to decide it.
#include "pretokenizer/scanner_driver.h"

namespace flashtok::internal {

template <Reach kReach>
std::size_t Cl100kRules::match(ScanText<kReach>& t, std::size_t pos) {
  const Char c0 = t.at(pos);
  if (c0.cp == '\'') {
    if (const std::size_t end = match_contraction(t, pos, /*fold_case=*/true)) return end;
  }
  // [^\r\n\p{L}\p{N}]?\p{L}+
  if (c0.cls & kIsLetter) return t.skip(pos + c0.len, kIsLetter);
  if (!(c0.cls & (kIsNewline | kIsNumber))) {
    const Char c1 = t.at(pos + c0.len);
    if (has(c1, kIsLetter)) return t.skip(pos + c0.len + c1.len, kIsLetter);
  }
  // \p{N}{1,3}
  if (c0.cls & kIsNumber) return match_numbers(t, pos, 3);
  // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
  std::size_t punct = pos;
  if (c0.cp == ' ' && is_punct(t.at(pos + 1))) punct = pos + 1;
  if (punct != pos || is_punct(c0)) {
    std::size_t end = t.skip_punct(punct);
    for (Char c = t.at(end); c.cp == '\r' || c.cp == '\n'; c = t.at(end)) end += c.len;
    return end;
  }
  return match_whitespace(t, pos, /*with_newline_rule=*/true);
}

std::unique_ptr<Pretokenizer> make_cl100k_scanner() {
  return std::make_unique<HandWrittenScanner<Cl100kRules>>();
}

}  // namespace flashtok::internal
