// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// What the C API's opaque handles are, and the one place where C++ errors
// become a flashtok_status and a message: nothing thrown crosses into C.
#ifndef FLASHTOK_SRC_C_API_HANDLES_H_
#define FLASHTOK_SRC_C_API_HANDLES_H_

#include <memory>
#include <new>
#include <string>

#include "flashtok/append_only_token_cache.h"
#include "flashtok/encoder.h"
#include "flashtok/error.h"
#include "flashtok/flashtok_c.h"
#include "flashtok/session_token_cache.h"
#include "flashtok/stream_decoder.h"

struct flashtok_encoder {
  std::shared_ptr<const flashtok::Encoder> encoder;
};

struct flashtok_append_cache {
  flashtok::AppendOnlyTokenCache cache;
  std::vector<flashtok::Rank> last_new_ids;  // what the last append returned, owned here for the caller
};

struct flashtok_session_cache {
  flashtok::SessionTokenCache cache;  // thread-safe: results live per thread (session_cache_c.cc)
};

struct flashtok_stream_decoder {
  flashtok::StreamDecoder decoder;
  std::string last_text;  // what the last push or flush returned
};

namespace flashtok::c_api {

// The status of a library error.
flashtok_status status_of(ErrorCode code) noexcept;
// Records this thread's message for flashtok_last_error and returns status.
flashtok_status fail(flashtok_status status, const std::string& message) noexcept;
// fail(FLASHTOK_INVALID_ARGUMENT) for a NULL where a value is needed.
flashtok_status null_argument() noexcept;
// Clears this thread's message (a call that succeeds).
flashtok_status ok() noexcept;

// Runs body (which returns a flashtok_status) and turns whatever it throws
// into a status and a message.
template <typename Body>
flashtok_status guarded(Body&& body) noexcept {
  try {
    return body();
  } catch (const Error& e) {
    return fail(status_of(e.code()), e.what());
  } catch (const std::bad_alloc&) {
    return fail(FLASHTOK_OUT_OF_MEMORY, "out of memory");
  } catch (const std::exception& e) {
    return fail(FLASHTOK_INTERNAL_ERROR, e.what());
  } catch (...) {
    return fail(FLASHTOK_INTERNAL_ERROR, "unknown error");
  }
}

// Fails unless every pointer argument named is non-null.
inline bool any_null() { return false; }
template <typename P, typename... Rest>
bool any_null(P p, Rest... rest) {
  return p == nullptr || any_null(rest...);
}

}  // namespace flashtok::c_api

#endif  // FLASHTOK_SRC_C_API_HANDLES_H_
