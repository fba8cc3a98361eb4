// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_PRETOKENIZER_ASCII_BLOCK_H_
#define FLASHTOK_SRC_PRETOKENIZER_ASCII_BLOCK_H_

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "util/always_inline.h"
#include "util/bits.h"

namespace flashtok::internal {

// The classes of 64 bytes of text as bit masks: bit i stands for byte i.
// Scanners that find piece boundaries for a whole block at once with bit
// operations (cl100k_scanner.cc, o200k_scanner.cc) start from these; a byte-at-a-time scanner
// spends most of its instructions deciding, byte by byte, what these masks
// say for 64 bytes in a few dozen vector instructions.
//
// The classes are those of the ASCII class table (scan_text.h): letters are
// A-Z and a-z, numbers 0-9, white space 9-13 and 32, of which 10 and 13 are
// newlines. Bytes of 0x80 and up are set in non_ascii only.
struct AsciiBlock {
  static constexpr std::size_t kBytes = 64;

  std::uint64_t non_ascii = 0;
  std::uint64_t letter = 0;
  std::uint64_t number = 0;
  std::uint64_t space = 0;       // white space, newlines included
  std::uint64_t newline = 0;     // \n and \r
  std::uint64_t blank = 0;       // ' ' alone, the byte a pattern's ` ?` takes
  std::uint64_t apostrophe = 0;  // the start of a contraction
  std::uint64_t upper = 0;       // A-Z, which o200k's words tell from a-z
  std::uint64_t slash = 0;       // '/', which o200k's `[\r\n/]*` takes
};

// The masks of the 64 bytes at p (all 64 must be readable). SSE2 where the
// compiler targets it (every x86-64), else byte by byte.
AsciiBlock classify_ascii_block(const unsigned char* p);

// The same byte by byte from the class table: the reference the vector form
// is tested against.
AsciiBlock classify_ascii_block_bytewise(const unsigned char* p);

// The classes of a block's known bytes, those before its first non-ASCII
// byte, as the block rules read them: every mask is clear from there on.
struct KnownBytes {
  unsigned count = 0;  // the known bytes
  std::uint64_t letter = 0, upper = 0, number = 0, space = 0, newline = 0, blank = 0, slash = 0, apostrophe = 0;
  std::uint64_t other_space = 0;  // white space but newlines
  std::uint64_t punct = 0;        // `[^\s\p{L}\p{N}]`
  std::uint64_t non_space = 0;
};

// The known bytes of the 64 at p; false, with *k unset, when the first 16
// are not all ASCII: too few bytes to pay for the masks (a space before a
// word of another script), which a test of two words tells first.
FLASHTOK_ALWAYS_INLINE bool known_bytes(const unsigned char* p, KnownBytes* k) {
  std::uint64_t head[2];
  std::memcpy(head, p, sizeof head);
  if (((head[0] | head[1]) & 0x8080808080808080ull) != 0) return false;
  const AsciiBlock b = classify_ascii_block(p);
  k->count = b.non_ascii == 0 ? 64 : lowest_bit(b.non_ascii);
  const std::uint64_t known = low_bits(k->count);
  k->letter = b.letter & known;
  k->upper = b.upper & known;
  k->number = b.number & known;
  k->space = b.space & known;
  k->newline = b.newline & known;
  k->blank = b.blank & known;
  k->slash = b.slash & known;
  k->apostrophe = b.apostrophe & known;
  k->other_space = k->space & ~k->newline;
  k->punct = known & ~(k->letter | k->number | k->space);
  k->non_space = known & ~k->space;
  return true;
}

// What a block's rules decide: the piece starts (bit i: a piece starts at
// byte i; bit 0, where the scan stands, is left clear, and 0 means the block
// decides no start after it), and the masks that bound what the rules
// looked at to decide them (block_reach).
struct BlockStarts {
  std::uint64_t starts = 0;
  std::uint64_t not_space = 0;   // bytes that are not known white space
  std::uint64_t apostrophe = 0;  // known apostrophes
};

// One past the last byte of the block the rules may have read to decide the
// starts up to `end` (a start, so end >= 1) and that none lies between
// them: the reach of the piece that ends there (Piece::reach), relative to
// the block. A start on a byte that is not white space, or on the first of a
// white-space run, is decided by that byte and those before it; inside a run
// of white space the rules read ahead to the byte that ends the run, and no
// further. So the first byte at or after `end` that is not white space, the
// stop, bounds it (the unknown bytes count as such), and the block's end
// always does. An apostrophe was tested for a contraction, which reads the
// two bytes after it: one at the stop, or one just before it (under gpt2 a
// piece is a lone apostrophe when `'r`, `'v` or `'l` is not followed by
// `e`, `e` or `l`: the piece's end was decided by the byte after the stop).
inline unsigned block_reach(const BlockStarts& block, unsigned end) {
  const bool in_run = (block.not_space >> (end - 1) & 3) == 0;  // end and the byte before are white space
  const std::uint64_t ahead = in_run ? block.not_space >> end : std::uint64_t{1};
  if (ahead == 0) return 64;
  const unsigned stop = end + lowest_bit(ahead);  // >= 1, as end is
  unsigned bound = stop + 1;
  if ((block.apostrophe >> stop & 1) != 0) {
    bound = stop + 3;
  } else if ((block.apostrophe >> (stop - 1) & 1) != 0) {
    bound = stop + 2;
  }
  return bound < 64 ? bound : 64;
}

// Rules the built-in patterns share, on masks of a block's known bytes (bit
// i: byte i; a piece starts at bit 0), each returning piece starts.

// `\p{N}{1,3}`: the first digit of a run, then every third.
inline std::uint64_t number_starts(std::uint64_t number) {
  const std::uint64_t run_starts = number & ~(number << 1);
  const std::uint64_t third = number & (number << 1) & (number << 2);
  std::uint64_t starts = run_starts;
  for (std::uint64_t at = run_starts; (at = (at << 3) & third) != 0;) starts |= at;
  return starts;
}

// The end of the contraction (`'s 't 'm 'd 're 've 'll`) that the
// apostrophe at block byte j <= 61 begins, or 0 if none does; fold 0x20
// matches capitals too (cl100k's `(?i:...)`), 0 only small letters.
inline unsigned contraction_end(const unsigned char* p, unsigned j, unsigned char fold) {
  const unsigned char c1 = p[j + 1] | fold;
  const unsigned char c2 = p[j + 2] | fold;
  if (c1 == 's' || c1 == 't' || c1 == 'm' || c1 == 'd') return j + 2;
  if ((c1 == 'r' && c2 == 'e') || (c1 == 'v' && c2 == 'e') || (c1 == 'l' && c2 == 'l')) return j + 3;
  return 0;
}

// Inside a white-space run that a non-space ends (a known byte that is no
// white space, set in non_space): `\s*[\r\n]+` ends after the run's last
// newline, and `\s+(?!\S)` gives back the run's last byte, which starts a
// piece of its own. Runs that reach the unknown bytes get no start here.
inline std::uint64_t white_space_starts(std::uint64_t newline, std::uint64_t other_space, std::uint64_t non_space) {
  std::uint64_t starts = other_space & (non_space >> 1);  // the byte given back
  for (std::uint64_t n = newline & (other_space >> 1); n != 0; n &= n - 1) {
    const unsigned after = lowest_bit(n) + 1;  // blanks or tabs follow the newline
    const std::uint64_t rest = ~other_space >> after;
    if (rest == 0) continue;  // to the block's end
    const unsigned run_end = after + lowest_bit(rest);
    if (run_end < 64 && (non_space >> run_end & 1)) starts |= std::uint64_t{1} << after;  // its last newline
  }
  return starts;
}

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_PRETOKENIZER_ASCII_BLOCK_H_
