// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "cache/text_alignment.h"

#include <algorithm>
#include <cstring>
#include <functional>

#include <string.h>  // memmem (glibc)

namespace flashtok::internal {
namespace {

// Bytes a probe searches for: long enough that a match is rarely a
// coincidence, short enough to fit between two nearby edits.
constexpr std::size_t kWindow = 32;
// The first probe searches this far past the differing stretch's start; each
// next round four times as far.
constexpr std::size_t kFirstReach = 256;

// How many bytes just before a[a_end] and b[b_end] agree, at most `limit`:
// memcmp in 64-byte steps, then byte by byte (at most 64 of them).
std::size_t common_length_before(const char* a, std::size_t a_end, const char* b, std::size_t b_end,
                                 std::size_t limit) {
  std::size_t i = 0;
  constexpr std::size_t kBlock = 64;
  while (i + kBlock <= limit && std::memcmp(a + a_end - i - kBlock, b + b_end - i - kBlock, kBlock) == 0) {
    i += kBlock;
  }
  while (i < limit && a[a_end - 1 - i] == b[b_end - 1 - i]) ++i;
  return i;
}

std::size_t common_suffix_length(std::string_view a, std::string_view b) {
  return common_length_before(a.data(), a.size(), b.data(), b.size(), std::min(a.size(), b.size()));
}

// Where `window` first occurs in haystack[from, to), or npos.
std::size_t find_in(std::string_view haystack, std::size_t from, std::size_t to, std::string_view window) {
  if (to < from + window.size()) return std::string_view::npos;
#if defined(__GLIBC__)
  // glibc's memmem skips on pairs of bytes, so a 32-byte window moves
  // nearly its own length per step on text: faster than a Horspool search
  // that skips on one byte (the edits bench: -13% per update).
  const void* hit = memmem(haystack.data() + from, to - from, window.data(), window.size());
  return hit == nullptr ? std::string_view::npos
                        : static_cast<std::size_t>(static_cast<const char*>(hit) - haystack.data());
#else
  const std::string_view range = haystack.substr(from, to - from);
  const auto it = std::search(range.begin(), range.end(),
                              std::boyer_moore_horspool_searcher(window.begin(), window.end()));
  return it == range.end() ? std::string_view::npos : from + static_cast<std::size_t>(it - range.begin());
#endif
}

struct Match {
  std::size_t old_pos;
  std::size_t new_pos;
  bool found() const noexcept { return old_pos != std::string_view::npos; }
};

// A window of one text, taken `reach / 2` bytes past `at` or, if the
// stretch [at, end) is shorter, its last window, searched in the other text
// no further than the same distance past `other_at`; the match returned in
// (old, new) order. That short search is enough for one of the two sides:
// a window x bytes in, past every edit of the stretch, lies at x + d in the
// new text when taken from the old one, and at x - d in the old text when
// taken from the new one, where d is what the edits added less what they
// removed. So a window that fails costs its own distance, not a multiple.
Match probe(std::string_view from_text, std::size_t at, std::size_t end, std::size_t reach,
            std::string_view in_text, std::size_t other_at, std::size_t other_end, bool from_is_old) {
  const Match none{std::string_view::npos, std::string_view::npos};
  if (end - at < kWindow) return none;
  const std::size_t offset = std::min(reach / 2, end - at - kWindow);
  const std::size_t found = find_in(in_text, other_at, std::min(other_end, other_at + offset + kWindow),
                                    from_text.substr(at + offset, kWindow));
  if (found == std::string_view::npos) return none;
  return from_is_old ? Match{at + offset, found} : Match{found, at + offset};
}

// The next place after (a, b) where old and new agree on kWindow bytes,
// searching rounds of growing reach so that the cost stays proportional to
// the differing stretch: an insertion is found by a window of the old text,
// a deletion by one of the new text, a replacement by windows taken past the
// replaced stretch. Each round tries one window per side, as far along as
// the round's reach: it lies past the most edits of every shape, and the
// caller walks a match back to where the agreement begins. A window that an
// edit spoils costs one round; the next, further along, passes it.
Match next_match(std::string_view old_text, std::size_t a, std::size_t a_end, std::string_view new_text,
                 std::size_t b, std::size_t b_end) {
  const std::size_t longest = std::max(a_end - a, b_end - b);
  for (std::size_t reach = kFirstReach;; reach *= 4) {
    const Match from_old = probe(old_text, a, a_end, reach, new_text, b, b_end, true);
    const Match from_new = probe(new_text, b, b_end, reach, old_text, a, a_end, false);
    if (from_old.found() && from_new.found()) {
      return from_old.old_pos + from_old.new_pos <= from_new.old_pos + from_new.new_pos ? from_old : from_new;
    }
    if (from_old.found()) return from_old;
    if (from_new.found() || reach / 2 >= longest) return from_new;
  }
}

void add_region(std::vector<AlignedRegion>* regions, AlignedRegion r) {
  if (r.length == 0) return;
  if (!regions->empty()) {
    AlignedRegion& last = regions->back();
    if (last.old_end() == r.old_begin && last.new_end() == r.new_begin) {
      last.length += r.length;
      return;
    }
  }
  regions->push_back(r);
}

}  // namespace

std::size_t common_prefix_length(std::string_view a, std::string_view b) {
  // memcmp over blocks first, since a long history is mostly equal and
  // memcmp is vectorized.
  // Then in 64-byte steps inside the block that differs, so that the last
  // bytes compared one at a time are at most 64, not 4096.
  const std::size_t n = std::min(a.size(), b.size());
  std::size_t i = 0;
  for (const std::size_t block : {std::size_t{4096}, std::size_t{64}}) {
    while (i + block <= n && std::memcmp(a.data() + i, b.data() + i, block) == 0) i += block;
  }
  while (i < n && a[i] == b[i]) ++i;
  return i;
}

std::vector<AlignedRegion> align_texts(std::string_view old_text, std::string_view new_text) {
  return align_texts(old_text, new_text, common_prefix_length(old_text, new_text));
}

std::vector<AlignedRegion> align_texts(std::string_view old_text, std::string_view new_text, std::size_t prefix) {
  std::vector<AlignedRegion> regions;
  regions.reserve(8);  // a prefix, a suffix and a few edits: one allocation, not a doubling per region
  add_region(&regions, {0, 0, prefix});
  const std::size_t suffix = common_suffix_length(old_text.substr(prefix), new_text.substr(prefix));
  const std::size_t a_end = old_text.size() - suffix;
  const std::size_t b_end = new_text.size() - suffix;
  std::size_t a = prefix;
  std::size_t b = prefix;
  while (a < a_end && b < b_end) {
    Match m = next_match(old_text, a, a_end, new_text, b, b_end);
    if (!m.found()) break;
    // The agreement may begin before the window: up to the last byte that differs.
    const std::size_t back = common_length_before(old_text.data(), m.old_pos, new_text.data(), m.new_pos,
                                                  std::min(m.old_pos - a, m.new_pos - b));
    m.old_pos -= back;
    m.new_pos -= back;
    const std::size_t length = common_prefix_length(old_text.substr(m.old_pos, a_end - m.old_pos),
                                                    new_text.substr(m.new_pos, b_end - m.new_pos));
    add_region(&regions, {m.old_pos, m.new_pos, length});
    a = m.old_pos + length;
    b = m.new_pos + length;
  }
  add_region(&regions, {a_end, b_end, suffix});
  return regions;
}

}  // namespace flashtok::internal
