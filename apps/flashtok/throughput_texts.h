// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_APPS_THROUGHPUT_TEXTS_H_
#define FLASHTOK_APPS_THROUGHPUT_TEXTS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace flashtok::cli {

// A text bench times the full encoder on, and what it is: a throughput
// figure means little without its corpus (generated text repeats a few
// words, which a piece memo turns into copies).
struct ThroughputText {
  std::string kind;    // prose, code, ...: a generated kind, or a file's name without .txt
  std::string corpus;  // "synthetic" (generated from flashtok's word lists) or "real" (--corpus)
  std::string source;  // the generator, its size and seed, or the file
  std::string text;
};

// Each kind of `flashtok workloads corpus`, 1 MiB (256 KiB with quick).
std::vector<ThroughputText> synthetic_texts(std::uint64_t seed, bool quick);

// The *.txt files directly in dir (workloads/corpus/build_corpus.sh writes
// one per kind), whole and in name order, also with --quick: the memo learns
// all of a short text in five encodes, which would flatter it. Throws
// CommandError (exit 2) when dir is no directory or holds no such file, or a
// .txt in it is no regular file (a broken link, a folder), is empty, cannot be
// read or is larger than max_bytes.
std::vector<ThroughputText> real_texts(const std::string& dir, std::size_t max_bytes);

}  // namespace flashtok::cli

#endif  // FLASHTOK_APPS_THROUGHPUT_TEXTS_H_
