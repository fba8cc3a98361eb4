// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "text_table.h"

#include <algorithm>

#include "flashtok/utf8_validity.h"

namespace flashtok::cli {
namespace {

// Characters of UTF-8 text: bytes that do not continue a sequence.
std::size_t width(const std::string& text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return !is_utf8_continuation(static_cast<unsigned char>(c)); }));
}

std::string padded(const std::string& cell, std::size_t to, bool left) {
  const std::string pad(to - std::min(to, width(cell)), ' ');
  return left ? cell + pad : pad + cell;
}

std::string line(const std::vector<std::string>& cells, const std::vector<std::size_t>& widths,
                 std::size_t text_columns) {
  std::string out;
  for (std::size_t i = 0; i < widths.size(); ++i) {
    out += (i ? "  " : "") + padded(i < cells.size() ? cells[i] : "", widths[i], i < text_columns);
  }
  out.erase(out.find_last_not_of(' ') + 1);
  return out + "\n";
}

}  // namespace

std::string text_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                       std::size_t text_columns) {
  std::vector<std::size_t> widths(header.size());
  for (std::size_t i = 0; i < header.size(); ++i) widths[i] = width(header[i]);
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) widths[i] = std::max(widths[i], width(row[i]));
  }
  std::string rule;
  for (std::size_t i = 0; i < widths.size(); ++i) rule += (i ? "  " : "") + std::string(widths[i], '-');
  rule.erase(rule.find_last_not_of(' ') + 1);  // an empty last column has no rule
  std::string out = line(header, widths, text_columns) + rule + "\n";
  for (const auto& row : rows) out += line(row, widths, text_columns);
  return out;
}

}  // namespace flashtok::cli
