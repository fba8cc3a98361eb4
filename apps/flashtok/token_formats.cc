// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "token_formats.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <string_view>

#include "cli_support.h"

namespace flashtok::cli {

std::string format_ids(const std::vector<Rank>& ids) {
  std::string out;
  out.reserve(ids.size() * 6);
  for (const Rank id : ids) {
    out += std::to_string(id);
    out += '\n';
  }
  return out;
}

std::string format_u32(const std::vector<Rank>& ids) {
  std::string out(ids.size() * 4, '\0');
  for (std::size_t i = 0; i < ids.size(); ++i) {
    for (int b = 0; b < 4; ++b) out[4 * i + b] = static_cast<char>((ids[i] >> (8 * b)) & 0xFF);
  }
  return out;
}

std::vector<Rank> parse_ids_text(const std::string& text, std::size_t first_line) {
  std::vector<Rank> ids;
  std::size_t line = first_line;
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (c == '\n') ++line;
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',') {
      ++i;
      continue;
    }
    std::uint64_t value = 0;
    const std::size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9' && value <= 0xFFFFFFFFull) {
      value = value * 10 + static_cast<std::uint64_t>(text[i++] - '0');
    }
    if (i == start || value > 0xFFFFFFFEull ||
        (i < text.size() && std::string_view(" \t\r\n,").find(text[i]) == std::string_view::npos)) {
      const std::size_t word_end = text.find_first_of(" \t\r\n,", start);
      const std::string word = text.substr(start, std::min<std::size_t>(20, word_end - start));
      throw CommandError(fmt::format("line {}: expected a token id (a decimal number), found '{}'", line, word));
    }
    ids.push_back(static_cast<Rank>(value));
  }
  return ids;
}

std::vector<Rank> parse_ids_u32(const std::string& bytes) {
  if (bytes.size() % 4 != 0) {
    throw CommandError(fmt::format("u32 input has {} bytes, not a multiple of 4", bytes.size()));
  }
  std::vector<Rank> ids(bytes.size() / 4);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    Rank id = 0;
    for (int b = 3; b >= 0; --b) id = (id << 8) | static_cast<unsigned char>(bytes[4 * i + b]);
    ids[i] = id;
  }
  return ids;
}

}  // namespace flashtok::cli
