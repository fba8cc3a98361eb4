// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_VOCAB_TIKTOKEN_FILE_H_
#define FLASHTOK_SRC_VOCAB_TIKTOKEN_FILE_H_

#include <string>
#include <string_view>
#include <vector>

#include "vocab/rank_table.h"

namespace flashtok::internal {

// Parses tiktoken's rank file format: one `base64(token) SPACE rank` per line.
// Throws Error(kCorruptData) naming the first bad line (1-based): bad base64,
// a missing or non-decimal rank, an empty token. A final line without '\n'
// and '\r\n' line ends are accepted; blank lines are not (tiktoken rejects them).
// The tokens are returned as one buffer of their bytes and a span of it each,
// ready for RankTable, so loading allocates nothing per token.
struct ParsedRanks {
  std::string bytes;
  RankTable::SpanList spans;
};
ParsedRanks parse_tiktoken_ranks(std::string_view text);

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_VOCAB_TIKTOKEN_FILE_H_
