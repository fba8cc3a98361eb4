// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "encoder/utf8_replace.h"

#include "unicode/utf8.h"

namespace flashtok::internal {
namespace {

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";

// Bytes to skip after an invalid sequence at s[pos]: its maximal valid-looking
// prefix, so "\xE4\xB8" (a truncated CJK char) becomes one U+FFFD, like Python's
// errors="replace" that tiktoken's decode uses.
std::size_t invalid_sequence_length(const unsigned char* s, std::size_t n, std::size_t pos) {
  const unsigned b0 = s[pos];
  std::size_t expect = b0 >= 0xF0 && b0 <= 0xF4 ? 4 : b0 >= 0xE0 && b0 <= 0xEF ? 3 : b0 >= 0xC2 && b0 <= 0xDF ? 2 : 1;
  unsigned lo = b0 == 0xE0 ? 0xA0 : b0 == 0xF0 ? 0x90 : 0x80;
  unsigned hi = b0 == 0xED ? 0x9F : b0 == 0xF4 ? 0x8F : 0xBF;
  std::size_t len = 1;
  while (len < expect && pos + len < n && s[pos + len] >= lo && s[pos + len] <= hi) {
    ++len;
    lo = 0x80;
    hi = 0xBF;
  }
  return len;
}

// The one walk both functions share: valid characters are copied, each
// invalid sequence goes to on_invalid(pos, len), and a sequence cut short by
// the end stops the walk when held. Returns the bytes consumed.
template <typename OnInvalid>
std::size_t walk(std::string_view bytes, CutTail tail, std::string* out, OnInvalid on_invalid) {
  const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  std::size_t pos = 0;
  while (pos < n) {
    const unicode::DecodedChar c = unicode::decode_utf8(s, n, pos);
    if (c.cp != unicode::kInvalidByte) {
      out->append(bytes.data() + pos, c.len);
      pos += c.len;
      continue;
    }
    // The decoder looked past the end: the bytes so far begin a valid
    // sequence, and what follows decides whether it is one.
    if (tail == CutTail::kHold && pos + c.read > n) break;
    const std::size_t len = invalid_sequence_length(s, n, pos);
    on_invalid(pos, len);
    pos += len;
  }
  return pos;
}

}  // namespace

std::size_t append_replacing_invalid(std::string_view bytes, CutTail tail, std::string* out) {
  return walk(bytes, tail, out, [out](std::size_t, std::size_t) { out->append(kReplacementCharacter); });
}

std::size_t append_holding_cut_tail(std::string_view bytes, std::string* out) {
  return walk(bytes, CutTail::kHold, out,
              [out, bytes](std::size_t pos, std::size_t len) { out->append(bytes.data() + pos, len); });
}

}  // namespace flashtok::internal
