// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "pretokenizer/run_classes.h"

#include "unicode/char_class.h"
#include "unicode/utf8.h"

namespace flashtok::internal {
namespace {

// The bytes a rule or ScanText compares by value: a space (the optional
// space before a word, skip_byte_run), the apostrophe of contractions, the
// newlines of `[\r\n]*` and the '/' of o200k's `[\r\n/]*`.
constexpr std::string_view kComparedByValue = " '\r\n/";

bool compared_by_value(int byte) { return kComparedByValue.find(static_cast<char>(byte)) != std::string_view::npos; }

}  // namespace

RunClasses RunClasses::of_loop_bits(std::uint8_t loop_bits) {
  RunClasses classes;
  classes.loop_bits_ = loop_bits;
  classes.multi_byte_runs_ = true;
  for (int b = 0; b < 128; ++b) {
    classes.ascii_[b] = static_cast<std::uint8_t>(b);
    if (compared_by_value(b)) continue;
    for (int c = 0; c < b; ++c) {  // the smallest byte of b's class
      if (!compared_by_value(c) && (unicode::classify(c) & loop_bits) == (unicode::classify(b) & loop_bits)) {
        classes.ascii_[b] = static_cast<std::uint8_t>(c);
        break;
      }
    }
  }
  return classes;
}

RunClasses RunClasses::each_byte_alone() {
  RunClasses classes;
  for (int b = 0; b < 128; ++b) classes.ascii_[b] = static_cast<std::uint8_t>(b);
  return classes;
}

RunChar RunClasses::multi_byte_at(std::string_view text, std::size_t pos) const noexcept {
  if (pos >= text.size() || !multi_byte_runs_) return {0, 0};
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const unicode::DecodedChar d = unicode::decode_utf8(s, text.size(), pos);
  if (d.cp == unicode::kInvalidByte) return {0, 0};
  // Above every ASCII class: the length, then the bits the loops test.
  return {(d.len << 8) | (unicode::classify(d.cp) & loop_bits_), d.len};
}

RunChar RunClasses::multi_byte_before(std::string_view text, std::size_t from, std::size_t end) const noexcept {
  // The last character starts at the last byte that is no continuation byte
  // (at most three back); it ends at `end` only if it is that long.
  std::size_t lead = end;
  while (lead > from && end - lead < 3 && is_utf8_continuation(static_cast<unsigned char>(text[lead - 1]))) --lead;
  if (lead == from) return {0, 0};
  const RunChar c = at(text, lead - 1);
  return c.len == end - (lead - 1) ? c : RunChar{0, 0};
}

std::size_t RunClasses::multi_byte_end_of_run(std::string_view text, std::size_t pos, std::uint32_t cls) const noexcept {
  for (RunChar c = at(text, pos); c.len != 0 && c.cls == cls; c = at(text, pos)) pos += c.len;
  return pos;
}

std::size_t RunClasses::start_of_run(std::string_view text, std::size_t from, std::size_t end,
                                     std::uint32_t cls) const noexcept {
  if (cls < 0x80) {
    while (end > from && static_cast<unsigned char>(text[end - 1]) < 0x80 &&
           ascii_[static_cast<unsigned char>(text[end - 1])] == cls) {
      --end;
    }
    return end;
  }
  for (RunChar c = before(text, from, end); c.len != 0 && c.cls == cls; c = before(text, from, end)) end -= c.len;
  return end;
}

}  // namespace flashtok::internal
