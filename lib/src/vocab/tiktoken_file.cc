// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "vocab/tiktoken_file.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>

#include "util/base64.h"
#include "flashtok/error.h"
#include "util/huge_page_allocator.h"

namespace flashtok::internal {
namespace {

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
