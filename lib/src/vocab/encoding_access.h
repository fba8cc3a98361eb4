// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_VOCAB_ENCODING_ACCESS_H_
#define FLASHTOK_SRC_VOCAB_ENCODING_ACCESS_H_

#include "flashtok/encoding.h"
#include "vocab/rank_table.h"

namespace flashtok::internal {

// What the library's layers above the vocabulary read of an Encoding that is
// not public API (a friend of Encoding).
struct EncodingAccess {
  static const RankTable& ranks(const Encoding& encoding) noexcept { return *encoding.ranks_; }
};

// The rank table of an encoding: what the merge looks tokens up in.
inline const RankTable& ranks_of(const Encoding& encoding) noexcept { return EncodingAccess::ranks(encoding); }

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_VOCAB_ENCODING_ACCESS_H_
