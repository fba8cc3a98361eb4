// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "unicode/char_class.h"

#include <array>
#include <iterator>
#include <map>
#include <memory>

namespace flashtok::unicode {
namespace {

#include "unicode/unicode_classes.inc"

template <std::size_t N>
void mark(std::vector<std::uint8_t>* flat, const CodepointRange (&ranges)[N], std::uint8_t bits) {
  for (const auto& r : ranges) {
    for (char32_t cp = r.first; cp <= r.last; ++cp) (*flat)[cp] |= bits;
  }
}

template <std::size_t N>
bool in(const CodepointRange (&ranges)[N], char32_t cp) {
  for (const auto& r : ranges) {
    if (cp >= r.first && cp <= r.last) return true;
  }
  return false;
}

template <std::size_t N>
std::vector<CodepointRange> to_vector(const CodepointRange (&ranges)[N]) {
  return std::vector<CodepointRange>(std::begin(ranges), std::end(ranges));
}

}  // namespace

ClassTable::ClassTable() {
  std::vector<std::uint8_t> flat(kMaxCodepoint + 1, 0);
  mark(&flat, kLetter, kIsLetter);
  mark(&flat, kUppercaseLetter, kIsUpper);
  mark(&flat, kTitlecaseLetter, kIsUpper);
  mark(&flat, kLowercaseLetter, kIsLower);
  mark(&flat, kModifierLetter, kIsOtherLetter);
  mark(&flat, kOtherLetter, kIsOtherLetter);
  mark(&flat, kMark, kIsMark);
  mark(&flat, kNumber, kIsNumber);
  mark(&flat, kWhiteSpace, kIsSpace);
  flat['\r'] |= kIsNewline;
  flat['\n'] |= kIsNewline;

  std::map<std::vector<std::uint8_t>, std::uint16_t> seen;
  for (std::size_t block = 0; block < kBlockCount; ++block) {
    std::vector<std::uint8_t> bytes(flat.begin() + block * kBlockSize, flat.begin() + (block + 1) * kBlockSize);
    auto [it, inserted] = seen.emplace(bytes, static_cast<std::uint16_t>(blocks_.size() / kBlockSize));
    if (inserted) blocks_.insert(blocks_.end(), bytes.begin(), bytes.end());
    index_[block] = it->second;
  }
}

const ClassTable& ClassTable::get() {
  static const ClassTable* table = new ClassTable();  // never destroyed: usable during exit
  return *table;
}

char contraction_letter(char32_t cp) noexcept {
  if (in(kFoldS, cp)) return 's';
  if (in(kFoldT, cp)) return 't';
  if (in(kFoldR, cp)) return 'r';
  if (in(kFoldE, cp)) return 'e';
  if (in(kFoldV, cp)) return 'v';
  if (in(kFoldM, cp)) return 'm';
  if (in(kFoldL, cp)) return 'l';
  if (in(kFoldD, cp)) return 'd';
  return 0;
}

std::vector<CodepointRange> ranges_of(NamedSet set) {
  switch (set) {
    case NamedSet::kLetter: return to_vector(kLetter);
    case NamedSet::kUppercase: return to_vector(kUppercaseLetter);
    case NamedSet::kTitlecase: return to_vector(kTitlecaseLetter);
    case NamedSet::kLowercase: return to_vector(kLowercaseLetter);
    case NamedSet::kModifier: return to_vector(kModifierLetter);
    case NamedSet::kOtherLetter: return to_vector(kOtherLetter);
    case NamedSet::kMark: return to_vector(kMark);
    case NamedSet::kNumber: return to_vector(kNumber);
    case NamedSet::kWhiteSpace: return to_vector(kWhiteSpace);
  }
  return {};
}

}  // namespace flashtok::unicode
