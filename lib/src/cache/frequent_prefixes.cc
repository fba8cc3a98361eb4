// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "flashtok/frequent_prefixes.h"

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <unordered_map>

namespace flashtok {
namespace {

struct Candidate {
  std::size_t text_index;  // a text that has this prefix
  std::size_t length;
  std::size_t count;
};

std::size_t char_boundary_at_or_before(std::string_view text, std::size_t pos) {
  while (pos > 0 && pos < text.size() && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) --pos;
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
    std::uint64_t hash = 0xCBF29CE484222325ull;  // FNV-1a
    std::size_t hashed = 0;
    std::size_t last_length = 0;
    for (std::size_t want = min_len; want <= std::min(max_len, text.size()); want += step) {
      const std::size_t length = char_boundary_at_or_before(text, want);
      if (length == 0 || length == last_length) continue;
      for (; hashed < length; ++hashed) hash = (hash ^ static_cast<unsigned char>(text[hashed])) * 0x100000001B3ull;
      last_length = length;
      auto [it, inserted] = seen.try_emplace(hash ^ (length * 0x9E3779B97F4A7C15ull), Candidate{t, length, 0});
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
  std::sort(kept.begin(), kept.end(), [](const Candidate& a, const Candidate& b) {
    const auto score_a = a.count * a.length, score_b = b.count * b.length;
    return score_a != score_b ? score_a > score_b : a.length > b.length;
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
