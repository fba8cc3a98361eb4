// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_WORKLOADS_SRC_LANGUAGES_H_
#define FLASHTOK_WORKLOADS_SRC_LANGUAGES_H_

#include <string>
#include <vector>

namespace flashtok::workloads {

// A small everyday vocabulary of one language, for multilingual text whose
// sentences are new combinations rather than a few lines repeated: repeated
// lines would flatter any tokenizer that remembers what it has seen.
struct Language {
  std::string name;
  bool spaces;             // false for scripts written without spaces between words
  std::string full_stop;   // the sentence-ending punctuation
  std::vector<std::string> words;
};

const std::vector<Language>& languages();

}  // namespace flashtok::workloads

#endif  // FLASHTOK_WORKLOADS_SRC_LANGUAGES_H_
