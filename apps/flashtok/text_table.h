// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_APPS_TEXT_TABLE_H_
#define FLASHTOK_APPS_TEXT_TABLE_H_

#include <string>
#include <vector>

namespace flashtok::cli {

// A table for the terminal: columns padded to their widest cell (counted in
// characters, not bytes), the first `text_columns` left-aligned and the
// others (numbers) right-aligned, a rule under the header. Plain text: no
// escape codes.
std::string text_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                       std::size_t text_columns = 1);

}  // namespace flashtok::cli

#endif  // FLASHTOK_APPS_TEXT_TABLE_H_
