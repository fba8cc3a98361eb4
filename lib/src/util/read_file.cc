// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "util/read_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "flashtok/error.h"

namespace flashtok::internal {

std::string read_file(const std::string& path, std::size_t max_bytes) {
  auto fail = [&path](const char* what, int err) {
    return Error(err == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIo,
                 path + ": " + what + ": " + std::strerror(err));
  };
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) throw fail("cannot open", errno);
  std::string data;
  char buffer[1 << 16];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, file.get())) > 0;) {
    if (n > max_bytes - data.size()) {
      throw Error(ErrorCode::kTooLarge, path + ": larger than the limit of " + std::to_string(max_bytes) + " bytes");
    }
    data.append(buffer, n);
  }
  // A directory opens but does not read (EISDIR).
  if (std::ferror(file.get())) throw fail("cannot read", errno);
  return data;
}

}  // namespace flashtok::internal
