// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// Shared prefixes: ide (one fixed prefix, many suffixes), shared-prefix
// (few-shot templates shared by many questions, for the shared prefix cache)
// and shared-prefix-many (more and longer templates than that cache holds).
#include <algorithm>
#include <string>
#include <vector>

#include "flashtok/utf8_validity.h"
#include "flashtok/workloads/generator.h"
#include "flashtok/workloads/text_generator.h"

namespace flashtok::workloads {

namespace {

// Rewrites one line among the last `near` bytes of `context` (the open file,
// where the cursor is) with a line of new code, as a user typing there does.
void rewrite_line_near_end(std::string* context, std::size_t near, TextGenerator& gen) {
  const std::size_t from = context->size() > near ? context->size() - near : 0;
  const std::size_t at = from + gen.rng().uniform(context->size() - from);
  const std::size_t begin = context->rfind('\n', at) == std::string::npos ? 0 : context->rfind('\n', at) + 1;
  const std::size_t end = std::min(context->find('\n', at), context->size());
  const std::string code = gen.code_file(4);
  // One line of that code, never its header comment: the second line on.
  const std::size_t line_begin = code.find('\n') + 1;
  const std::string line = code.substr(line_begin, code.find('\n', line_begin) - line_begin);
  context->replace(begin, end - begin, line);
}

}  // namespace

Workload make_ide(std::uint64_t seed, Size size) {
  TextGenerator gen(seed);
  Workload w{"ide", "IDE copilot: system prompt + project context (tens of thousands of tokens), new suffix per request",
             {}};
  std::string prefix =
      "You are a coding assistant inside an editor. Answer with code first, then one short explanation.\n"
      "The project files follow.\n\n";
  const std::size_t context_bytes = size.of(150000, 4000);
  while (prefix.size() < context_bytes) prefix += gen.code_file(40 + static_cast<int>(gen.rng().uniform(120)));
  // Suffixes start in every way that matters at the boundary: newline,
  // space, letter, punctuation, digit.
  static const std::vector<std::string> starts = {"\n", " ", "// cursor here\n", "Q", "(", "7", "\t", "\n\n"};
  const std::size_t requests = size.of(60, 6);
  for (std::size_t i = 0; i < requests; ++i) {
    std::string suffix = starts[i % starts.size()] + gen.code_file(10 + static_cast<int>(gen.rng().uniform(50)));
    std::size_t cursor = gen.rng().uniform(suffix.size());
    while (cursor > 0 && is_utf8_continuation(suffix[cursor])) --cursor;  // not mid-character
    suffix.insert(cursor, "<CURSOR>");
    w.requests.push_back(Request{RequestKind::kFixedPrefix, {}, prefix, suffix + "\n\n" + gen.question()});
  }
  // The same requests as an editor sends them while the user types in the
  // open file: the whole prompt each time, one line near the end of the
  // context rewritten. A fixed prefix cannot serve that; the session cache
  // re-encodes around the edit. Its own random stream leaves the fixed-prefix
  // requests above as they were.
  TextGenerator typing(seed ^ 0x6964652d65646974ull);
  std::string context = prefix;
  for (std::size_t i = 0; i < requests; ++i) {
    rewrite_line_near_end(&context, 4000, typing);
    const Request& fixed = w.requests[i];
    w.requests.push_back(Request{RequestKind::kPrompt, "editor", {}, context + fixed.text});
  }
  return w;
}

namespace {

// One MMLU-style question with four choices, not yet answered.
std::string few_shot_question(TextGenerator& gen) {
  std::string q = gen.sentence() + " Which statement is correct?\n";
  for (const char* choice : {"A", "B", "C", "D"}) q += std::string(choice) + ". " + gen.sentence() + "\n";
  return q;
}

// A few-shot template: a header naming the subject, then `shots` answered questions.
std::string few_shot_template(TextGenerator& gen, const std::string& subject, int shots) {
  std::string t = "The following are multiple choice questions (with answers) about " + subject + ".\n\n";
  for (int i = 0; i < shots; ++i) t += few_shot_question(gen) + "Answer: " + "ABCD"[gen.rng().uniform(4)] + "\n\n";
  return t;
}

}  // namespace

Workload make_shared_prefix(std::uint64_t seed, Size size, bool shuffled) {
  TextGenerator gen(seed);
  Workload w{shuffled ? "shared-prefix-shuffled" : "shared-prefix",
             std::string("MMLU-style few-shot prompts: six subject templates, many questions") +
                 (shuffled ? ", shuffled" : ", grouped by subject"),
             {}};
  static const std::vector<std::string> subjects = {"astronomy", "high school chemistry", "world history",
                                                    "computer security", "nutrition", "econometrics"};
  std::vector<std::string> templates;
  for (const auto& subject : subjects) templates.push_back(few_shot_template(gen, subject, 5));
  const std::size_t per_subject = size.of(50, 4);
  for (std::size_t s = 0; s < templates.size(); ++s) {
    for (std::size_t i = 0; i < per_subject; ++i) {
      w.requests.push_back(Request{RequestKind::kText, {}, {}, templates[s] + few_shot_question(gen) + "Answer:"});
    }
  }
  if (shuffled) {  // Fisher-Yates with our own PRNG: the same order everywhere
    SplitMix64 rng(seed ^ 0x5348554646ull);
    for (std::size_t i = w.requests.size(); i > 1; --i) std::swap(w.requests[i - 1], w.requests[rng.uniform(i)]);
  }
  return w;
}

// Many long templates (about 7 KB, twenty shots each; together more blocks
// than a default SharedPrefixTokenCache holds) of Zipf-like popularity: the
// k-th most popular is asked about 1/k as often. A cold cache inserts a few
// blocks per request and so reuses a long template fully only after several
// sightings; a cache prebuilt from the most frequent prefixes has the popular
// ones whole from the first request.
Workload make_shared_prefix_many(std::uint64_t seed, Size size) {
  TextGenerator gen(seed);
  Workload w{"shared-prefix-many",
             "few-shot prompts over many long templates of Zipf-like popularity, more than the shared prefix cache holds",
             {}};
  const std::size_t template_count = size.of(180, 12);
  std::vector<std::string> templates;
  std::vector<std::uint64_t> cumulative;  // of the weights 720720 / rank: integers, the same everywhere
  for (std::size_t k = 0; k < template_count; ++k) {
    templates.push_back(few_shot_template(gen, "subject " + std::to_string(k + 1) + " (" + gen.sentence() + ")", 20));
    cumulative.push_back((cumulative.empty() ? 0 : cumulative.back()) + 720720 / (k + 1));
  }
  const std::size_t requests = size.of(900, 40);
  for (std::size_t i = 0; i < requests; ++i) {
    const std::uint64_t draw = gen.rng().uniform(cumulative.back());
    const std::size_t k = static_cast<std::size_t>(
        std::upper_bound(cumulative.begin(), cumulative.end(), draw) - cumulative.begin());
    w.requests.push_back(Request{RequestKind::kText, {}, {}, templates[k] + few_shot_question(gen) + "Answer:"});
  }
  return w;
}

}  // namespace flashtok::workloads
