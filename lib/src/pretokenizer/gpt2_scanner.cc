// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// The pattern r50k_base and p50k_base share with GPT-2:
//   's|'t|'re|'ve|'m|'ll|'d | ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
// Contractions are case-sensitive here, and digit runs are unbounded.
#include "pretokenizer/scanner_driver.h"

namespace flashtok::internal {

template <Reach kReach>
std::size_t Gpt2Rules::match(ScanText<kReach>& t, std::size_t pos) {
  const Char c0 = t.at(pos);
  if (c0.cp == '\'') {
    if (const std::size_t end = match_contraction(t, pos, /*fold_case=*/false)) return end;
  }
  // The three ` ?X+` alternatives: an optional space, then a run of one class.
  std::size_t start = pos;
  Char c = c0;
  if (c0.cp == ' ') {
    const Char c1 = t.at(pos + 1);
    if (has(c1, kIsLetter | kIsNumber) || is_punct(c1)) {
      start = pos + 1;
      c = c1;
    }
  }
  if (c.cls & kIsLetter) return t.skip(start + c.len, kIsLetter);
  if (c.cls & kIsNumber) return t.skip(start + c.len, kIsNumber);
  if (is_punct(c)) return t.skip_punct(start + c.len);
  return match_whitespace(t, pos, /*with_newline_rule=*/false);
}

std::unique_ptr<Pretokenizer> make_gpt2_scanner() {
  return std::make_unique<HandWrittenScanner<Gpt2Rules>>();
}

}  // namespace flashtok::internal
