// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// The encoder against token ids written by real tiktoken (tests/oracle/).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "test_support.h"

namespace flashtok::testing {
namespace {

struct GoldenCase {
  std::string name;
  std::string text;
  std::vector<Rank> ids;
};

// tests/golden/golden.jsonl, the lines of one encoding.
std::vector<GoldenCase> golden_cases(const std::string& encoding) {
  std::istringstream lines(read_test_file("golden/golden.jsonl"));
  std::vector<GoldenCase> cases;
  for (std::string line; std::getline(lines, line);) {
    const auto json = nlohmann::json::parse(line);
    if (json.at("encoding") != encoding) continue;
    cases.push_back({json.at("name"), json.at("text"), json.at("ids").get<std::vector<Rank>>()});
  }
  return cases;
}

class GoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenTest, CoversEveryTextFile) {
  const auto cases = golden_cases(GetParam());
  ASSERT_EQ(cases.size(), golden_text_names().size()) << "run tests/oracle/make_golden.sh";
  ASSERT_GE(cases.size(), 30u);
  for (const auto& c : cases) EXPECT_EQ(c.text, read_test_file("golden/texts/" + c.name + ".txt")) << c.name;
}

TEST_P(GoldenTest, EncodeOrdinaryMatchesTiktokenOnEveryText) {
  const Encoder& encoder = encoder_for(GetParam());
  for (const auto& c : golden_cases(GetParam())) {
    SCOPED_TRACE(c.name);
    const std::vector<Rank> got = encoder.encode_ordinary(c.text);
    ASSERT_EQ(got.size(), c.ids.size());
    for (std::size_t i = 0; i < got.size(); ++i) ASSERT_EQ(got[i], c.ids[i]) << "first difference at token " << i;
    EXPECT_EQ(encoder.count(c.text), c.ids.size());
    EXPECT_EQ(encoder.decode_bytes(c.ids), c.text);
  }
}

TEST_P(GoldenTest, RegexPathMatchesTiktokenOnEveryText) {
  const Encoder& encoder = regex_encoder_for(GetParam());
  for (const auto& c : golden_cases(GetParam())) EXPECT_EQ(encoder.encode_ordinary(c.text), c.ids) << c.name;
}

INSTANTIATE_TEST_SUITE_P(AllEncodings, GoldenTest, ::testing::ValuesIn(all_encodings()));

}  // namespace
}  // namespace flashtok::testing
