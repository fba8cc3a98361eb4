// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "vocab/tiktoken_file.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>

#include "flashtok/error.h"
#include "util/huge_page_allocator.h"

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
    value[static_cast<unsigned char>('+')] = 62;
    value[static_cast<unsigned char>('/')] = 63;
  }
};
constexpr Base64Digits kBase64;

// Decodes standard base64 with '=' padding, as tiktoken writes it, to dst
// (room for in.size() / 4 * 3 bytes). Returns the number of bytes, or -1 if
// malformed. Straight-line per quad: this runs 200,000 times per load.
std::ptrdiff_t decode_base64(std::string_view in, char* dst) {
  if (in.empty() || in.size() % 4 != 0) return -1;
  std::size_t padding = 0;
  if (in.back() == '=') padding = (in[in.size() - 2] == '=') ? 2 : 1;
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  const std::size_t quads = in.size() / 4;
  for (std::size_t q = 0; q < quads; ++q, p += 4) {
    int v[4];
    for (int j = 0; j < 4; ++j) v[j] = kBase64.value[p[j]];
    if (q + 1 == quads) {  // '=' only here, and only as padding
      if (padding >= 1) v[3] = p[3] == '=' ? 0 : -1;
      if (padding == 2) v[2] = p[2] == '=' ? 0 : -1;
    }
    if ((v[0] | v[1] | v[2] | v[3]) < 0) return -1;
    const auto quad = static_cast<std::uint32_t>(v[0] << 18 | v[1] << 12 | v[2] << 6 | v[3]);
    dst[3 * q] = static_cast<char>(quad >> 16);
    dst[3 * q + 1] = static_cast<char>((quad >> 8) & 0xFF);
    dst[3 * q + 2] = static_cast<char>(quad & 0xFF);
  }
  return static_cast<std::ptrdiff_t>(quads * 3 - padding);
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
  // base64 is 4/3 of its bytes, so the decoded tokens need at most 3/4 of
  // the text. Left uninitialized: zeroing megabytes only to overwrite them
  // costs page faults, the larger part of a load.
  const std::size_t capacity = text.size() / 4 * 3 + 3;
  // Token offsets are 32-bit; real rank files are a few megabytes.
  if (capacity > std::numeric_limits<std::uint32_t>::max()) {
    throw Error(ErrorCode::kCorruptData, "the rank file is " + std::to_string(text.size()) +
                                             " bytes: its tokens would not fit 32-bit offsets (at most ~5.7 GB)");
  }
  const std::unique_ptr<char, std::function<void(char*)>> buffer(
      static_cast<char*>(allocate_maybe_huge(capacity)), [capacity](char* p) { free_maybe_huge(p, capacity); });
  parsed.spans.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1);
  std::size_t used = 0;
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
    const std::ptrdiff_t length = decode_base64(line.substr(0, space), buffer.get() + used);
    if (length < 0) bad_line(line_number, "the token is not valid base64");
    if (length == 0) bad_line(line_number, "the token is empty");
    if (length > 0xFFFF) bad_line(line_number, "the token is longer than 65535 bytes");
    parsed.spans.push_back(RankTable::Span{static_cast<std::uint32_t>(used), static_cast<std::uint32_t>(length), rank});
    used += static_cast<std::size_t>(length);
  }
  parsed.bytes.assign(buffer.get(), used);
  return parsed;
}

}  // namespace flashtok::internal
