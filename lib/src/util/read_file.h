// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_UTIL_READ_FILE_H_
#define FLASHTOK_SRC_UTIL_READ_FILE_H_

#include <string>

namespace flashtok::internal {

// The whole contents of a file (Encoding::from_file). Throws Error(kNotFound)
// if it does not exist and Error(kIo) if it cannot be read (a directory, no
// permission, a read error); the message names the path.
std::string read_file(const std::string& path);

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_UTIL_READ_FILE_H_
