// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// The pattern r50k_base and p50k_base share with GPT-2:
//   's|'t|'re|'ve|'m|'ll|'d | ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
// Contractions are case-sensitive here, and digit runs are unbounded.
#include "pretokenizer/ascii_block.h"
#include "pretokenizer/scanner_driver.h"
#include "util/bits.h"

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

// Piece starts decided by 64 ASCII bytes, as Cl100kRules::block_starts
// (cl100k_scanner.cc, docs/ALGORITHM.md "Piece starts in blocks of ASCII")
// decides them, under this simpler pattern:
//   letters, digits and punctuation
//                a run of each starts a piece unless a blank comes right
//                before it (` ?X+` takes one space, and that space starts
//                the piece); digit runs are not cut in threes;
//   contractions only lower case; an apostrophe that starts a piece and is
//                followed by s t m d or re ve ll ends a piece after them,
//                so no piece starts inside and a letter after them starts one;
//   white space  a run starts a piece, and its last byte starts one of its
//                own when a non-space follows (`\s+(?!\S)` gives it back);
//                no rule for newlines.
// Inlined into both scans, as Cl100kRules::block_starts.
FLASHTOK_ALWAYS_INLINE BlockStarts Gpt2Rules::block_starts(const unsigned char* p) {
  KnownBytes k;
  if (!known_bytes(p, &k)) return {};
  const std::uint64_t letter = k.letter, space = k.space, blank = k.blank;
  std::uint64_t starts = 1;
  for (const std::uint64_t run : {letter, k.number, k.punct}) starts |= run & ~(run << 1) & ~(blank << 1);
  // Contractions, rare enough to read byte by byte. The letter rule above
  // started a piece after each such apostrophe, so one whose letters lie
  // past the block ends what it decides.
  for (std::uint64_t a = k.apostrophe & starts; a != 0; a &= a - 1) {
    const unsigned j = lowest_bit(a);
    if (j + 2 >= 64) {
      starts &= low_bits(j + 1);
      break;
    }
    const unsigned end = contraction_end(p, j, /*fold=*/0);
    if (end == 0) continue;
    starts &= ~(low_bits(end) & ~low_bits(j + 1));
    if (end < 64) starts |= letter & (std::uint64_t{1} << end);
  }
  starts |= space & ~(space << 1);
  starts |= space & (k.non_space >> 1);
  return {starts & ~std::uint64_t{1}, ~k.space, k.apostrophe};
}

std::unique_ptr<Pretokenizer> make_gpt2_scanner() {
  return std::make_unique<HandWrittenScanner<Gpt2Rules>>();
}

}  // namespace flashtok::internal
