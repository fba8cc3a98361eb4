// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "vocab/piece_splitter.h"

#include <algorithm>

#include "util/bits.h"
#include "util/byte_hash.h"

namespace flashtok::internal {
namespace {

using unicode::is_lead3;

// Indexes of the edge shapes: 6 low bits of a continuation byte, 4 of a lead.
std::size_t cl_index(const unsigned char* s) { return (s[0] & 0x3Fu) << 4 | (s[1] & 0x0Fu); }
std::size_t ccl_index(const unsigned char* s) { return (s[0] & 0x3Fu) << 10 | (s[1] & 0x3Fu) << 4 | (s[2] & 0x0Fu); }
std::size_t clc_index(const unsigned char* s) { return (s[0] & 0x3Fu) << 10 | (s[1] & 0x0Fu) << 6 | (s[2] & 0x3Fu); }

// Two 3-byte characters as one key, s[i] in bits 8i to 8i + 7; never 0 (a
// lead byte is not 0).
std::uint64_t window_key(const unsigned char* s) { return pack_short(reinterpret_cast<const char*>(s), 6); }

// The `count` bytes of a window key from its byte `offset` on, as pack_short
// gives them: the cut test reads every edge from the one window it loads.
std::uint64_t window_bytes(std::uint64_t window, std::size_t offset, std::size_t count) {
  return (window >> (8 * offset)) & low_bits(static_cast<unsigned>(8 * count));
}

// Whether a window key is two 3-byte characters: "lead, continuation,
// continuation" twice, tested on all six bytes at once.
bool is_char3_pair(std::uint64_t key) {
  constexpr std::uint64_t kMask = 0xC0C0F0C0C0F0ull;     // the fixed high bits of each byte
  constexpr std::uint64_t kPattern = 0x8080E08080E0ull;  // byte 0 first (little end)
  return (key & kMask) == kPattern;
}

std::size_t slot_of(std::uint64_t key, std::size_t mask) { return static_cast<std::size_t>(mix_word(key)) & mask; }

// An edge: its kind, the token's length when shorter than the span (else 0),
// and up to 5 bytes, packed as pack_short packs them.
std::uint64_t edge_key(std::uint8_t kind, std::uint64_t bytes, std::size_t exact_length) {
  return std::uint64_t{kind} << 48 | std::uint64_t{exact_length} << 40 | bytes;
}

}  // namespace

PieceSplitter::PieceSplitter() = default;

void PieceSplitter::learn(std::string_view token) {
  const auto* t = reinterpret_cast<const unsigned char*>(token.data());
  const std::size_t n = token.size();
  if (n < 2) return;
  auto begins = [&](Edge kind, std::size_t span) {  // shorter ones end inside the next character: see ends
    if (n >= span) edges_.insert(edge_key(static_cast<std::uint8_t>(kind), pack_short(token.data(), span), 0));
  };
  auto ends = [&](Edge kind, std::size_t span) {
    const std::size_t count = std::min(n, span);
    edges_.insert(
        edge_key(static_cast<std::uint8_t>(kind), pack_short(token.data() + n - count, count), n < span ? n : 0));
  };
  if (is_utf8_continuation(t[0]) && is_lead3(t[1])) {
    edge_cl_.insert(cl_index(t));
    begins(Edge::kBeginsAtPMinus1, 4);
  }
  if (is_utf8_continuation(t[n - 2]) && is_lead3(t[n - 1])) {
    edge_cl_.insert(cl_index(t + n - 2));
    ends(Edge::kEndsAtPPlus1, 4);
  }
  if (n >= 3 && is_utf8_continuation(t[0]) && is_utf8_continuation(t[1]) && is_lead3(t[2])) {
    begin_ccl_.insert(ccl_index(t));
    begins(Edge::kBeginsAtPMinus2, 5);
  }
  if (n >= 3 && is_utf8_continuation(t[n - 3]) && is_lead3(t[n - 2]) && is_utf8_continuation(t[n - 1])) {
    end_clc_.insert(clc_index(t + n - 3));
    ends(Edge::kEndsAtPPlus2, 5);
  }
  for (std::size_t j = 0; j + 6 <= n; ++j) {
    if (!is_lead3(t[j])) continue;  // most positions: no window starts here
    const std::uint64_t key = window_key(t + j);
    if (is_char3_pair(key)) pair_windows_.insert(key);
  }
}

// The boundary p is s + 3. A token occurrence [a, b) across it
//  - ends at p+1 or p+2: it ends "continuation, lead" or "continuation, lead,
//    continuation"; judged on its last 4 or 5 bytes, or all of it if shorter;
//  - else begins at p-1 or p-2 and reaches p+3 or beyond: it begins
//    "continuation, lead" or "continuation, continuation, lead"; judged on
//    its first 4 or 5 bytes;
//  - else holds all six bytes s[0..6).
bool PieceSplitter::is_safe_cut(const unsigned char* s) const noexcept {
  // Every edge below lies within s[0..6): loaded once, not byte by byte per
  // key (that was half the test's instructions on Thai under o200k_base).
  const std::uint64_t window = window_key(s);
  if (edge_cl_.contains(cl_index(s + 2)) &&
      (token_begins_with(Edge::kBeginsAtPMinus1, window_bytes(window, 2, 4)) ||
       token_ends_at(Edge::kEndsAtPPlus1, window, 4, 2, 4))) {
    return false;
  }
  if (begin_ccl_.contains(ccl_index(s + 1)) && token_begins_with(Edge::kBeginsAtPMinus2, window_bytes(window, 1, 5))) {
    return false;
  }
  if (end_clc_.contains(clc_index(s + 2)) && token_ends_at(Edge::kEndsAtPPlus2, window, 5, 3, 5)) return false;
  return !pair_windows_.contains(window);
}

bool PieceSplitter::token_begins_with(Edge kind, std::uint64_t bytes) const noexcept {
  return edges_.contains(edge_key(static_cast<std::uint8_t>(kind), bytes, 0));
}

bool PieceSplitter::token_ends_at(Edge kind, std::uint64_t window, std::size_t end, std::size_t shortest,
                                  std::size_t span) const noexcept {
  const auto k = static_cast<std::uint8_t>(kind);
  for (std::size_t n = shortest; n < span; ++n) {
    if (edges_.contains(edge_key(k, window_bytes(window, end - n, n), n))) return true;
  }
  return edges_.contains(edge_key(k, window_bytes(window, end - span, span), 0));
}

bool PieceSplitter::KeySet::contains(std::uint64_t key) const noexcept {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = slot_of(key, mask);; i = (i + 1) & mask) {
    if (slots_[i] == key) return true;
    if (slots_[i] == 0) return false;
  }
}

void PieceSplitter::KeySet::insert(std::uint64_t key) {
  if (2 * (count_ + 1) > slots_.size()) {  // keep the load at most 1/2
    std::vector<std::uint64_t> old(2 * slots_.size(), 0);
    old.swap(slots_);
    count_ = 0;
    for (std::uint64_t k : old) {
      if (k != 0) insert(k);
    }
  }
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = slot_of(key, mask);
  while (slots_[i] != 0 && slots_[i] != key) i = (i + 1) & mask;
  if (slots_[i] == 0) ++count_;
  slots_[i] = key;
}

std::size_t PieceSplitter::memory_bytes() const noexcept {
  return edge_cl_.memory_bytes() + begin_ccl_.memory_bytes() + end_clc_.memory_bytes() + edges_.memory_bytes() +
         pair_windows_.memory_bytes();
}

}  // namespace flashtok::internal
