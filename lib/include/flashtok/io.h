// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_IO_H_
#define FLASHTOK_IO_H_

#include <string>
#include <string_view>

namespace flashtok {

// Reads a whole file. Throws Error(kNotFound) if it does not exist and
// Error(kIo) if it is a directory or cannot be read.
std::string read_file(const std::string& path);

// Writes a file so that readers never see half of it: the bytes go to a
// temporary file in the same folder, which is flushed and then renamed over
// `path`. On any failure (a missing folder, a full disk) the temporary file is
// removed, `path` is left as it was, and Error(kIo) says what failed.
void write_file_atomically(const std::string& path, std::string_view bytes);

}  // namespace flashtok

#endif  // FLASHTOK_IO_H_
