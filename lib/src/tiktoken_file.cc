// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "tiktoken_file.h"


#include "flashtok/error.h"

namespace flashtok::internal {
namespace {

int base64_value(unsigned char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Standard base64 with '=' padding, as tiktoken writes it. False if malformed.
bool decode_base64(std::string_view in, std::string* out) {
  if (in.empty() || in.size() % 4 != 0) return false;
  out->clear();
  std::size_t padding = 0;
  if (in.back() == '=') padding = (in[in.size() - 2] == '=') ? 2 : 1;
  for (std::size_t i = 0; i < in.size(); i += 4) {
    std::uint32_t quad = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      const bool is_pad = i + j >= in.size() - padding;
      const int v = is_pad ? (in[i + j] == '=' ? 0 : -1) : base64_value(in[i + j]);
      if (v < 0) return false;
      quad = (quad << 6) | static_cast<std::uint32_t>(v);
    }
    out->push_back(static_cast<char>(quad >> 16));
    out->push_back(static_cast<char>((quad >> 8) & 0xFF));
    out->push_back(static_cast<char>(quad & 0xFF));
  }
  out->resize(out->size() - padding);
  return true;
}

bool parse_rank(std::string_view s, Rank* rank) {
  if (s.empty() || s.size() > 10) return false;
  std::uint64_t value = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (value >= kNoRank) return false;
  *rank = static_cast<Rank>(value);
  return true;
}

[[noreturn]] void bad_line(std::size_t line_number, const std::string& what) {
  throw Error(ErrorCode::kCorruptData, "rank file line " + std::to_string(line_number) + ": " + what);
}

}  // namespace

std::vector<std::pair<std::string, Rank>> parse_tiktoken_ranks(std::string_view text) {
  std::vector<std::pair<std::string, Rank>> tokens;
  tokens.reserve(text.size() / 12);
  std::size_t line_number = 0;
  std::string bytes;
  while (!text.empty()) {
    ++line_number;
    const std::size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::size_t space = line.find(' ');
    if (space == std::string_view::npos) bad_line(line_number, "expected `base64 rank`");
    Rank rank = 0;
    if (!parse_rank(line.substr(space + 1), &rank)) bad_line(line_number, "the rank is not a decimal number below 2^32-1");
    if (!decode_base64(line.substr(0, space), &bytes)) bad_line(line_number, "the token is not valid base64");
    if (bytes.empty()) bad_line(line_number, "the token is empty");
    tokens.emplace_back(bytes, rank);
  }
  return tokens;
}

}  // namespace flashtok::internal
