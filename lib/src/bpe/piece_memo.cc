// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "bpe/piece_memo.h"

#include <cstring>

namespace flashtok::internal {

const Rank* PieceMemo::find(std::uint64_t table_id, std::string_view piece, std::uint64_t hash,
                            std::size_t* count) const noexcept {
  if (piece.size() > kMaxBytes) return nullptr;
  const Entry& e = entries_[slot_of_hash(hash)];
  if (e.table_id != table_id || e.length != piece.size() || std::memcmp(e.bytes, piece.data(), piece.size()) != 0) {
    return nullptr;
  }
  *count = e.count;
  return e.ids;
}

void PieceMemo::remember(std::uint64_t table_id, std::string_view piece, std::uint64_t hash, const Rank* ids,
                         std::size_t count) noexcept {
  if (piece.size() > kMaxBytes || count > kMaxIds) return;
  Entry& e = entries_[slot_of_hash(hash)];
  e.table_id = table_id;
  e.length = static_cast<std::uint8_t>(piece.size());
  e.count = static_cast<std::uint8_t>(count);
  std::memcpy(e.bytes, piece.data(), piece.size());
  std::memcpy(e.ids, ids, count * sizeof(Rank));
}

}  // namespace flashtok::internal
