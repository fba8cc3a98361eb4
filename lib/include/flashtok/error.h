// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_ERROR_H_
#define FLASHTOK_ERROR_H_

#include <stdexcept>
#include <string>

#include "flashtok/export.h"

namespace flashtok {

// What went wrong, so that callers (and the CLI's exit codes) can tell a bad
// argument from a missing file from corrupt data without parsing messages.
enum class ErrorCode {
  kInvalidArgument,     // an unknown encoding name, a bad option value
  kNotFound,            // a file that does not exist
  kIo,                  // a file that exists but cannot be read or written
  kTooLarge,            // input over a configured size limit
  kCorruptData,         // a rank file with bad base64, duplicate ranks, a wrong SHA-256
  kInvalidToken,        // a token id that the encoding does not have
  kDisallowedSpecial,   // special-token text where encode() was told to refuse it
  kUnsupportedPattern,  // a user pattern with a construct RE2 cannot emulate
};

// The one exception type the library throws for expected failures. The message
// is a single line, written for the person who will read it on stderr.
class FLASHTOK_EXPORT Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message)
      : std::runtime_error(message), code_(code) {}
  ErrorCode code() const noexcept { return code_; }

 private:
  ErrorCode code_;
};

}  // namespace flashtok

#endif  // FLASHTOK_ERROR_H_
