// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_CACHE_TEXT_ALIGNMENT_H_
#define FLASHTOK_SRC_CACHE_TEXT_ALIGNMENT_H_

#include <cstddef>
#include <string_view>
#include <vector>

namespace flashtok::internal {

// Bytes [old_begin, old_end()) of an old text equal bytes
// [new_begin, new_begin + length) of a new one.
struct AlignedRegion {
  std::size_t old_begin;
  std::size_t new_begin;
  std::size_t length;

  std::size_t old_end() const noexcept { return old_begin + length; }
  std::size_t new_end() const noexcept { return new_begin + length; }
};

// The length of the common prefix of a and b (memcmp speed).
std::size_t common_prefix_length(std::string_view a, std::string_view b);

// Stretches where an edited text still agrees with the text it was edited
// from, in order and without overlap in either text: the common prefix (if
// any) first, the common suffix (if any) last, and between them the matches
// that a greedy probe finds after each differing stretch. Adjacent stretches
// with the same shift are merged. Not a minimal diff: a caller must rely only
// on the byte equality each region states, which always holds. The cost is
// the compare of the common parts plus a few searches per differing stretch,
// each bounded by a small multiple of the stretch's length.
std::vector<AlignedRegion> align_texts(std::string_view old_text, std::string_view new_text);
// The same, given common_prefix_length(old_text, new_text), so that a caller
// who knows it does not compare the prefix twice.
std::vector<AlignedRegion> align_texts(std::string_view old_text, std::string_view new_text, std::size_t prefix);

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_CACHE_TEXT_ALIGNMENT_H_
