// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// cl100k_base's pattern, alternative by alternative, in tiktoken's order:
//   (?i:'s|'t|'re|'ve|'m|'ll|'d) | [^\r\n\p{L}\p{N}]?\p{L}+ | \p{N}{1,3}
//   | ?[^\s\p{L}\p{N}]+[\r\n]* | \s*[\r\n]+ | \s+(?!\S) | \s+
// Each alternative reads no further than the regex engine needs to decide it.
#include "pretokenizer/ascii_block.h"
#include "pretokenizer/scanner_driver.h"
#include "util/bits.h"

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

// Piece starts decided by 64 ASCII bytes, from their class masks. A piece
// starts at bit 0. Bit i of the result's starts: a piece starts at byte i,
// for every such i the bytes decide; 0 if they decide none after bit 0.
//
// Scanned from a piece start, the pattern's pieces are decided by the bytes
// just before a position, except in white space, whose pieces depend on how
// the run ends (docs/ALGORITHM.md, "Piece starts in blocks of ASCII"):
//   letters      start a piece unless a letter or a one-byte piece that
//                takes them as its prefix comes before: any white space
//                but a newline (it always starts a piece when a non-space
//                follows), or punctuation that starts a piece alone (not
//                after punctuation or a blank);
//   numbers      start a piece after a non-number and every third digit;
//   punctuation  starts a piece unless punctuation or a blank comes before;
//   contractions end after 's 't 'm 'd or 're 've 'll (any case) when the
//                apostrophe starts a piece, which splits letters after them;
//   white space  a run starts a piece, except newlines right after
//                punctuation (`[\r\n]*` takes them, and the piece ends
//                after them); a piece starts after the run's last newline
//                and at the run's last byte when a non-space follows.
// The bytes up to the first non-ASCII byte count, the rest are unknown. A
// start is set only where the bytes before it decide it, or those before
// and a non-space after it: so every start set is a start of the text, and
// the ones the block cannot see (in a white-space run that reaches the
// unknown bytes, or past them) all lie after the last one set. The caller
// takes the pieces up to that one.
// Inlined into both scans: as a call, with its masks returned through
// memory, it cost a full encode 1% more instructions.
FLASHTOK_ALWAYS_INLINE BlockStarts Cl100kRules::block_starts(const unsigned char* p) {
  KnownBytes k;
  if (!known_bytes(p, &k)) return {};
  const std::uint64_t letter = k.letter, number = k.number, space = k.space, newline = k.newline;
  const std::uint64_t blank = k.blank, other_space = k.other_space, punct = k.punct;

  std::uint64_t starts = 1;
  // Punctuation.
  const std::uint64_t punct_starts = punct & ~(punct << 1) & ~(blank << 1);
  starts |= punct_starts;
  // Letters.
  const std::uint64_t prefix = (other_space << 1) | (punct << 1 & ~(punct << 2) & ~(blank << 2));
  starts |= letter & ~(letter << 1) & ~prefix;
  starts |= number_starts(number);
  // Contractions, rare enough to read byte by byte.
  for (std::uint64_t a = k.apostrophe & (punct_starts | 1) & low_bits(62); a != 0; a &= a - 1) {
    const unsigned end = contraction_end(p, lowest_bit(a), /*fold=*/0x20);
    if (end != 0 && end < 64) starts |= letter & (std::uint64_t{1} << end);
  }
  // White space.
  starts |= space & ~(space << 1) & ~(newline & punct << 1);
  const std::uint64_t taken_newlines = newline & ~(newline << 1) & (punct << 1);
  starts |= (newline + taken_newlines) & ~newline;  // just after the newlines punctuation took
  starts |= white_space_starts(newline, other_space, k.non_space);
  return {starts & ~std::uint64_t{1}, ~k.space, k.apostrophe};
}

std::unique_ptr<Pretokenizer> make_cl100k_scanner() {
  return std::make_unique<HandWrittenScanner<Cl100kRules>>();
}

}  // namespace flashtok::internal
