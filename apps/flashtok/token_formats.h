// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_APPS_TOKEN_FORMATS_H_
#define FLASHTOK_APPS_TOKEN_FORMATS_H_

#include <string>
#include <vector>

#include "flashtok/encoder.h"

namespace flashtok::cli {

// The two ways encode writes token ids and decode reads them (docs/CLI.md):
// "ids", decimal, one per line; "u32", four little-endian bytes each.
std::string format_ids(const std::vector<Rank>& ids);
std::string format_u32(const std::vector<Rank>& ids);

// Decimal ids separated by whitespace or commas. Throws CommandError naming
// the line of the first word that is not an id (text's first line is
// first_line: decode --stream parses one line at a time).
std::vector<Rank> parse_ids_text(const std::string& text, std::size_t first_line = 1);
// Throws CommandError when the size is not a multiple of 4.
std::vector<Rank> parse_ids_u32(const std::string& bytes);

}  // namespace flashtok::cli

#endif  // FLASHTOK_APPS_TOKEN_FORMATS_H_
