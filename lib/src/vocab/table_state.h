// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_VOCAB_TABLE_STATE_H_
#define FLASHTOK_SRC_VOCAB_TABLE_STATE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

namespace flashtok::internal {

// State derived from a rank table that layers above the vocabulary build on
// first use (the long-piece encoder's tables, bpe/backtrack_tables.h), kept
// beside the table without the table knowing its type: built once per table
// id by the first caller (others wait), then shared by every thread until
// forget_table_state, which the Encoding owning the table calls when it is
// destroyed. One state per table. Thread-safe.
struct BuiltTableState {
  std::shared_ptr<const void> state;
  // The heap bytes it holds, for Encoding::memory_bytes(): asked each time,
  // so that parts the state builds later count once built. Thread-safe.
  std::function<std::size_t()> bytes;
};
std::shared_ptr<const void> table_state(std::uint64_t table_id, const std::function<BuiltTableState()>& build);
// The bytes of the table's state once built (0 before, or after forget_table_state).
std::size_t table_state_bytes(std::uint64_t table_id);
void forget_table_state(std::uint64_t table_id);

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_VOCAB_TABLE_STATE_H_
