// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "piece_splitter.h"


namespace flashtok::internal {
namespace {

using utf8_bytes::is_continuation;
using utf8_bytes::is_lead3;

// Indexes of the edge shapes: 6 low bits of a continuation byte, 4 of a lead.
std::size_t cl_index(const unsigned char* s) { return (s[0] & 0x3Fu) << 4 | (s[1] & 0x0Fu); }
std::size_t ccl_index(const unsigned char* s) { return (s[0] & 0x3Fu) << 10 | (s[1] & 0x3Fu) << 4 | (s[2] & 0x0Fu); }
std::size_t clc_index(const unsigned char* s) { return (s[0] & 0x3Fu) << 10 | (s[1] & 0x0Fu) << 6 | (s[2] & 0x3Fu); }

// Two 3-byte characters as one key; never 0 (a lead byte is not 0).
std::uint64_t window_key(const unsigned char* s) {
  std::uint64_t key = 0;
  for (int i = 0; i < 6; ++i) key |= std::uint64_t{s[i]} << (8 * i);
  return key;
}

// Whether a window key is two 3-byte characters: "lead, continuation,
// continuation" twice, tested on all six bytes at once.
bool is_char3_pair(std::uint64_t key) {
  constexpr std::uint64_t kMask = 0xC0C0F0C0C0F0ull;     // the fixed high bits of each byte
  constexpr std::uint64_t kPattern = 0x8080E08080E0ull;  // byte 0 first (little end)
  return (key & kMask) == kPattern;
}

std::size_t slot_of(std::uint64_t key, std::size_t mask) {
  key *= 0x9E3779B97F4A7C15ull;
  return static_cast<std::size_t>(key >> 32) & mask;
}

}  // namespace

PieceSplitter::PieceSplitter() : pair_windows_(64, 0) {}

void PieceSplitter::learn(std::string_view token) {
  const auto* t = reinterpret_cast<const unsigned char*>(token.data());
  const std::size_t n = token.size();
  if (n < 2) return;
  if (is_continuation(t[0]) && is_lead3(t[1])) edge_cl_.insert(cl_index(t));
  if (is_continuation(t[n - 2]) && is_lead3(t[n - 1])) edge_cl_.insert(cl_index(t + n - 2));
  if (n >= 3 && is_continuation(t[0]) && is_continuation(t[1]) && is_lead3(t[2])) begin_ccl_.insert(ccl_index(t));
  if (n >= 3 && is_continuation(t[n - 3]) && is_lead3(t[n - 2]) && is_continuation(t[n - 1])) {
    end_clc_.insert(clc_index(t + n - 3));
  }
  for (std::size_t j = 0; j + 6 <= n; ++j) {
    const std::uint64_t key = window_key(t + j);
    if (is_char3_pair(key)) add_pair_window(key);
  }
}

// The boundary p sits between s[2] and s[3]. A token occurrence [a, b) across
// it starts at p-1 (begins "continuation, lead"), starts at p-2 (begins
// "continuation, continuation, lead"), ends at p+1 (ends "continuation,
// lead"), ends at p+2 (ends "continuation, lead, continuation"), or else
// holds all six bytes.
bool PieceSplitter::is_safe_cut(const unsigned char* s) const noexcept {
  return !edge_cl_.contains(cl_index(s + 2)) && !begin_ccl_.contains(ccl_index(s + 1)) &&
         !end_clc_.contains(clc_index(s + 2)) && !has_pair_window(window_key(s));
}

bool PieceSplitter::has_pair_window(std::uint64_t key) const noexcept {
  const std::size_t mask = pair_windows_.size() - 1;
  for (std::size_t i = slot_of(key, mask);; i = (i + 1) & mask) {
    if (pair_windows_[i] == key) return true;
    if (pair_windows_[i] == 0) return false;
  }
}

void PieceSplitter::add_pair_window(std::uint64_t key) {
  if (2 * (pair_window_count_ + 1) > pair_windows_.size()) {  // keep the load at most 1/2
    std::vector<std::uint64_t> old(2 * pair_windows_.size(), 0);
    old.swap(pair_windows_);
    pair_window_count_ = 0;
    for (std::uint64_t k : old) {
      if (k != 0) add_pair_window(k);
    }
  }
  const std::size_t mask = pair_windows_.size() - 1;
  std::size_t i = slot_of(key, mask);
  while (pair_windows_[i] != 0 && pair_windows_[i] != key) i = (i + 1) & mask;
  if (pair_windows_[i] == 0) ++pair_window_count_;
  pair_windows_[i] = key;
}

std::size_t PieceSplitter::memory_bytes() const noexcept {
  return edge_cl_.memory_bytes() + begin_ccl_.memory_bytes() + end_clc_.memory_bytes() +
         pair_windows_.capacity() * sizeof(std::uint64_t);
}

}  // namespace flashtok::internal
