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
// the tables themselves, or for a piece of digits their DigitTokens.
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

}  // namespace

bool encode_backtracking(const RankTable& ranks, std::string_view piece, BacktrackBuffers& buffers) {
  const BacktrackTables& tables = tables_for(ranks, buffers);
  if (!tables.usable()) return false;
  const DigitTokens& digits = tables.digit_tokens();
  if (digits.built() && is_ascii_digits(piece)) return backtrack(tables, digits, piece, buffers);
  return backtrack(tables, tables, piece, buffers);
}

}  // namespace flashtok::internal
