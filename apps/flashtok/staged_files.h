// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_APPS_STAGED_FILES_H_
#define FLASHTOK_APPS_STAGED_FILES_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace flashtok::cli {

// The files of one run (figures, summary.md, results.json), written under
// temporary names and renamed into place together at the end, in the order
// they were staged: a run that fails half-way puts none of them in place and
// leaves the previous ones as they were. Staging a path first removes the
// temporaries a killed run left of it. Temporaries never committed are
// removed when this is destroyed.
class StagedFiles {
 public:
  StagedFiles() = default;
  StagedFiles(const StagedFiles&) = delete;
  StagedFiles& operator=(const StagedFiles&) = delete;
  ~StagedFiles();

  // Stages `bytes` for `path`. Throws flashtok::Error (kIo) when they cannot be written.
  void write(const std::string& path, std::string_view bytes);
  // Stages an empty file for `path` and returns its temporary name, for a
  // writer that wants a file name to write to (PLplot).
  std::string reserve(const std::string& path);
  // Renames every staged file over its path, in the order staged. Throws
  // CommandError if a rename fails (the files renamed before it stay).
  void commit();

 private:
  std::vector<std::pair<std::string, std::string>> staged_;  // temporary name, final path
};

}  // namespace flashtok::cli

#endif  // FLASHTOK_APPS_STAGED_FILES_H_
