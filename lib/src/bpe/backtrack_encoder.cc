// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "bpe/backtrack_encoder.h"

#include "bpe/backtrack_tables.h"

namespace flashtok::internal {
namespace {

const BacktrackTables& tables_for(const RankTable& ranks, BacktrackBuffers& buffers) {
  if (buffers.table_id != ranks.id()) {
    buffers.tables = tables_of(ranks);
    buffers.table_id = ranks.id();
  }
  return *buffers.tables;
}

// The walk. `lookup` answers longest_prefix and compatible as `tables` do:
// the tables themselves, for a piece of digits their DigitTokens, for one of
// base64 or letters the tables with their short pairs.
template <typename Lookup>
bool backtrack(const BacktrackTables& tables, const Lookup& lookup, std::string_view piece, BacktrackBuffers& buffers) {
  std::vector<Rank>& tokens = buffers.tokens;
  std::vector<std::uint64_t>& dead = buffers.dead;
  tokens.clear();
  dead.assign(piece.size() / 64 + 1, 0);
  auto is_dead = [&dead](std::size_t offset) { return (dead[offset / 64] >> (offset % 64)) & 1; };

  std::size_t offset = 0;  // the bytes before it are the BPE of themselves: `tokens`
  Rank last = kNoRank;     // tokens.back(), or kNoRank
  Rank token = lookup.longest_prefix(piece);
  while (offset < piece.size()) {
    const std::size_t end = offset + tables.length(token);
    if (!is_dead(end) && (last == kNoRank || lookup.compatible(last, token))) {
      tokens.push_back(token);
      last = token;
      offset = end;
      token = lookup.longest_prefix(std::string_view(piece.data() + offset, piece.size() - offset));
      continue;
    }
    token = tables.next_prefix(token);
    if (token != kNoRank) continue;
    // Nothing fits after `last`: the BPE has no boundary here.
    if (last == kNoRank) return false;  // cannot happen for a usable vocabulary
    dead[offset / 64] |= std::uint64_t{1} << (offset % 64);
    tokens.pop_back();
    offset -= tables.length(last);
    token = last;  // tried again from its own offset, where it now ends at a dead one
    last = tokens.empty() ? kNoRank : tokens.back();
  }
  return true;
}

// The tables, with the bit kept for each pair of short tokens.
struct ShortPairLookup {
  const BacktrackTables& tables;
  const BitMatrix& pairs;  // tables.short_pairs()

  Rank longest_prefix(std::string_view text) const noexcept { return tables.longest_prefix(text); }
  bool compatible(Rank left, Rank right) const noexcept {
    const std::uint16_t left_short = tables.short_index(left);
    const std::uint16_t right_short = tables.short_index(right);
    if (left_short != BacktrackTables::kNotShort && right_short != BacktrackTables::kNotShort) {
      return pairs.get(left_short, right_short);
    }
    return tables.compatible(left, right);
  }
};

// Whether the piece looks like base64 or letters, by its 64 bytes after the
// first (patterns put a space or a sign before a word): its tokens are then
// mostly short ones. Only decides which lookup answers (both give the same
// answers), so a guess is enough.
bool looks_like_short_tokens(std::string_view piece) {
  if (piece.size() < 2) return false;
  for (const char c : piece.substr(1, 64)) {
    if (!is_base64_byte(c)) return false;
  }
  return true;
}

}  // namespace

bool encode_backtracking(const RankTable& ranks, std::string_view piece, BacktrackBuffers& buffers) {
  const BacktrackTables& tables = tables_for(ranks, buffers);
  if (!tables.usable()) return false;
  if (is_ascii_digits(piece)) {
    const DigitTokens& digits = tables.digit_tokens(ranks);
    if (digits.built()) return backtrack(tables, digits, piece, buffers);
  }
  if (looks_like_short_tokens(piece)) {
    return backtrack(tables, ShortPairLookup{tables, tables.short_pairs()}, piece, buffers);
  }
  return backtrack(tables, tables, piece, buffers);
}

}  // namespace flashtok::internal
