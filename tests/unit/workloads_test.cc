// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "flashtok/utf8_validity.h"
#include "flashtok/workloads/generator.h"
#include "flashtok/workloads/jsonl.h"
#include "flashtok/workloads/prng.h"

namespace flashtok::workloads {
namespace {

std::size_t total_bytes(const Workload& w) {
  std::size_t n = 0;
  for (const auto& r : w.requests) n += r.text.size() + r.prefix.size();
  return n;
}

TEST(SplitMix64, SequenceIsPinned) {
  SplitMix64 rng(0);
  EXPECT_EQ(rng.next(), 0xE220A8397B1DCDAFull);
  EXPECT_EQ(rng.next(), 0x6E789E6AA1B965F4ull);
  EXPECT_EQ(rng.next(), 0x06C45D188009454Full);
}

TEST(Workloads, SameSeedSameBytesOtherSeedOtherBytes) {
  for (const auto& info : workload_catalog()) {
    SCOPED_TRACE(info.name);
    const std::string a = to_jsonl(generate(info.name, 1).requests);
    EXPECT_EQ(a, to_jsonl(generate(info.name, 1).requests));
    EXPECT_NE(a, to_jsonl(generate(info.name, 2).requests));
  }
}

TEST(Workloads, AreValidUtf8AndScaleUpAndDown) {
  for (const auto& info : workload_catalog()) {
    SCOPED_TRACE(info.name);
    const Workload normal = generate(info.name, 7);
    ASSERT_FALSE(normal.requests.empty());
    for (const auto& r : normal.requests) {
      ASSERT_FALSE(first_invalid_utf8(r.text).has_value());
      ASSERT_FALSE(first_invalid_utf8(r.prefix).has_value());
    }
    EXPECT_LT(total_bytes(generate(info.name, 7, Size{1.0, true})), total_bytes(normal));
    EXPECT_GT(total_bytes(generate(info.name, 7, Size{2.0, false})), total_bytes(normal));
  }
}

TEST(Workloads, SizesMatchWhatTheyModel) {
  const Workload ide = generate("ide", 1);
  EXPECT_GE(ide.requests.front().prefix.size(), 100000u);  // tens of thousands of tokens of code
  EXPECT_GE(total_bytes(generate("mobile", 1)), 130000u);    // a history past 32K tokens
  EXPECT_GE(generate("voice", 1).requests.front().text.size(), 8000u);  // a 2-4K token system prompt
}

TEST(Workloads, SessionsHaveEditsAndOpaqueIds) {
  const Workload w = generate("sessions", 3);
  std::map<std::string, std::string> cached;  // what a session cache would hold
  bool saw_edit = false, saw_user = false, saw_assistant = false;
  for (const auto& r : w.requests) {
    saw_user |= r.session == "user";
    saw_assistant |= r.session == "assistant";
    std::string& text = cached[r.session];
    if (r.kind == RequestKind::kPrompt) {
      if (!text.empty() && r.text.compare(0, text.size(), text) != 0) saw_edit = true;
      text = r.text;
    } else {
      text += r.text;
    }
  }
  EXPECT_TRUE(saw_edit);
  EXPECT_TRUE(saw_user);
  EXPECT_TRUE(saw_assistant);
}

// Where one streamed append ends and the next begins, by the kind of cut.
struct StreamCuts {
  std::size_t mid_word = 0, mid_number = 0, mid_whitespace = 0, inside_grapheme = 0;
};

bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_white(char c) { return c == ' ' || c == '\n' || c == '\t'; }

StreamCuts classify_cuts(const Workload& w) {
  // What continues a character: a combining acute, ZWJ, VS16, a skin tone, a regional indicator.
  const std::vector<std::string> extenders = {"\u0301", "\u200D", "\uFE0F", "\U0001F3FD", "\U0001F1F5"};
  StreamCuts cuts;
  for (std::size_t i = 1; i < w.requests.size(); ++i) {
    const std::string &before = w.requests[i - 1].text, &after = w.requests[i].text;
    if (before.empty() || after.empty() || w.requests[i - 1].session != w.requests[i].session) continue;
    const char last = before.back(), next = after.front();
    cuts.mid_word += is_ascii_letter(last) && is_ascii_letter(next);
    cuts.mid_number += is_digit(last) && is_digit(next);
    cuts.mid_whitespace += is_white(last) && is_white(next);
    for (const auto& e : extenders) cuts.inside_grapheme += after.compare(0, e.size(), e) == 0;
  }
  return cuts;
}

// ide: beside the fixed-prefix requests, the editor's whole prompts, each
// with one line of the context's last few KB rewritten (an edit, not an append).
TEST(Workloads, IdePromptsEditTheContextNearTheCursor) {
  const Workload w = generate("ide", 3);
  const std::string& prefix = w.requests.front().prefix;
  std::vector<std::string> prompts;
  for (const auto& r : w.requests) {
    if (r.kind == RequestKind::kPrompt) prompts.push_back(r.text);
  }
  ASSERT_GE(prompts.size(), 50u);
  std::size_t inside_context = 0;
  for (std::size_t i = 1; i < prompts.size(); ++i) {
    const auto& a = prompts[i - 1];
    const auto& b = prompts[i];
    const std::size_t first_change =
        static_cast<std::size_t>(std::mismatch(a.begin(), a.end(), b.begin(), b.end()).first - a.begin());
    EXPECT_GE(first_change, prefix.size() - 4000);  // near the cursor, not at the start
    if (first_change < prefix.size() - 200) ++inside_context;
  }
  EXPECT_GE(inside_context, prompts.size() / 2);  // mostly edits inside the file, not at its end
}

TEST(Workloads, StreamIsCutMidWordMidNumberMidWhitespaceAndInsideGraphemes) {
  const Workload w = generate("stream", 5);
  for (const auto& r : w.requests) ASSERT_EQ(r.kind, RequestKind::kAppend);
  const StreamCuts cuts = classify_cuts(w);
  EXPECT_GE(cuts.mid_word, 50u);
  EXPECT_GE(cuts.mid_number, 10u);
  EXPECT_GE(cuts.mid_whitespace, 10u);
  EXPECT_GE(cuts.inside_grapheme, 10u);
}

// Streaming ASR: each partial prompt is the committed history plus the words
// heard so far; a later partial sometimes rewrites the last words of the one
// before, and each turn's last partial is what is then appended as final.
TEST(Workloads, VoicePartialTranscriptsReviseTheirTailAndEndAtTheFinalTurn) {
  const Workload w = generate("voice", 9);
  std::string previous, history;
  std::size_t revised = 0, grown = 0, finals = 0;
  for (const auto& r : w.requests) {
    if (r.kind == RequestKind::kPrompt) {
      ASSERT_EQ(r.text.compare(0, history.size(), history), 0) << "a partial must start with the history";
      const std::string heard = r.text.substr(history.size());
      if (!previous.empty()) {
        const std::size_t words = previous.size() - 11;  // without "\nAssistant:"
        (heard.compare(0, words, previous, 0, words) == 0 ? grown : revised)++;
      }
      previous = heard;
      continue;
    }
    ASSERT_EQ(r.kind, RequestKind::kAppend);
    if (!previous.empty()) {
      // The final turn is the last partial, give or take the trailing space the recognizer drops.
      std::string final_turn = r.text;
      while (final_turn.size() > 11 && final_turn[final_turn.size() - 12] == ' ') final_turn.erase(final_turn.size() - 12, 1);
      EXPECT_EQ(final_turn, previous);
      ++finals;
      previous.clear();
    }
    history += r.text;
  }
  EXPECT_GE(finals, 30u);
  EXPECT_GE(revised, 10u);  // a word cut short and then finished counts as grown
  EXPECT_GE(grown, 30u);
}

TEST(Workloads, UnknownNameListsTheKnownOnes) {
  try {
    generate("voic", 1);
    FAIL();
  } catch (const WorkloadError& e) {
    EXPECT_NE(std::string(e.what()).find("voice"), std::string::npos);
  }
}

TEST(Jsonl, RoundTripsEveryWorkloadAndNastyStrings) {
  for (const auto& info : workload_catalog()) {
    const Workload w = generate(info.name, 5, Size{1.0, true});
    EXPECT_EQ(parse_jsonl(to_jsonl(w.requests)), w.requests) << info.name;
  }
  const std::vector<Request> nasty = {
      {RequestKind::kAppend, "s\"1", {}, std::string("a\0b\r\n\u2028\u0085\xF0\x9F\x98\x80", 14)},
      {RequestKind::kPrompt, "user", {}, "\t\\"},
      {RequestKind::kOutput, "", {}, ""},
      {RequestKind::kFixedPrefix, {}, "P\n", "S"},
      {RequestKind::kText, {}, {}, "only text"},
  };
  EXPECT_EQ(parse_jsonl(to_jsonl(nasty)), nasty);
}

TEST(Jsonl, SkipsBlankLinesAndIgnoresOtherFields) {
  const auto requests = parse_jsonl("\n  \r\n{\"text\": \"x\", \"id\": 3}\n\n{\"session\": \"a\", \"append\": \"y\"}");
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].kind, RequestKind::kText);
  EXPECT_EQ(requests[1].session, "a");
}

TEST(Jsonl, ErrorsNameTheLine) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"{\"text\": \"ok\"}\n{not json}", "line 2: not valid JSON"},
      {"\n\n[1, 2]", "line 3: expected a JSON object"},
      {"{\"session\": \"a\"}", "line 1: needs one of"},
      {"{\"text\": \"a\", \"append\": \"b\", \"session\": \"s\"}", "line 1: has both"},
      {"{\"append\": \"b\"}", "line 1: \"append\" needs \"session\""},
      {"{\"session\": 5, \"prompt\": \"b\"}", "line 1: \"session\" must be a string"},
      {"{\"text\": \"\xFF\"}", "line 1: not valid JSON"},
      // nlohmann stops at a NUL: the rest of the line would be ignored.
      {std::string("{\"text\": \"a\"}\0{\"text\": \"b\", \"prompt\": \"c\"}", 42), "line 1: a NUL byte at column 14"},
      {"{\"text\": \"a\"} {\"text\": \"b\"}", "line 1: not valid JSON"},
      // The _b64 forms.
      {"{\"text\": \"ok\"}\n{\"text_b64\": \"YWJ\"}", "line 2: \"text_b64\" is not valid base64"},
      {"{\"session\": \"a\", \"prompt_b64\": \"Y=Jj\"}", "line 1: \"prompt_b64\" is not valid base64"},
      {"{\"session\": \"a\", \"output\": \"x\", \"output_b64\": \"YQ==\"}", "line 1: has both \"output\" and \"output_b64\""},
      {"{\"prefix\": \"p\", \"prefix_b64\": \"cA==\", \"suffix\": \"s\"}", "line 1: has both \"prefix\" and \"prefix_b64\""},
      {"{\"suffix_b64\": \"cw==\"}", "line 1: \"suffix\" needs \"prefix\""},
      {"{\"text_b64\": 5}", "line 1: \"text_b64\" must be a string"},
  };
  for (const auto& [content, message] : bad) {
    try {
      parse_jsonl(content);
      ADD_FAILURE() << "accepted: " << content;
    } catch (const WorkloadError& e) {
      EXPECT_EQ(std::string(e.what()).rfind(message, 0), 0u) << e.what();
    }
  }
}

// Bytes JSON cannot carry travel as base64 in the field's _b64 form, each
// field on its own: a dump gives back the same bytes.
TEST(Jsonl, TextsThatAreNotUtf8RoundTripAsBase64) {
  const std::vector<Request> raw = {
      {RequestKind::kPrompt, "s", {}, "caf\xC3x"},
      {RequestKind::kPrompt, "s", {}, "caf\xC3\xA9"},
      {RequestKind::kAppend, "s", {}, std::string("\xFF\0", 2)},
      {RequestKind::kOutput, "s", {}, "\xED\xA0\x80"},  // a surrogate
      {RequestKind::kFixedPrefix, {}, "ok prefix", "\xC0\xAF"},
      {RequestKind::kFixedPrefix, {}, "\x80", "ok suffix"},
      {RequestKind::kText, {}, {}, "\xF4\x90\x80\x80"},
  };
  const std::string jsonl = to_jsonl(raw);
  EXPECT_EQ(parse_jsonl(jsonl), raw);
  EXPECT_NE(jsonl.find("{\"prompt_b64\":\"Y2Fmw3g=\",\"session\":\"s\"}"), std::string::npos) << jsonl;
  EXPECT_NE(jsonl.find("{\"prompt\":\"caf\xC3\xA9\",\"session\":\"s\"}"), std::string::npos) << jsonl;
  EXPECT_NE(jsonl.find("{\"prefix\":\"ok prefix\",\"suffix_b64\":\"wK8=\"}"), std::string::npos) << jsonl;
  const auto requests = parse_jsonl(
      "{\"session\": \"a\", \"append_b64\": \"\"}\n{\"prefix_b64\": \"YQ==\", \"suffix\": \"b\"}\n"
      "{\"text_b64\": \"YWJj\"}");
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].text, "");
  EXPECT_EQ(requests[1].prefix, "a");
  EXPECT_EQ(requests[2].text, "abc");
}

}  // namespace
}  // namespace flashtok::workloads
