// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "pretokenizer/ascii_block.h"

#if defined(__SSE2__) || defined(_M_X64)
#include <emmintrin.h>
#define FLASHTOK_ASCII_BLOCK_SSE2 1
#endif

#include "pretokenizer/scan_text.h"

namespace flashtok::internal {

AsciiBlock classify_ascii_block_bytewise(const unsigned char* p) {
  AsciiBlock b;
  for (std::size_t i = 0; i < AsciiBlock::kBytes; ++i) {
    const std::uint64_t bit = std::uint64_t{1} << i;
    if (p[i] >= 0x80) {
      b.non_ascii |= bit;
      continue;
    }
    const std::uint8_t cls = ascii_class(p[i]);
    if (cls & kIsLetter) b.letter |= bit;
    if (cls & kIsNumber) b.number |= bit;
    if (cls & kIsSpace) b.space |= bit;
    if (cls & kIsNewline) b.newline |= bit;
    if (p[i] == ' ') b.blank |= bit;
    if (p[i] == '\'') b.apostrophe |= bit;
    if (p[i] >= 'A' && p[i] <= 'Z') b.upper |= bit;
    if (p[i] == '/') b.slash |= bit;
  }
  return b;
}

#if defined(FLASHTOK_ASCII_BLOCK_SSE2)

namespace {

std::uint64_t bits_of(__m128i bytes_set, int part) {
  return static_cast<std::uint64_t>(static_cast<std::uint16_t>(_mm_movemask_epi8(bytes_set))) << (16 * part);
}

// 0xFF in each byte of v that lies in [low, low + span]: unsigned, by
// (v - low) == min(v - low, span).
__m128i in_range(__m128i v, char low, char span) {
  const __m128i shifted = _mm_sub_epi8(v, _mm_set1_epi8(low));
  return _mm_cmpeq_epi8(_mm_min_epu8(shifted, _mm_set1_epi8(span)), shifted);
}

}  // namespace

AsciiBlock classify_ascii_block(const unsigned char* p) {
  AsciiBlock b;
  for (int part = 0; part < 4; ++part) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * part));
    b.non_ascii |= bits_of(v, part);
    // Bytes of 0x80 and up fall outside every range below, case-folded or not.
    b.letter |= bits_of(in_range(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 25), part);
    b.number |= bits_of(in_range(v, '0', 9), part);
    const __m128i blank = _mm_cmpeq_epi8(v, _mm_set1_epi8(' '));
    b.blank |= bits_of(blank, part);
    b.space |= bits_of(_mm_or_si128(in_range(v, 9, 4), blank), part);
    b.newline |= bits_of(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))),
                         part);
    b.apostrophe |= bits_of(_mm_cmpeq_epi8(v, _mm_set1_epi8('\'')), part);
    b.upper |= bits_of(in_range(v, 'A', 25), part);
    b.slash |= bits_of(_mm_cmpeq_epi8(v, _mm_set1_epi8('/')), part);
  }
  return b;
}

#else

AsciiBlock classify_ascii_block(const unsigned char* p) { return classify_ascii_block_bytewise(p); }

#endif

}  // namespace flashtok::internal
