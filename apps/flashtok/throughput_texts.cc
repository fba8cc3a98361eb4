// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "throughput_texts.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "cli_support.h"
#include "flashtok/workloads/text_generator.h"

namespace flashtok::cli {
namespace {

constexpr std::size_t kFullBytes = std::size_t{1} << 20;
constexpr std::size_t kQuickBytes = std::size_t{256} << 10;

}  // namespace

std::vector<ThroughputText> synthetic_texts(std::uint64_t seed, bool quick) {
  std::vector<ThroughputText> texts;
  for (const auto& kind : workloads::corpus_kinds()) {
    const std::size_t bytes = quick ? kQuickBytes : kFullBytes;
    texts.push_back({kind, "synthetic",
                     fmt::format("flashtok workloads corpus {} --bytes {} --seed {}", kind, bytes, seed),
                     workloads::corpus(kind, bytes, seed)});
  }
  return texts;
}

std::vector<ThroughputText> real_texts(const std::string& dir, std::size_t max_bytes) {
  namespace fs = std::filesystem;
  std::error_code error;
  if (!fs::is_directory(dir, error)) throw CommandError(fmt::format("--corpus {}: not a directory", dir));
  // Each step's error is checked where it happens: one error_code shared by
  // the listing and every entry would be cleared by the next entry's success.
  fs::directory_iterator it(dir, error);
  if (error) throw CommandError(fmt::format("--corpus {}: cannot list it: {}", dir, error.message()));
  std::vector<fs::path> files;
  for (; it != fs::directory_iterator(); it.increment(error)) {
    if (error) break;
    if (it->path().extension() != ".txt") continue;
    // A .txt that is not a readable regular file (a broken link, a folder) is an error, not skipped:
    // the report would otherwise lack a kind without saying so.
    std::error_code status_error;
    if (!it->is_regular_file(status_error)) {
      throw CommandError(fmt::format("--corpus {}: {} is not a readable file{}", dir, it->path().string(),
                                     status_error ? ": " + status_error.message() : ""));
    }
    files.push_back(it->path());
  }
  if (error) throw CommandError(fmt::format("--corpus {}: cannot list it: {}", dir, error.message()));
  if (files.empty()) {
    throw CommandError(fmt::format("--corpus {}: no .txt file in it (workloads/corpus/build_corpus.sh DIR writes one "
                                   "per kind of text)",
                                   dir));
  }
  std::sort(files.begin(), files.end());
  std::vector<ThroughputText> texts;
  for (const auto& file : files) {
    std::string text = read_input(file.string(), max_bytes);
    if (text.empty()) {
      throw CommandError(fmt::format("--corpus {}: {} is empty: no throughput to measure", dir, file.string()));
    }
    texts.push_back({file.stem().string(), "real", file.string(), std::move(text)});
  }
  return texts;
}

}  // namespace flashtok::cli
