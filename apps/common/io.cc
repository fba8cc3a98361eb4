// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "common/io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "flashtok/error.h"

namespace flashtok {
namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what, int err) {
  throw Error(err == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIo,
              path + ": " + what + (err ? std::string(": ") + std::strerror(err) : std::string()));
}

[[noreturn]] void too_large(const std::string& name, std::size_t max_bytes) {
  throw Error(ErrorCode::kTooLarge, name + ": larger than the limit of " + std::to_string(max_bytes) + " bytes");
}

// Reads `file` to its end; fails once more than max_bytes arrive.
std::string read_all(std::FILE* file, const std::string& name, std::size_t max_bytes, std::size_t size_hint) {
  std::string data;
  data.reserve(std::min(size_hint, max_bytes));
  char buffer[1 << 16];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) {
    if (n > max_bytes - data.size()) too_large(name, max_bytes);
    data.append(buffer, n);
  }
  if (std::ferror(file)) fail(name, "read error", errno);
  return data;
}

}  // namespace

std::string read_file(const std::string& path, std::size_t max_bytes) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) fail(path, "cannot open", errno);
  if (S_ISDIR(info.st_mode)) fail(path, "is a directory, not a file", 0);
  const bool regular = S_ISREG(info.st_mode);
  if (regular && static_cast<std::uint64_t>(info.st_size) > max_bytes) too_large(path, max_bytes);
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) fail(path, "cannot open", errno);
  return read_all(file.get(), path, max_bytes, regular ? static_cast<std::size_t>(info.st_size) : 0);
}

std::string read_stdin(std::size_t max_bytes) { return read_all(stdin, "standard input", max_bytes, 0); }

void write_file_atomically(const std::string& path, std::string_view bytes) {
  std::string pattern = path + ".tmp.XXXXXX";
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  const int fd = ::mkstemp(name.data());
  if (fd < 0) fail(path, "cannot create a temporary file beside it", errno);
  const std::string temp(name.data());
  auto abandon = [&](const std::string& what) {
    const int err = errno;
    ::close(fd);
    ::unlink(temp.c_str());
    fail(path, what, err);
  };
  for (std::size_t done = 0; done < bytes.size();) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      abandon("write failed");
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fchmod(fd, 0644) != 0 || ::fsync(fd) != 0) abandon("flush failed");
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    fail(path, "close failed", err);
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    fail(path, "rename failed", err);
  }
}

}  // namespace flashtok
