// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_APPS_MICROBENCH_CORPUS_H_
#define FLASHTOK_APPS_MICROBENCH_CORPUS_H_

#include <cstddef>
#include <string>

namespace flashtok::bench {

// The text the benchmarks encode: the file named by $FLASHTOK_CORPUS if set
// (so that tiktoken can be timed on exactly the same bytes), else the golden
// test texts (prose, code, many scripts) repeated up to at least min_bytes.
const std::string& corpus(std::size_t min_bytes = 4 << 20);

// What corpus() is, for the benchmarks' labels: the file, or the golden texts.
std::string corpus_name();

// A prefix of the corpus cut at a UTF-8 character boundary, about `bytes` long.
std::string corpus_prefix(std::size_t bytes);

}  // namespace flashtok::bench

#endif  // FLASHTOK_APPS_MICROBENCH_CORPUS_H_
