// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// stream: model output appended to the history as it streams, a few tokens
// at a time. Unlike the chat workloads, whose appends all end at a word
// boundary, a streamed append ends anywhere: mid-word, mid-number, inside a
// run of spaces or newlines, between a letter and its combining mark, inside
// an emoji ZWJ sequence or a flag. That is where a fixed backtrack_pieces
// breaks, so this is the workload that shows it.
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "flashtok/flashtok.h"
#include "flashtok/workloads/generator.h"
#include "flashtok/workloads/text_generator.h"

namespace flashtok::workloads {
namespace {

// Clusters of several code points: a cut between them splits one
// user-perceived character. Combining accents (decomposed é, ñ), Devanagari
// and Thai vowel signs, emoji with skin tones and ZWJ, flags.
const std::vector<std::string> kGraphemes = {
    "cafe\u0301", "man\u0303ana", "nai\u0308ve", "नमस्ते", "क्षमा", "ข้อมูล", "น้ำ", "👩‍💻", "👨‍👩‍👧‍👦",
    "🏳️‍🌈", "🇯🇵", "🇫🇷🇩🇪", "👍🏽", "✌🏿", "❤️‍🔥", "Å"};

// A code block whose blank lines keep their indentation, as models emit them:
// "\n    \n" is one pre-tokenizer piece, which a cut after the spaces splits.
std::string code_block(TextGenerator& gen) {
  static const std::vector<std::string> lines = {
      "def total(items):", "    subtotal = 0", "    for item in items:", "        subtotal += item.price * item.qty",
      "    return round(subtotal * 1.0825, 2)", "class Cart:", "    def __init__(self):", "        self.items = []",
      "import math", "        continue", "    return subtotal", "    pass", "    retries = 3"};
  std::string out = "\n```python\n";
  const int n = 4 + static_cast<int>(gen.rng().uniform(6));
  for (int i = 0; i < n; ++i) {
    out += gen.rng().pick(lines) + "\n";
    if (gen.rng().chance(1, 3)) out += std::string(4 * (1 + gen.rng().uniform(2)), ' ') + "\n";
  }
  return out + "```\n";
}

std::string markdown_table(TextGenerator& gen) {
  std::string out = "\n| item | qty | price |\n|:-----|----:|------:|\n";
  const int rows = 2 + static_cast<int>(gen.rng().uniform(4));
  for (int i = 0; i < rows; ++i) {
    out += "| " + gen.rng().pick(kGraphemes) + " | " + std::to_string(1 + gen.rng().uniform(240)) + " | $" +
           std::to_string(gen.rng().uniform(100000)) + "." + std::to_string(10 + gen.rng().uniform(90)) + " |\n";
  }
  return out;
}

// Long numbers, so that cuts land inside digit groups.
std::string numbers(TextGenerator& gen) {
  return " The checksum is " + std::to_string(gen.rng().next() % 100000000000ull) + ", pi is about 3.14159265358979" +
         " and the order 2026-" + std::to_string(10 + gen.rng().uniform(3)) + "-0" +
         std::to_string(1 + gen.rng().uniform(9)) + "T03:4" + std::to_string(gen.rng().uniform(10)) + ":00Z shipped.";
}

// One answer: prose in English or another language, with the parts above.
std::string reply(TextGenerator& gen) {
  std::string out = gen.rng().chance(1, 3) ? " " + gen.multilingual_paragraph() + "\n" : " " + gen.markdown_reply();
  if (gen.rng().chance(1, 2)) out += code_block(gen);
  if (gen.rng().chance(1, 3)) out += markdown_table(gen);
  if (gen.rng().chance(1, 2)) out += numbers(gen);
  for (int i = 0; i < 3; ++i) out += " " + gen.rng().pick(kGraphemes);
  return out + "\n";
}

// The code point that starts at byte i of valid UTF-8.
char32_t code_point_at(const std::string& s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<char32_t>(static_cast<unsigned char>(s[i + k])); };
  if (b(0) < 0x80) return b(0);
  if (b(0) < 0xE0) return ((b(0) & 0x1F) << 6) | (b(1) & 0x3F);
  if (b(0) < 0xF0) return ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
  return ((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
}

// A code point that continues the character before it.
bool extends_grapheme(char32_t c) {
  return (c >= 0x0300 && c <= 0x036F) || (c >= 0x093E && c <= 0x094D) || (c >= 0x0E31 && c <= 0x0E3A) ||
         (c >= 0x0E47 && c <= 0x0E4E) || c == 0x200D || c == 0xFE0F || (c >= 0x1F3FB && c <= 0x1F3FF) ||
         (c >= 0x1F1E6 && c <= 0x1F1FF);
}

bool starts_character(const std::string& s, std::size_t i) {
  return i >= s.size() || (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
}

// Where each token of the text's own encode ends, moved back to the start of
// a character when a byte-level token ends inside one: a streaming decoder
// (StreamDecoder, `decode --stream`) releases a character only when whole.
std::vector<std::size_t> token_ends(const std::string& text) {
  static const std::shared_ptr<const Encoder> encoder = Encoder::builtin("cl100k_base");
  std::vector<std::size_t> ends;
  std::size_t end = 0;
  for (const Rank id : encoder->encode_ordinary(text)) {
    end += encoder->decode_bytes(&id, 1).size();
    std::size_t cut = end;
    while (!starts_character(text, cut)) --cut;
    if (cut > 0 && (ends.empty() || cut > ends.back())) ends.push_back(cut);
  }
  return ends;
}

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\t'; }

// Just before the next code point within 32 bytes that extends the character
// before it; text.size() when there is none.
std::size_t inside_grapheme(const std::string& text, std::size_t at) {
  for (std::size_t i = at + 1; i < text.size() && i < at + 32; ++i) {
    if (starts_character(text, i) && extends_grapheme(code_point_at(text, i))) return i;
  }
  return text.size();
}

// Inside the next run of two or more spaces, tabs or newlines within 64
// bytes (after its first character, before its last); text.size() when there is none.
std::size_t inside_whitespace(const std::string& text, std::size_t at, SplitMix64& rng) {
  for (std::size_t i = at + 1; i + 1 < text.size() && i < at + 64; ++i) {
    if (!is_space(text[i - 1]) || !is_space(text[i])) continue;
    std::size_t end = i;
    while (end < text.size() && is_space(text[end])) ++end;
    return i + rng.uniform(end - i);
  }
  return text.size();
}

// Where a streamed reply is cut: mostly after 1-4 tokens of its own encode;
// one cut in eight after a few arbitrary bytes (on a character boundary), one
// in eight just before a code point that extends the character before it,
// one in eight inside a run of whitespace.
std::vector<std::size_t> stream_cuts(const std::string& text, SplitMix64& rng) {
  const std::vector<std::size_t> ends = token_ends(text);
  std::vector<std::size_t> cuts;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::uint64_t roll = rng.uniform(8);
    std::size_t next = text.size();
    if (roll == 0) {
      next = std::min(text.size(), at + 1 + rng.uniform(12));
      while (!starts_character(text, next)) --next;
    } else if (roll == 1) {
      next = inside_grapheme(text, at);
    } else if (roll == 2) {
      next = inside_whitespace(text, at, rng);
    }
    if (roll > 2 || next <= at || next == text.size()) {
      const auto first = std::upper_bound(ends.begin(), ends.end(), at);
      const std::size_t tokens = 1 + rng.uniform(4);
      next = first == ends.end() ? text.size()
                                 : *std::min(first + static_cast<std::ptrdiff_t>(tokens - 1), ends.end() - 1);
    }
    cuts.push_back(next);
    at = next;
  }
  return cuts;
}

}  // namespace

Workload make_stream(std::uint64_t seed, Size size) {
  TextGenerator gen(seed);
  Workload w{"stream", "model output appended as it streams, cut mid-word, mid-number, mid-whitespace and inside "
                       "graphemes; several languages, code, tables, emoji", {}};
  const std::size_t conversations = size.of(4, 1), turns = size.of(8, 2);
  for (std::size_t c = 1; c <= conversations; ++c) {
    const std::string session = "stream-" + std::to_string(c);
    w.requests.push_back(Request{RequestKind::kAppend, session, {},
                                 "You are a helpful assistant. Answer in the user's language.\n\n" +
                                     gen.policy_section(1)});
    for (std::size_t t = 0; t < turns; ++t) {
      w.requests.push_back(Request{RequestKind::kAppend, session, {}, "\n\nUser: " + gen.question() + "\nAssistant:"});
      const std::string answer = reply(gen);
      std::size_t at = 0;
      for (const std::size_t cut : stream_cuts(answer, gen.rng())) {
        w.requests.push_back(Request{RequestKind::kAppend, session, {}, answer.substr(at, cut - at)});
        at = cut;
      }
    }
  }
  return w;
}

}  // namespace flashtok::workloads
