// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "flashtok/frequent_prefixes.h"

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <unordered_map>

#include "flashtok/utf8_validity.h"
#include "util/byte_hash.h"

namespace flashtok {
namespace {

struct Candidate {
  std::size_t text_index;  // a text that has this prefix
  std::size_t length;
  std::size_t count;
};

std::size_t char_boundary_at_or_before(std::string_view text, std::size_t pos) {
  while (pos > 0 && pos < text.size() && is_utf8_continuation(text[pos])) --pos;
  return pos;
}

}  // namespace

std::vector<FrequentPrefix> frequent_prefixes(const std::vector<std::string>& texts, std::size_t min_len,
                                              std::size_t max_len, std::size_t step, std::size_t threshold,
                                              std::size_t max_results) {
  step = std::max<std::size_t>(step, 1);
  min_len = std::max<std::size_t>(min_len, 1);
  // Key: a hash of the prefix, extended incrementally so each text is read once.
  std::unordered_map<std::uint64_t, Candidate> seen;
  for (std::size_t t = 0; t < texts.size(); ++t) {
    const std::string_view text = texts[t];
    internal::PrefixHasher hasher(text);
    std::size_t last_length = 0;
    for (std::size_t want = min_len; want <= std::min(max_len, text.size()); want += step) {
      const std::size_t length = char_boundary_at_or_before(text, want);
      if (length == 0 || length == last_length) continue;
      last_length = length;
      auto [it, inserted] = seen.try_emplace(hasher.hash_of_prefix(length), Candidate{t, length, 0});
      // A colliding hash of a different prefix is not counted (rare, and only loses a candidate).
      if (inserted || text.substr(0, length) == std::string_view(texts[it->second.text_index]).substr(0, length)) {
        ++it->second.count;
      }
    }
  }
  std::vector<Candidate> kept;
  for (const auto& [key, c] : seen) {
    if (c.count >= std::max<std::size_t>(threshold, 1)) kept.push_back(c);
  }
  // Ties go to the prefix of the earlier text, so that the order never
  // depends on the hash (the map's iteration order).
  std::sort(kept.begin(), kept.end(), [](const Candidate& a, const Candidate& b) {
    const auto score_a = a.count * a.length, score_b = b.count * b.length;
    if (score_a != score_b) return score_a > score_b;
    return a.length != b.length ? a.length > b.length : a.text_index < b.text_index;
  });
  std::vector<FrequentPrefix> out;
  for (const Candidate& c : kept) {
    if (out.size() >= max_results) break;
    const std::string_view prefix = std::string_view(texts[c.text_index]).substr(0, c.length);
    const bool covered = std::any_of(out.begin(), out.end(), [&](const FrequentPrefix& longer) {
      return longer.count == c.count && longer.text.size() > prefix.size() &&
             std::string_view(longer.text).substr(0, prefix.size()) == prefix;
    });
    if (!covered) out.push_back(FrequentPrefix{std::string(prefix), c.count});
  }
  return out;
}

}  // namespace flashtok
