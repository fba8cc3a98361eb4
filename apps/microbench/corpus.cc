// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "corpus.h"

#include <dirent.h>

#include <algorithm>
#include <cstdlib>
#include <stdexcept>
#include <vector>

#include "common/io.h"
#include "flashtok/utf8_validity.h"

namespace flashtok::bench {
namespace {

std::string golden_texts() {
  const std::string dir = std::string(FLASHTOK_SOURCE_DIR) + "/tests/golden/texts";
  std::vector<std::string> names;
  if (DIR* d = opendir(dir.c_str())) {
    while (const dirent* e = readdir(d)) {
      const std::string name = e->d_name;
      if (name.size() > 4 && name.substr(name.size() - 4) == ".txt") names.push_back(name);
    }
    closedir(d);
  }
  std::sort(names.begin(), names.end());
  std::string text;
  for (const auto& name : names) text += read_file(dir + "/" + name);
  if (text.empty()) throw std::runtime_error("no corpus: set FLASHTOK_CORPUS or generate tests/golden/texts");
  return text;
}

// One named result on every path, so that it is returned in place: GCC 12
// with LTO warned (-Wstringop-overflow, falsely) on the move of a second one.
std::string load_corpus(std::size_t min_bytes) {
  std::string text;
  if (const char* path = std::getenv("FLASHTOK_CORPUS")) {
    text = read_file(path);
  } else {
    const std::string unit = golden_texts();
    while (text.size() < min_bytes) text += unit;
  }
  return text;
}

}  // namespace

const std::string& corpus(std::size_t min_bytes) {
  static const std::string text = load_corpus(min_bytes);
  return text;
}

std::string corpus_name() {
  const char* path = std::getenv("FLASHTOK_CORPUS");
  return path ? path : "the golden texts, repeated (set FLASHTOK_CORPUS=FILE for real text)";
}

std::string corpus_prefix(std::size_t bytes) {
  const std::string& text = corpus();
  std::string out;
  while (out.size() + text.size() < bytes) out += text;
  std::size_t cut = std::min(text.size(), bytes - out.size());
  while (cut < text.size() && is_utf8_continuation(text[cut])) ++cut;
  return out + text.substr(0, cut);
}

}  // namespace flashtok::bench
