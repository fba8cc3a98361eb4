// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// The encoder against token ids written by real tiktoken (tests/oracle/).
#include <gtest/gtest.h>

#include <sstream>

#include "test_support.h"

namespace flashtok::testing {
namespace {

std::vector<Rank> read_ids(const std::string& relative) {
  std::istringstream in(read_test_file(relative));
  std::vector<Rank> ids;
  for (Rank id; in >> id;) ids.push_back(id);
  return ids;
}

class GoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenTest, EncodeOrdinaryMatchesTiktokenOnEveryText) {
  const Encoder& encoder = encoder_for(GetParam());
  const auto names = golden_text_names();
  ASSERT_GE(names.size(), 20u) << "the golden texts are missing; run tests/oracle/make_golden.sh";
  for (const auto& name : names) {
    SCOPED_TRACE(name);
    const std::string text = read_test_file("golden/texts/" + name + ".txt");
    const std::vector<Rank> expected = read_ids("golden/ids/" + GetParam() + "/" + name + ".ids");
    const std::vector<Rank> got = encoder.encode_ordinary(text);
    ASSERT_EQ(got.size(), expected.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      ASSERT_EQ(got[i], expected[i]) << "first difference at token " << i;
    }
    EXPECT_EQ(encoder.count(text), expected.size());
    EXPECT_EQ(encoder.decode_bytes(expected), text);
  }
}

TEST_P(GoldenTest, RegexPathMatchesTiktokenOnEveryText) {
  const Encoder& encoder = regex_encoder_for(GetParam());
  for (const auto& name : golden_text_names()) {
    SCOPED_TRACE(name);
    const std::string text = read_test_file("golden/texts/" + name + ".txt");
    EXPECT_EQ(encoder.encode_ordinary(text), read_ids("golden/ids/" + GetParam() + "/" + name + ".ids"));
  }
}

INSTANTIATE_TEST_SUITE_P(AllEncodings, GoldenTest, ::testing::ValuesIn(all_encodings()));

}  // namespace
}  // namespace flashtok::testing
