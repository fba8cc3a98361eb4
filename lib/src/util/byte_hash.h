// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_UTIL_BYTE_HASH_H_
#define FLASHTOK_SRC_UTIL_BYTE_HASH_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace flashtok::internal {

// Every hash of bytes in the library is built here from two steps: words of
// the bytes folded in with mix_word, and finish_hash mixing the result with
// the length.

template <typename Word>
Word load_word(const char* p) {
  Word w;
  std::memcpy(&w, p, sizeof w);
  return w;
}

// The n <= 8 bytes at p as one little-endian word, zero-padded. Two
// overlapping loads instead of a loop: a byte-by-byte copy followed by a word
// read stalls on store forwarding, which was a quarter of all lookup time.
inline std::uint64_t pack_short(const char* p, std::size_t n) {
  if (n >= 4) {
    const auto low = load_word<std::uint32_t>(p);
    const auto high = load_word<std::uint32_t>(p + n - 4);
    return low | (static_cast<std::uint64_t>(high) << (8 * (n - 4)));
  }
  if (n == 0) return 0;
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return u[0] | (static_cast<std::uint64_t>(u[n / 2]) << (8 * (n / 2))) |
         (static_cast<std::uint64_t>(u[n - 1]) << (8 * (n - 1)));
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "flashtok's packed keys assume a little-endian machine"
#endif

// pack_short(p, n) for 1 <= n <= 8 where all 8 bytes from p on may be read
// (the piece lies inside a longer text): one load and a mask, the same word
// on a little-endian machine (the only kind flashtok builds for). A walk over
// pieces of random lengths mispredicts pack_short's tests of the length
// (docs/PERFORMANCE.md, "Branches the walk mispredicted").
inline std::uint64_t pack_short_readable(const char* p, std::size_t n) {
  return load_word<std::uint64_t>(p) & (~std::uint64_t{0} >> (64 - 8 * n));
}

// Whether the n bytes at a and at b are equal: word loads, all within the
// n bytes (the last one overlapping), in place of a call to memcmp for the
// short strings a lookup compares (a piece and the entry its hash names).
inline bool equal_bytes(const char* a, const char* b, std::size_t n) {
  if (n < 8) return pack_short(a, n) == pack_short(b, n);
  std::uint64_t differ = 0;
  for (std::size_t i = 0; i + 8 < n; i += 8) differ |= load_word<std::uint64_t>(a + i) ^ load_word<std::uint64_t>(b + i);
  return (differ | (load_word<std::uint64_t>(a + n - 8) ^ load_word<std::uint64_t>(b + n - 8))) == 0;
}

// A bijective mix of one word: what each word of a long string goes through.
inline std::uint64_t mix_word(std::uint64_t h) {
  h *= 0xBF58476D1CE4E5B9ull;
  return h ^ (h >> 31);
}

// The final mix of a word of bytes (or of their folded words) with the
// length; its low bits are good for indexing a power-of-two table.
inline std::uint64_t finish_hash(std::uint64_t word, std::size_t length) {
  const std::uint64_t h = (word ^ (length * 0x9E3779B97F4A7C15ull)) * 0xD6E8FEB86659FD93ull;
  return h ^ (h >> 32);
}

// A hash of n > 8 bytes, read as whole words (the last one overlapping).
inline std::uint64_t hash_long(const char* p, std::size_t n) {
  std::uint64_t h = 0x9E3779B97F4A7C15ull * n;
  for (std::size_t i = 0; i + 8 < n; i += 8) h = mix_word(h ^ load_word<std::uint64_t>(p + i));
  return mix_word(h ^ load_word<std::uint64_t>(p + n - 8));
}

// What the rank table stores of a byte string (vocab/rank_table.h): the
// bytes themselves, zero-padded, if at most 8; else their length (at most
// 65,535) in the top 16 bits and 48 bits of hash below.
inline std::uint64_t token_key(std::string_view s) {
  if (s.size() <= 8) return pack_short(s.data(), s.size());
  return (hash_long(s.data(), s.size()) >> 16) | (static_cast<std::uint64_t>(s.size()) << 48);
}

// The hash of a piece that the rank table (slot, filter) and the piece memo
// (slot) all index by, so the encoder's walk computes it once per piece.
inline std::uint64_t token_hash(std::string_view s) { return finish_hash(token_key(s), s.size()); }

// A hash of any byte string; the length is part of it.
inline std::uint64_t hash_bytes(std::string_view s) {
  if (s.size() > 8) return hash_long(s.data(), s.size());
  return finish_hash(pack_short(s.data(), s.size()), s.size());
}

// The key of a block of text that follows the blocks whose key is `parent`
// (chained block hashing, as vLLM keys its KV blocks): equal keys mean, but
// for collisions, the same path of blocks.
inline std::uint64_t hash_chained(std::uint64_t parent, std::string_view block) {
  return mix_word(parent ^ hash_bytes(block));
}

// The hashes of a growing prefix of one text, each in the time of the bytes
// added since the last: for counting which prefixes many texts share without
// hashing each prefix from the start.
class PrefixHasher {
 public:
  explicit PrefixHasher(std::string_view text) : text_(text) {}

  // The hash of text[0, length); length never decreases from call to call.
  std::uint64_t hash_of_prefix(std::size_t length) {
    for (; folded_ + 8 <= length; folded_ += 8) {
      state_ = mix_word(state_ ^ load_word<std::uint64_t>(text_.data() + folded_));
    }
    return finish_hash(state_ ^ pack_short(text_.data() + folded_, length - folded_), length);
  }

 private:
  std::string_view text_;
  std::size_t folded_ = 0;  // bytes folded into state_: whole words
  std::uint64_t state_ = 0;
};

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_UTIL_BYTE_HASH_H_
