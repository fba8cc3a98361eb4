// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "tiktoken_file.h"

#include "flashtok/error.h"

namespace flashtok::internal {
namespace {

// base64 digit values; -1 for any other byte.
struct Base64Digits {
  signed char value[256];
  constexpr Base64Digits() : value() {
    for (int c = 0; c < 256; ++c) value[c] = -1;
    for (int i = 0; i < 26; ++i) {
      value['A' + i] = static_cast<signed char>(i);
      value['a' + i] = static_cast<signed char>(26 + i);
    }
    for (int i = 0; i < 10; ++i) value['0' + i] = static_cast<signed char>(52 + i);
    value['+'] = 62;
    value['/'] = 63;
  }
};
constexpr Base64Digits kBase64;

// Appends the bytes of standard base64 with '=' padding, as tiktoken writes
// it, to *out. False (and *out unchanged) if malformed.
bool decode_base64(std::string_view in, std::string* out) {
  if (in.empty() || in.size() % 4 != 0) return false;
  std::size_t padding = 0;
  if (in.back() == '=') padding = (in[in.size() - 2] == '=') ? 2 : 1;
  const std::size_t start = out->size();
  out->resize(start + in.size() / 4 * 3);
  char* dst = out->data() + start;
  for (std::size_t i = 0; i < in.size(); i += 4) {
    std::uint32_t quad = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      const auto c = static_cast<unsigned char>(in[i + j]);
      const bool is_pad = i + j >= in.size() - padding;
      const int v = is_pad ? (c == '=' ? 0 : -1) : kBase64.value[c];
      if (v < 0) {
        out->resize(start);
        return false;
      }
      quad = (quad << 6) | static_cast<std::uint32_t>(v);
    }
    *dst++ = static_cast<char>(quad >> 16);
    *dst++ = static_cast<char>((quad >> 8) & 0xFF);
    *dst++ = static_cast<char>(quad & 0xFF);
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

ParsedRanks parse_tiktoken_ranks(std::string_view text) {
  ParsedRanks parsed;
  parsed.bytes.reserve(text.size() / 2);  // base64 is 4/3 of the bytes, plus the ranks
  parsed.spans.reserve(text.size() / 12);
  std::size_t line_number = 0;
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
    const std::size_t offset = parsed.bytes.size();
    if (!decode_base64(line.substr(0, space), &parsed.bytes)) bad_line(line_number, "the token is not valid base64");
    const std::size_t length = parsed.bytes.size() - offset;
    if (length == 0) bad_line(line_number, "the token is empty");
    if (length > 0xFFFF) bad_line(line_number, "the token is longer than 65535 bytes");
    parsed.spans.push_back(RankTable::Span{static_cast<std::uint32_t>(offset), static_cast<std::uint32_t>(length), rank});
  }
  return parsed;
}

}  // namespace flashtok::internal
