// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_WORKLOADS_TEXT_GENERATOR_H_
#define FLASHTOK_WORKLOADS_TEXT_GENERATOR_H_

#include <string>
#include <string_view>
#include <vector>

#include "flashtok/workloads/error.h"
#include "flashtok/workloads/prng.h"

namespace flashtok::workloads {

// Realistic synthetic text from our own word lists and templates: what LLM
// applications actually send (prose, instructions, code, markdown, numbers,
// several scripts, emoji), never lorem ipsum. Deterministic given the PRNG.
class TextGenerator {
 public:
  explicit TextGenerator(std::uint64_t seed) : rng_(seed) {}

  SplitMix64& rng() { return rng_; }

  std::string sentence();                 // one English sentence with numbers and names
  std::string paragraph(int sentences);
  std::string policy_section(int index);  // a numbered section of a system prompt
  std::string spoken_turn();              // ASR-like: fillers, restarts, numbers as words
  std::string short_reply();              // a brief spoken-style answer
  std::string markdown_reply();           // lists, bold, code spans, sometimes a code block
  std::string code_file(int lines);       // a source file in one of several languages, with a header
  std::string multilingual_line();        // a line in another script, sometimes with emoji
  std::string multilingual_paragraph();   // new sentences in one of a dozen languages and scripts
  std::string question();                 // a user question about code or a document

 private:
  SplitMix64 rng_;
};

// About `bytes` bytes (never less, cut at a character boundary) of one kind
// of text, for throughput measurements: "prose", "code", "multilingual" or
// "chat" (a mix of all three). Throws WorkloadError for another kind.
std::string corpus(std::string_view kind, std::size_t bytes, std::uint64_t seed);
const std::vector<std::string>& corpus_kinds();

}  // namespace flashtok::workloads

#endif  // FLASHTOK_WORKLOADS_TEXT_GENERATOR_H_
