// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "vocab/premerged_chars.h"

#include <algorithm>
#include <string_view>

#include "unicode/utf8.h"
#include "vocab/rank_table.h"

namespace flashtok::internal {
namespace {

using unicode::is_char3;
using unicode::is_lead3;

bool is_lead2(unsigned char b) { return b >= 0xC0 && b < 0xE0; }

std::string_view view(const unsigned char* s, std::size_t n) { return {reinterpret_cast<const char*>(s), n}; }

void lower(Rank* slot, Rank rank) { *slot = std::min(*slot, rank); }

// The lowest rank of the tokens that cross each kind of character edge that
// does not depend on the bytes beside the character, from one pass over the
// vocabulary, and the tables of those that do.
struct CrossingRanks {
  CrossingRanks(const RankTable& ranks, std::vector<Rank>* ends_with_byte_and_lead,
                std::vector<Rank>* begins_with_last_and_byte) {
    for (Rank r = 0; r < ranks.end_rank(); ++r) {
      const std::string_view token = ranks.bytes_of(r);
      const auto* t = reinterpret_cast<const unsigned char*>(token.data());
      const std::size_t n = token.size();
      if (n < 2) continue;  // one byte crosses nothing
      if (t[n - 1] >= 0xC0) lower(&(*ends_with_byte_and_lead)[(std::size_t{t[n - 2]} << 6) | (t[n - 1] & 0x3Fu)], r);
      if (is_utf8_continuation(t[0])) lower(&(*begins_with_last_and_byte)[(std::size_t{t[0] & 0x3Fu} << 8) | t[1]], r);
      if (n >= 3 && is_lead3(t[n - 2]) && is_utf8_continuation(t[n - 1])) {
        lower(&ends_with_lead3_pair[((t[n - 2] & 0x0Fu) << 6) | (t[n - 1] & 0x3Fu)], r);
      }
      if (n >= 3 && is_utf8_continuation(t[0]) && is_utf8_continuation(t[1])) {
        lower(&begins_with_continuations[((t[0] & 0x3Fu) << 6) | (t[1] & 0x3Fu)], r);
      }
      for (std::size_t o = 0; o + 2 <= n; ++o) {
        if (is_lead2(t[o]) && is_utf8_continuation(t[o + 1]) && n > 2) {
          lower(&holds[PremergedChars::index2(t + o)], r);
        } else if (o + 3 <= n && is_char3(t + o) && n > 3) {
          lower(&holds[PremergedChars::index3(t + o)], r);
        }
      }
    }
  }

  // Tokens of 3 bytes or more ending with the first two bytes of a 3-byte
  // character (they begin before it), and beginning with its last two.
  std::vector<Rank> ends_with_lead3_pair = std::vector<Rank>(1 << 10, kNoRank);
  std::vector<Rank> begins_with_continuations = std::vector<Rank>(1 << 12, kNoRank);
  // Tokens longer than a character holding it, by the character's shape.
  std::vector<Rank> holds = std::vector<Rank>(PremergedChars::kShapes, kNoRank);
};

}  // namespace

PremergedChars::PremergedChars(const RankTable& ranks)
    : ranks_(kShapes, kNoRank), ends_with_byte_and_lead_(1 << 14, kNoRank), begins_with_last_and_byte_(1 << 14, kNoRank) {
  const CrossingRanks crossing(ranks, &ends_with_byte_and_lead_, &begins_with_last_and_byte_);
  unsigned char c[3];
  for (unsigned a = 0xC0; a < 0xE0; ++a) {
    for (unsigned b = 0x80; b < 0xC0; ++b) {
      c[0] = static_cast<unsigned char>(a), c[1] = static_cast<unsigned char>(b);
      const Rank whole = ranks.find(view(c, 2));  // also its only inner merge
      if (whole < crossing.holds[index2(c)]) ranks_[index2(c)] = whole;
    }
  }
  for (unsigned a = 0xE0; a < 0xF0; ++a) {
    for (unsigned b = 0x80; b < 0xC0; ++b) {
      for (unsigned d = 0x80; d < 0xC0; ++d) {
        c[0] = static_cast<unsigned char>(a), c[1] = static_cast<unsigned char>(b), c[2] = static_cast<unsigned char>(d);
        const Rank whole = ranks.find(view(c, 3));
        if (whole == kNoRank) continue;
        // Alone, the lower of its two byte pairs merges first, then the rest
        // into the whole character; with neither pair a token it stays bytes.
        // Kept where that pair ranks below the whole: then whole is the
        // highest inner rank.
        const Rank first = std::min(ranks.find(view(c, 2)), ranks.find(view(c + 1, 2)));
        if (first >= whole) continue;
        const Rank lowest_crossing =
            std::min({crossing.ends_with_lead3_pair[((a & 0x0Fu) << 6) | (b & 0x3Fu)], crossing.holds[index3(c)],
                      crossing.begins_with_continuations[((b & 0x3Fu) << 6) | (d & 0x3Fu)]});
        if (whole < lowest_crossing) ranks_[index3(c)] = whole;
      }
    }
  }
}

std::size_t PremergedChars::size() const noexcept {
  return static_cast<std::size_t>(std::count_if(ranks_.begin(), ranks_.end(), [](Rank r) { return r != kNoRank; }));
}

}  // namespace flashtok::internal
