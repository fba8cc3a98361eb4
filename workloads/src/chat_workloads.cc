// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// Conversations: voice (append-only, latency), mobile (append-only, total CPU)
// and sessions (many users sending whole prompts, with edits).
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "flashtok/workloads/generator.h"
#include "flashtok/workloads/text_generator.h"

namespace flashtok::workloads {
namespace {

std::string user_turn(const std::string& text) { return "\n\nUser: " + text + "\nAssistant:"; }

Request append(const std::string& session, std::string text) {
  return Request{RequestKind::kAppend, session, {}, std::move(text)};
}

std::string system_prompt(TextGenerator& gen, const std::string& role, int sections) {
  std::string out = "# Role\n\nYou are " + role + ". " + gen.paragraph(3) + "\n\n";
  for (int i = 1; i <= sections; ++i) out += gen.policy_section(i);
  return out + "# Conversation\n";
}

// What a streaming recognizer shows before it settles on `word`: the word cut
// short, or a word that sounds like it.
std::string unstable(const std::string& word, SplitMix64& rng) {
  static const std::vector<std::pair<std::string, std::string>> sound_alike = {
      {"to", "two"}, {"for", "four"}, {"four", "for"}, {"i", "eye"}, {"booking", "book in"}, {"refund", "re fund"},
      {"the", "a"}, {"no", "know"}, {"right", "write"}, {"check", "czech"}};
  for (const auto& [heard, shown] : sound_alike) {
    if (word == heard && rng.chance(1, 2)) return shown;
  }
  return word.size() > 3 ? word.substr(0, 2 + rng.uniform(word.size() - 2)) : word;
}

// The partial transcripts of one spoken turn, as streaming ASR sends them:
// the stable prefix grows by one to three words and the last word shown is
// often wrong or cut short, rewritten by the next partial; the last partial
// is the final text.
std::vector<std::string> partial_transcripts(const std::string& turn, SplitMix64& rng) {
  std::vector<std::string> words;
  for (std::size_t at = 0; at < turn.size();) {
    const std::size_t space = std::min(turn.find(' ', at), turn.size());
    if (space > at) words.push_back(turn.substr(at, space - at));
    at = space + 1;
  }
  std::vector<std::string> partials;
  for (std::size_t shown = 0; shown < words.size();) {
    shown = std::min(words.size(), shown + 1 + rng.uniform(3));
    std::string text;
    for (std::size_t i = 0; i < shown; ++i) {
      const bool last = i + 1 == shown && shown < words.size();
      text += (i ? " " : "") + (last && rng.chance(2, 3) ? unstable(words[i], rng) : words[i]);
    }
    partials.push_back(text);
  }
  return partials;
}

}  // namespace

Workload make_voice(std::uint64_t seed, Size size) {
  TextGenerator gen(seed);
  Workload w{"voice", "real-time voice agent: long system prompt, short spoken turns appended; partial "
                      "transcripts with revised last words prefilled on the session cache", {}};
  std::string history = system_prompt(gen, "a calm phone agent for an airline", size.quick ? 4 : 18);
  w.requests.push_back(append("call", history));
  SplitMix64 asr(seed ^ 0x415352ull);  // its own stream: the appended turns do not depend on it
  const std::size_t turns = size.of(40, 4);
  for (std::size_t i = 0; i < turns; ++i) {
    const std::string spoken = gen.spoken_turn();
    // While the caller speaks, each partial transcript is prefilled as a whole prompt.
    for (const std::string& partial : partial_transcripts(spoken, asr)) {
      w.requests.push_back(Request{RequestKind::kPrompt, "call-partials", {}, history + user_turn(partial)});
    }
    const std::string reply = " " + gen.short_reply();
    w.requests.push_back(append("call", user_turn(spoken)));
    w.requests.push_back(append("call", reply));
    history += user_turn(spoken) + reply;
  }
  return w;
}

Workload make_mobile(std::uint64_t seed, Size size) {
  TextGenerator gen(seed);
  Workload w{"mobile", "on-device chat growing past 32K tokens, append-only; total CPU matters", {}};
  w.requests.push_back(append("phone", "You are a helpful assistant on a phone. Keep answers readable.\n"));
  const std::size_t turns = size.of(230, 8);
  for (std::size_t i = 0; i < turns; ++i) {
    const std::string ask = gen.rng().chance(1, 5) ? gen.multilingual_line() : gen.question();
    w.requests.push_back(append("phone", user_turn(ask)));
    w.requests.push_back(append("phone", " " + gen.markdown_reply()));
  }
  return w;
}

Workload make_sessions(std::uint64_t seed, Size size) {
  TextGenerator gen(seed);
  Workload w{"sessions", "several users interleaved, full prompt every turn, some edits and regenerations", {}};
  // "user" and "assistant" are session names here, not roles: ids are opaque.
  const std::vector<std::string> ids = {"alice", "bob", "carol", "dave", "user", "assistant"};
  std::vector<std::string> history(ids.size());
  const std::string system = system_prompt(gen, "a support assistant for a software company", 3);
  for (auto& h : history) h = system;
  const std::size_t rounds = size.of(12, 3);
  for (std::size_t round = 0; round < rounds; ++round) {
    for (std::size_t s = 0; s < ids.size(); ++s) {
      std::string& h = history[s];
      const std::uint64_t roll = gen.rng().uniform(100);
      if (round > 0 && roll < 10) {
        // Regenerate: the last reply is replaced, so the prompt differs before its end.
        const std::size_t cut = h.rfind("\nAssistant:");
        if (cut != std::string::npos) h.resize(cut + 11);
      } else if (round > 0 && roll < 15) {
        // Edit the previous user message: it is dropped here and rewritten below.
        const std::size_t cut = h.rfind("\n\nUser: ");
        if (cut != std::string::npos) h.resize(cut);
      } else if (round > 2 && roll < 18) {
        // Sliding window: the oldest turn after the system prompt falls out.
        const std::size_t first = h.find("\n\nUser: ", system.size());
        const std::size_t second = first == std::string::npos ? first : h.find("\n\nUser: ", first + 1);
        if (second != std::string::npos) h = system + h.substr(second);
      }
      if (h.size() < 11 || h.compare(h.size() - 11, 11, "\nAssistant:") != 0) h += user_turn(gen.question());
      w.requests.push_back(Request{RequestKind::kPrompt, ids[s], {}, h});
      const std::string reply = " " + gen.markdown_reply();
      w.requests.push_back(Request{RequestKind::kOutput, ids[s], {}, reply});
      h += reply;
    }
  }
  return w;
}

}  // namespace flashtok::workloads
