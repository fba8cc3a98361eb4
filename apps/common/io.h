// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_APPS_COMMON_IO_H_
#define FLASHTOK_APPS_COMMON_IO_H_

#include <cstddef>
#include <limits>
#include <string>
#include <string_view>

// File plumbing shared by the programs (the CLI, the benchmarks): size
// limits, standard input, atomic writes. Not part of the library; errors are
// flashtok::Error so that they read like the library's.
namespace flashtok {

constexpr std::size_t kNoSizeLimit = std::numeric_limits<std::size_t>::max();

// Reads a whole file. Throws Error(kNotFound) if it does not exist, Error(kIo)
// if it is a directory or cannot be read, and Error(kTooLarge) if it holds
// more than max_bytes (checked before reading when the size is known, so a
// huge file is refused at once instead of filling the memory).
std::string read_file(const std::string& path, std::size_t max_bytes = kNoSizeLimit);

// Reads standard input to its end, with the same limit and errors as
// read_file ("standard input" names it in messages).
std::string read_stdin(std::size_t max_bytes = kNoSizeLimit);

// Writes a file so that readers never see half of it: the bytes go to a
// temporary file in the same folder, which is flushed and then renamed over
// `path`. On any failure (a missing folder, a full disk) the temporary file is
// removed, `path` is left as it was, and Error(kIo) says what failed.
void write_file_atomically(const std::string& path, std::string_view bytes);

// The first half of write_file_atomically: writes the bytes to a new file
// beside `path`, named `<path>.tmp.<pid>.<6 random characters>`, flushed to
// disk, and returns its name, for the caller to rename over `path` (or
// remove). On failure nothing is left behind and Error(kIo) says what failed.
std::string write_temporary_beside(const std::string& path, std::string_view bytes);

// Removes what a killed process left of its write_temporary_beside(path)
// files: those whose process no longer runs, and the names flashtok used
// before they carried a pid (`<path>.tmp.<6 letters or digits>`). No other file.
void remove_stale_temporaries(const std::string& path);

}  // namespace flashtok

#endif  // FLASHTOK_APPS_COMMON_IO_H_
