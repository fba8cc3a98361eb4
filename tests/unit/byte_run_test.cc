// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// util/byte_run.h against byte-at-a-time loops: every start of every text of
// two bytes (so that runs end in every byte of a word and at the text's end).
#include "util/byte_run.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace flashtok::testing {
namespace {

std::size_t end_of_run_one_by_one(const std::string& s, std::size_t pos, unsigned char byte) {
  while (pos < s.size() && static_cast<unsigned char>(s[pos]) == byte) ++pos;
  return pos;
}

TEST(ByteRunScan, EndOfByteRunIsWhereTheFirstOtherByteIs) {
  std::mt19937_64 rng(20261203);
  for (int round = 0; round < 3000; ++round) {
    std::string s(rng() % 40, ' ');
    const unsigned char other = round % 2 ? 'a' : 0x80 + rng() % 128;  // a letter, or a byte with the high bit
    for (char& c : s) {
      if (rng() % 8 == 0) c = static_cast<char>(other);
    }
    for (std::size_t pos = 0; pos <= s.size(); ++pos) {
      ASSERT_EQ(internal::end_of_byte_run(s.data(), pos, s.size(), ' '), end_of_run_one_by_one(s, pos, ' '))
          << "pos " << pos << " of \"" << s << "\"";
      ASSERT_EQ(internal::end_of_byte_run(s.data(), pos, s.size(), other), end_of_run_one_by_one(s, pos, other));
    }
  }
}

TEST(ByteRunScan, IsByteRunSaysWhetherEveryByteIsTheFirst) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 3000; ++round) {
    std::string s(1 + rng() % 40, '-');
    if (round % 2) s[rng() % s.size()] = 'x';
    const bool expected = end_of_run_one_by_one(s, 0, static_cast<unsigned char>(s[0])) == s.size();
    ASSERT_EQ(internal::is_byte_run(s.data(), s.size()), expected) << s;
  }
}

}  // namespace
}  // namespace flashtok::testing
