// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_PRETOKENIZER_REGEX_PATTERN_H_
#define FLASHTOK_SRC_PRETOKENIZER_REGEX_PATTERN_H_

#include <string>
#include <string_view>
#include <vector>

namespace flashtok::internal {

// A tiktoken pattern (Rust regex / fancy-regex syntax) turned into RE2 syntax,
// one top-level alternative at a time.
//
// RE2 differs from tiktoken's engine in three ways that change pieces, and the
// rewrite removes each: `\s` is ASCII-only in RE2 (rewritten to the explicit
// Unicode White_Space set); RE2's \p{L}/\p{N}/... tables are an older Unicode
// (rewritten to the sets extracted from tiktoken); and RE2 has no lookahead
// (the alternative `\s+(?!\S)` becomes `\s+`, flagged, and the regex
// pretokenizer applies the lookahead itself). Other lookarounds, and \d \w \b,
// whose Unicode meaning RE2 does not share, are refused with kUnsupportedPattern.
struct Re2Pattern {
  std::vector<std::string> alternatives;
  std::vector<bool> is_whitespace_lookahead;  // the alternative was `\s+(?!\S)`
};

Re2Pattern rewrite_for_re2(std::string_view pattern);

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_PRETOKENIZER_REGEX_PATTERN_H_
