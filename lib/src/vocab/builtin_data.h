// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_VOCAB_BUILTIN_DATA_H_
#define FLASHTOK_SRC_VOCAB_BUILTIN_DATA_H_

#include <string_view>

namespace flashtok::internal {

// The files of lib/data/encodings/, linked into the library (cmake/FlashtokEmbed.cmake).
// Embedding beats installing beside the binary: the library and every program
// linked with it work from any directory, with no path to configure or lose.
std::string_view embedded_rank_file(std::string_view encoding_file_stem);  // empty if unknown
std::string_view embedded_encodings_json();
std::string_view embedded_sha256sums();

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_VOCAB_BUILTIN_DATA_H_
