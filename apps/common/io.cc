// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "common/io.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
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

// mkstemp's six characters.
bool is_random_suffix(std::string_view s) {
  return s.size() == 6 && std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); });
}

// What follows `<path>.tmp.` in a temporary file of a process that is gone:
// `<pid>.XXXXXX` with no such process, or the older pid-less `XXXXXX`.
bool is_stale_suffix(std::string_view suffix) {
  if (is_random_suffix(suffix)) return true;
  const std::size_t dot = suffix.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot > 9 || !is_random_suffix(suffix.substr(dot + 1))) return false;
  const std::string_view pid = suffix.substr(0, dot);
  if (!std::all_of(pid.begin(), pid.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
  return ::kill(static_cast<pid_t>(std::stol(std::string(pid))), 0) != 0 && errno == ESRCH;
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

std::string write_temporary_beside(const std::string& path, std::string_view bytes) {
  std::string pattern = path + ".tmp." + std::to_string(::getpid()) + ".XXXXXX";
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
  return temp;
}

void write_file_atomically(const std::string& path, std::string_view bytes) {
  const std::string temp = write_temporary_beside(path, bytes);
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    fail(path, "rename failed", err);
  }
}

void remove_stale_temporaries(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash + 1);
  const std::string prefix = path.substr(slash == std::string::npos ? 0 : slash + 1) + ".tmp.";
  const std::unique_ptr<DIR, int (*)(DIR*)> folder(::opendir(dir.c_str()), &::closedir);
  if (!folder) return;  // nothing to clean (the folder is made later, or cannot be read)
  std::vector<std::string> stale;
  while (const dirent* entry = ::readdir(folder.get())) {
    const std::string_view name = entry->d_name;
    if (name.substr(0, prefix.size()) == prefix && is_stale_suffix(name.substr(prefix.size()))) {
      stale.emplace_back(name);
    }
  }
  for (const auto& name : stale) ::unlink((slash == std::string::npos ? name : dir + name).c_str());
}

}  // namespace flashtok
