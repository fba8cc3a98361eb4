// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "bpe/piece_memo.h"

#include <cstring>

namespace flashtok::internal {

template <std::size_t Bytes, std::size_t Ids>
bool PieceMemo::Entry<Bytes, Ids>::holds(std::uint64_t table, std::string_view piece) const noexcept {
  return table_id == table && length == piece.size() && equal_bytes(bytes, piece.data(), piece.size());
}

const Rank* PieceMemo::find(std::uint64_t table_id, std::string_view piece, std::uint64_t hash,
                            std::size_t* count) const noexcept {
  if (piece.size() <= kLineBytes) {
    const LineEntry& e = entries_[slot_of(hash)];
    if (!e.holds(table_id, piece)) return nullptr;
    if (e.count != kInLongTier) {
      *count = e.count;
      return e.ids;
    }
  } else if (piece.size() > kMaxBytes) {
    return nullptr;
  }
  // A long piece, or a short one with many ids. Its entry may since have
  // been taken by another piece: the bytes are checked again.
  const LongEntry& e = long_entries_[long_slot_of(hash)];
  if (!e.holds(table_id, piece)) return nullptr;
  *count = e.count;
  return e.ids;
}

void PieceMemo::remember(std::uint64_t table_id, std::string_view piece, std::uint64_t hash, const Rank* ids,
                         std::size_t count) noexcept {
  if (piece.size() > kMaxBytes || count > kMaxIds) return;
  const bool in_line = count <= kLineIds;
  if (piece.size() <= kLineBytes) {
    LineEntry& e = entries_[slot_of(hash)];
    e.table_id = table_id;
    e.length = static_cast<std::uint8_t>(piece.size());
    e.count = in_line ? static_cast<std::uint8_t>(count) : kInLongTier;
    std::memcpy(e.bytes, piece.data(), piece.size());
    if (in_line) {
      std::memcpy(e.ids, ids, count * sizeof(Rank));
      return;
    }
  }
  LongEntry& e = long_entries_[long_slot_of(hash)];
  e.table_id = table_id;
  e.length = static_cast<std::uint8_t>(piece.size());
  e.count = static_cast<std::uint8_t>(count);
  std::memcpy(e.bytes, piece.data(), piece.size());
  std::memcpy(e.ids, ids, count * sizeof(Rank));
}

}  // namespace flashtok::internal
