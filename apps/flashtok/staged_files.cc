// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "staged_files.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "cli_support.h"
#include "common/io.h"

namespace flashtok::cli {

StagedFiles::~StagedFiles() {
  for (const auto& [temporary, path] : staged_) std::remove(temporary.c_str());
}

void StagedFiles::write(const std::string& path, std::string_view bytes) {
  remove_stale_temporaries(path);
  staged_.emplace_back(write_temporary_beside(path, bytes), path);
}

std::string StagedFiles::reserve(const std::string& path) {
  write(path, {});
  return staged_.back().first;
}

void StagedFiles::commit() {
  std::vector<std::pair<std::string, std::string>> staged;
  staged.swap(staged_);  // from here the destructor leaves them alone
  for (std::size_t i = 0; i < staged.size(); ++i) {
    if (std::rename(staged[i].first.c_str(), staged[i].second.c_str()) == 0) continue;
    const std::string error = staged[i].second + ": cannot rename it into place: " + std::strerror(errno);
    for (std::size_t j = i; j < staged.size(); ++j) std::remove(staged[j].first.c_str());
    throw CommandError(error);
  }
}

}  // namespace flashtok::cli
