// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "c_api/handles.h"

namespace flashtok::c_api {
namespace {

thread_local std::string last_error;

}  // namespace

flashtok_status status_of(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::kInvalidArgument: return FLASHTOK_INVALID_ARGUMENT;
    case ErrorCode::kNotFound: return FLASHTOK_NOT_FOUND;
    case ErrorCode::kIo: return FLASHTOK_IO;
    case ErrorCode::kTooLarge: return FLASHTOK_TOO_LARGE;
    case ErrorCode::kCorruptData: return FLASHTOK_CORRUPT_DATA;
    case ErrorCode::kInvalidToken: return FLASHTOK_INVALID_TOKEN;
    case ErrorCode::kDisallowedSpecial: return FLASHTOK_DISALLOWED_SPECIAL;
    case ErrorCode::kUnsupportedPattern: return FLASHTOK_UNSUPPORTED_PATTERN;
  }
  return FLASHTOK_INTERNAL_ERROR;
}

flashtok_status fail(flashtok_status status, const std::string& message) noexcept {
  try {
    last_error = message;
  } catch (...) {
    last_error.clear();  // no room for the message: the status still says what failed
  }
  return status;
}

flashtok_status null_argument() noexcept {
  return fail(FLASHTOK_INVALID_ARGUMENT, "a required argument is NULL");
}

flashtok_status ok() noexcept {
  last_error.clear();
  return FLASHTOK_OK;
}

}  // namespace flashtok::c_api

extern "C" const char* flashtok_last_error(void) { return flashtok::c_api::last_error.c_str(); }
