// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_UTIL_READ_FILE_H_
#define FLASHTOK_SRC_UTIL_READ_FILE_H_

#include <cstddef>
#include <string>

namespace flashtok::internal {

// The whole contents of a file (Encoding::from_file). Throws Error(kNotFound)
// if it does not exist, Error(kIo) if it cannot be read (a directory, no
// permission, a read error) and Error(kTooLarge) once it passes max_bytes
// (a device such as /dev/zero never ends); the message names the path.
std::string read_file(const std::string& path, std::size_t max_bytes);

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_UTIL_READ_FILE_H_
