// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_RANK_H_
#define FLASHTOK_RANK_H_

#include <cstdint>

namespace flashtok {

// A token id. For BPE, the id of a token is also its merge priority (rank):
// lower ranks merge first.
using Rank = std::uint32_t;
// No token: what Encoding::rank_of returns for bytes that are not one.
inline constexpr Rank kNoRank = 0xFFFFFFFFu;

}  // namespace flashtok

#endif  // FLASHTOK_RANK_H_
