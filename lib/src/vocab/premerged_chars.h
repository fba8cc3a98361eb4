// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_VOCAB_PREMERGED_CHARS_H_
#define FLASHTOK_SRC_VOCAB_PREMERGED_CHARS_H_

#include <cstddef>
#include <vector>

#include "flashtok/rank.h"
#include "flashtok/utf8_validity.h"
#include "unicode/utf8.h"

namespace flashtok::internal {

class RankTable;

// The 2- and 3-byte characters (Cyrillic, Greek, Hebrew, Arabic, CJK, kana,
// Hangul, Thai, Devanagari, ...) that a merge may start as one part instead
// of two or three bytes, with the same result.
//
// Why that is exact: take a character C, in a piece, that is a token and
// whose own merge, alone, ends in C; let r be the highest rank of the merges
// inside it. Call a token crossing if its occurrence there would hold a byte
// of C and a byte beside it: it ends with the byte before C and a proper
// prefix of C, begins with a proper suffix of C and the byte after it, or
// holds C and more. If every crossing token ranks above r, then (1) until C
// is whole, one of its inner merges (rank <= r) is always a candidate, so no
// crossing merge is ever the lowest: C's bytes become C before anything else
// touches them; and (2) the candidates a whole C adds (C with a neighbour:
// crossing tokens) rank above r, so they are never the lowest before C would
// be whole anyway. The other merges see the same parts in both cases, in the
// same order; so the ids are those of the merge from bytes. Only the ranks'
// order is used, not how the vocabulary was learned. (docs/ALGORITHM.md,
// "Characters as one part".)
//
// The test depends on the bytes beside C: byte-level vocabularies have
// tokens such as "о" followed by the lead byte of the next Cyrillic letter,
// ranked below most letters, so after "о" a letter is often merged from
// bytes for good reason. The byte before and after is judged exactly, longer
// crossing tokens by what they hold of C alone (never allowing too much).
//
// Merging Cyrillic or Greek text from bytes spends half its steps joining
// the two bytes of each letter; starting from letters halves the parts of
// most words and takes those lookups out of the merge.
//
// Built by RankTable from its tokens on first use, then immutable: safe to
// share across threads.
class PremergedChars {
 public:
  explicit PremergedChars(const RankTable& ranks);

  // The rank of the 2- or 3-byte character at s[i] (i < n, s the whole
  // piece) if the merge of the piece may start with it as one part, and its
  // length in *length; else kNoRank and *length untouched. Judges byte
  // shapes only: a sequence that is not valid UTF-8 is a unit like any other.
  Rank find(const unsigned char* s, std::size_t n, std::size_t i, std::size_t* length) const noexcept {
    const unsigned char* c = s + i;
    std::size_t index = 0;
    std::size_t c_length = 0;
    if (c[0] >= 0xC0 && c[0] < 0xE0 && n - i >= 2 && is_utf8_continuation(c[1])) {
      index = index2(c), c_length = 2;
    } else if (n - i >= 3 && unicode::is_char3(c)) {
      index = index3(c), c_length = 3;
    } else {
      return kNoRank;
    }
    const Rank rank = ranks_[index];
    if (rank == kNoRank) return kNoRank;
    if (i > 0 && ends_with_byte_and_lead_[(std::size_t{c[-1]} << 6) | (c[0] & 0x3Fu)] <= rank) return kNoRank;
    const unsigned char last = c[c_length - 1];
    if (i + c_length < n && begins_with_last_and_byte_[(std::size_t{last & 0x3Fu} << 8) | c[c_length]] <= rank) {
      return kNoRank;
    }
    *length = c_length;
    return rank;
  }

  // How many characters may start as one part (for tests and reports).
  std::size_t size() const noexcept;
  std::size_t memory_bytes() const noexcept {
    return (ranks_.capacity() + ends_with_byte_and_lead_.capacity() + begins_with_last_and_byte_.capacity()) *
           sizeof(Rank);
  }

  // Indexes of character shapes: 2-byte ones first (lead C0-DF, 11 bits),
  // then 3-byte ones (lead E0-EF, 16 bits).
  static constexpr std::size_t kShapes2 = std::size_t{1} << 11;
  static constexpr std::size_t kShapes = kShapes2 + (std::size_t{1} << 16);
  static std::size_t index2(const unsigned char* s) noexcept {
    return (std::size_t{s[0] & 0x1Fu} << 6) | (s[1] & 0x3Fu);
  }
  static std::size_t index3(const unsigned char* s) noexcept {
    return kShapes2 + ((std::size_t{s[0] & 0x0Fu} << 12) | (std::size_t{s[1] & 0x3Fu} << 6) | (s[2] & 0x3Fu));
  }

 private:
  // By shape index: the character's rank if it passes the test for all but
  // the bytes beside it, else kNoRank. Kept only where the rank is also the
  // highest of its inner merges, so one number serves both.
  std::vector<Rank> ranks_;
  // The lowest rank of a token ending with a byte x and then a lead byte a,
  // at (x << 6) | (a & 0x3F); of a token beginning with a continuation byte
  // d and then a byte y, at ((d & 0x3F) << 8) | y. kNoRank if none.
  std::vector<Rank> ends_with_byte_and_lead_;
  std::vector<Rank> begins_with_last_and_byte_;
};

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_VOCAB_PREMERGED_CHARS_H_
