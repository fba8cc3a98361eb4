// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "pretokenizer/scan_text.h"

namespace flashtok::internal {
namespace {

std::array<std::uint8_t, 128> make_ascii_class() {
  std::array<std::uint8_t, 128> table{};
  for (char32_t cp = 0; cp < 128; ++cp) table[cp] = unicode::classify(cp);
  return table;
}

char contraction_letter(const Char& c, bool fold_case) {
  if (c.len == 0) return 0;
  if (fold_case) return unicode::contraction_letter(c.cp);
  switch (c.cp) {
    case 's': case 't': case 'r': case 'e': case 'v': case 'm': case 'l': case 'd':
      return static_cast<char>(c.cp);
    default:
      return 0;
  }
}

}  // namespace

const std::array<std::uint8_t, 128> kAsciiClass = make_ascii_class();

template <Reach kReach>
Char ScanText<kReach>::at_slow(std::size_t pos) {
  if (pos >= n_) {
    record_reach(n_ + 1);
    return Char{0, 0, 0};
  }
  const unicode::DecodedChar d = unicode::decode_utf8(s_, n_, pos);
  // Every byte the decoder looked at, not just the character's own: an
  // invalid lead byte becomes valid when the byte after it changes.
  record_reach(pos + d.read);
  return Char{d.cp, d.len, d.cp == unicode::kInvalidByte ? std::uint8_t{0} : classes_(d.cp)};
}

template <Reach kReach>
std::size_t match_contraction(ScanText<kReach>& t, std::size_t pos, bool fold_case) {
  if (t.at(pos).cp != '\'') return 0;
  const Char c1 = t.at(pos + 1);
  const char first = contraction_letter(c1, fold_case);
  std::size_t end = pos + 1 + c1.len;
  switch (first) {
    case 's': case 't': case 'm': case 'd':
      return end;
    case 'r': case 'v': case 'l': {
      const Char c2 = t.at(end);
      const char want = first == 'l' ? 'l' : 'e';  // 're 've 'll
      return contraction_letter(c2, fold_case) == want ? end + c2.len : 0;
    }
    default:
      return 0;
  }
}

// The two kinds of scan every scanner instantiates.
template class ScanText<Reach::kTracked>;
template class ScanText<Reach::kIgnored>;
template std::size_t match_contraction(ScanText<Reach::kTracked>& t, std::size_t pos, bool fold_case);
template std::size_t match_contraction(ScanText<Reach::kIgnored>& t, std::size_t pos, bool fold_case);

}  // namespace flashtok::internal
