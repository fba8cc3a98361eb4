// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// edits: long prompts (100-200 KB at scale 1) sent whole every turn and
// edited near the start and in the middle each time, as real chat templates
// and agents do: the date and time line at the top changes every turn, the
// think block of the previous answer is stripped once a newer answer exists,
// and one retrieved passage in the middle is swapped for another.
#include <cstdio>
#include <string>
#include <vector>

#include "flashtok/workloads/generator.h"
#include "flashtok/workloads/text_generator.h"

namespace flashtok::workloads {
namespace {

// "Current date: 2026-12-01 09:00:07 UTC", a few seconds later each turn.
std::string date_line(std::size_t turn, std::size_t seconds) {
  char line[64];
  const std::size_t t = 9 * 3600 + turn * 47 + seconds;
  std::snprintf(line, sizeof line, "Current date: 2026-12-01 %02zu:%02zu:%02zu UTC\n", (t / 3600) % 24, (t / 60) % 60,
                t % 60);
  return line;
}

std::string passage(TextGenerator& gen, std::size_t id) {
  return "<passage id=\"doc-" + std::to_string(id) + "\">\n" + gen.paragraph(8) + "\n" + gen.paragraph(8) +
         "\n</passage>\n";
}

struct Answer {
  std::string question;
  std::string think;
  std::string reply;
};

// What the model said: what it thought, then its reply.
std::string output_of(const Answer& a, bool with_think) {
  return (with_think ? " <think>" + a.think + "</think>" : std::string()) + " " + a.reply;
}

std::string render_answer(const Answer& a, bool with_think) {
  return "\n\nUser: " + a.question + "\nAssistant:" + output_of(a, with_think);
}

// The whole prompt as the chat template renders it: only the newest
// answer keeps its think block.
std::string render_prompt(const std::string& date, const std::string& system, const std::vector<std::string>& passages,
                          const std::vector<Answer>& answers, const std::string& question) {
  std::string out = date + system + "# Retrieved passages\n\n";
  for (const auto& p : passages) out += p;
  out += "\n# Conversation";
  for (std::size_t i = 0; i < answers.size(); ++i) out += render_answer(answers[i], i + 1 == answers.size());
  return out + "\n\nUser: " + question + "\nAssistant:";
}

}  // namespace

Workload make_edits(std::uint64_t seed, Size size) {
  TextGenerator gen(seed);
  Workload w{"edits", "long prompts edited near the start and in the middle every turn (date line, think blocks, "
                      "swapped passages)", {}};
  std::string system = "# Role\n\nYou are a research assistant. " + gen.paragraph(3) + "\n\n";
  for (int i = 1; i <= 6; ++i) system += gen.policy_section(i);
  std::vector<std::string> passages;
  std::size_t next_passage = 1;
  const std::size_t passage_count = size.of(60, 3);
  for (std::size_t i = 0; i < passage_count; ++i) passages.push_back(passage(gen, next_passage++));
  std::vector<Answer> answers;
  const std::size_t earlier_turns = size.of(90, 2);
  for (std::size_t i = 0; i < earlier_turns; ++i) {
    answers.push_back(Answer{gen.question(), gen.paragraph(4), gen.markdown_reply()});
  }
  const std::size_t turns = size.of(24, 3);
  for (std::size_t turn = 0; turn < turns; ++turn) {
    const std::string question = gen.question();
    passages[passages.size() / 2 + gen.rng().uniform(passages.size() / 2)] = passage(gen, next_passage++);
    const std::string date = date_line(turn, gen.rng().uniform(40));
    w.requests.push_back(Request{RequestKind::kPrompt, "research", {}, render_prompt(date, system, passages, answers, question)});
    Answer answer{question, gen.paragraph(4), gen.markdown_reply()};
    w.requests.push_back(Request{RequestKind::kOutput, "research", {}, output_of(answer, true)});
    answers.push_back(std::move(answer));
  }
  return w;
}

}  // namespace flashtok::workloads
