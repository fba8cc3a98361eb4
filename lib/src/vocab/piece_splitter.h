// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_VOCAB_PIECE_SPLITTER_H_
#define FLASHTOK_SRC_VOCAB_PIECE_SPLITTER_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "unicode/utf8.h"

namespace flashtok::internal {

// Cuts long pieces where no token of the vocabulary can lie across the cut.
//
// Why the halves then merge independently: every part during BPE is a single
// byte or a token occurring in the piece, so no part ever spans such a cut,
// no pair across it is ever a candidate, and each side goes through exactly
// the merges it would go through alone, in the same order. So the ids of a
// piece are the ids of its chunks, concatenated, and a clause of CJK or Thai
// (one pre-tokenizer piece of hundreds of bytes) becomes a few words that the
// piece memo mostly already knows, instead of one quadratic merge.
//
// The cuts considered are the boundaries between two 3-byte UTF-8 characters
// (CJK, kana, Hangul, Thai, Devanagari, ...). A token occurrence [a, b)
// across such a boundary p ends inside the second character (at p+1 or
// p+2), or begins inside the first one (at p-1 or p-2) and reaches past the
// second, or contains both characters whole. learn() records, from every
// token, the bytes next to such edges and every pair of whole characters
// inside it; a boundary whose six surrounding bytes match none of them is a
// safe cut (is_safe_cut has the details). The test only ever says "safe"
// when it is: it may miss safe cuts, never allow an unsafe one.
//
// Built by RankTable from its tokens on first use, then immutable: safe to
// share across threads once learning is over.
class PieceSplitter {
 public:
  // Knows no token yet: every boundary is a safe cut.
  PieceSplitter();
  // Records what this token can cross; to be called for every token.
  void learn(std::string_view token);

  // Whether the piece has a boundary between two 3-byte characters at all;
  // when not, for_each_chunk would call chunk(piece) once.
  static bool may_cut(std::string_view piece) noexcept;

  // Calls chunk(part) for consecutive parts of `piece` that together are the
  // piece and merge independently; once with the whole piece if it has no
  // safe cut.
  template <typename Chunk>
  void for_each_chunk(std::string_view piece, Chunk chunk) const;

  std::size_t memory_bytes() const noexcept;

 private:
  // A set of small integers, one bit each.
  class BitSet {
   public:
    explicit BitSet(std::size_t size) : words_((size + 63) / 64) {}
    void insert(std::size_t i) { words_[i / 64] |= std::uint64_t{1} << (i % 64); }
    bool contains(std::size_t i) const noexcept { return (words_[i / 64] >> (i % 64)) & 1; }
    std::size_t memory_bytes() const noexcept { return words_.capacity() * sizeof(std::uint64_t); }

   private:
    std::vector<std::uint64_t> words_;
  };

  // A set of nonzero 64-bit keys: open addressing, 0 marks an empty slot,
  // at most half full.
  class KeySet {
   public:
    KeySet() : slots_(64, 0) {}
    void insert(std::uint64_t key);
    bool contains(std::uint64_t key) const noexcept;
    std::size_t memory_bytes() const noexcept { return slots_.capacity() * sizeof(std::uint64_t); }

   private:
    std::vector<std::uint64_t> slots_;
    std::size_t count_ = 0;
  };

  // Where a token across the boundary p has an edge inside a character.
  enum class Edge : std::uint8_t {
    kBeginsAtPMinus1 = 1,  // begins "continuation, lead"
    kBeginsAtPMinus2,      // begins "continuation, continuation, lead"
    kEndsAtPPlus1,         // ends "continuation, lead"
    kEndsAtPPlus2,         // ends "continuation, lead, continuation"
  };

  // Whether no token can occur across the boundary between the 3-byte
  // characters at s[0..3) and s[3..6).
  bool is_safe_cut(const unsigned char* s) const noexcept;
  // Whether a token of this edge kind, at least as long as its span (4 or 5
  // bytes), begins with `bytes` (that many, packed as pack_short packs them).
  bool token_begins_with(Edge kind, std::uint64_t bytes) const noexcept;
  // Whether a token of this edge kind, at least `shortest` bytes long, ends
  // at byte `end` of the boundary's six bytes (`window`, as window_key packs
  // them): judged on all of it if shorter than `span`, else on its last
  // `span` bytes.
  bool token_ends_at(Edge kind, std::uint64_t window, std::size_t end, std::size_t shortest,
                     std::size_t span) const noexcept;

  // Prefilters: the edge shapes by the low bits of their bytes (the high
  // bits are fixed by the shape): "continuation, lead" beginning or ending a
  // token, "continuation, continuation, lead" beginning one, "continuation,
  // lead, continuation" ending one.
  BitSet edge_cl_{1 << 10};
  BitSet begin_ccl_{1 << 16};
  BitSet end_clc_{1 << 16};
  // The edges themselves with the bytes next to them (is_safe_cut).
  KeySet edges_;
  // Every two whole 3-byte characters found next to each other inside a
  // token, as a 48-bit key.
  KeySet pair_windows_;
};


inline bool PieceSplitter::may_cut(std::string_view piece) noexcept {
  const auto* s = reinterpret_cast<const unsigned char*>(piece.data());
  for (std::size_t i = 0; i + 6 <= piece.size(); ++i) {
    if (unicode::is_char3(s + i) && unicode::is_char3(s + i + 3)) return true;
  }
  return false;
}

template <typename Chunk>
void PieceSplitter::for_each_chunk(std::string_view piece, Chunk chunk) const {
  const auto* s = reinterpret_cast<const unsigned char*>(piece.data());
  const std::size_t n = piece.size();
  std::size_t start = 0;
  bool previous_is_char3 = false;  // the 3 bytes before i are one 3-byte character
  for (std::size_t i = 0; i + 3 <= n;) {
    if (!unicode::is_char3(s + i)) {
      previous_is_char3 = false;
      ++i;  // byte by byte: other bytes are never cut at, so no need to parse them
      continue;
    }
    if (previous_is_char3 && is_safe_cut(s + i - 3)) {
      chunk(piece.substr(start, i - start));
      start = i;
    }
    previous_is_char3 = true;
    i += 3;
  }
  chunk(piece.substr(start));
}

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_VOCAB_PIECE_SPLITTER_H_
