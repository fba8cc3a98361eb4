// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// What the C API's opaque handles are, and the one place where C++ errors
// become a flashtok_status and a message: nothing thrown crosses into C.
#ifndef FLASHTOK_SRC_C_API_HANDLES_H_
#define FLASHTOK_SRC_C_API_HANDLES_H_

#include <cstddef>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "flashtok/append_only_token_cache.h"
#include "flashtok/encoder.h"
#include "flashtok/error.h"
#include "flashtok/fixed_prefix_token_cache.h"
#include "flashtok/flashtok_c.h"
#include "flashtok/session_token_cache.h"
#include "flashtok/stream_decoder.h"

struct flashtok_encoder {
  std::shared_ptr<const flashtok::Encoder> encoder;
};

struct flashtok_append_cache {
  flashtok::AppendOnlyTokenCache cache;
  // What the last append returned, owned here for the caller; refilled in
  // place, so a stream of appends allocates nothing once it has grown.
  flashtok::TokenDelta last_delta;
};

struct flashtok_fixed_prefix_cache {
  flashtok::FixedPrefixTokenCache cache;  // immutable: shared by any number of threads
};

struct flashtok_session_cache {
  flashtok::SessionTokenCache cache;  // thread-safe: results live per thread (session_cache_c.cc)
};

struct flashtok_session_output {
  flashtok::SessionTokenCache::OutputStream stream;
  flashtok::TokenDelta last_delta;  // what the last append returned, refilled in place
  flashtok_splice last_splice;      // its view for C
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
  } catch (const SessionHeldError& e) {
    return fail(FLASHTOK_SESSION_HELD, e.what());
  } catch (const std::bad_alloc&) {
    return fail(FLASHTOK_OUT_OF_MEMORY, "out of memory");
  } catch (const std::exception& e) {
    return fail(FLASHTOK_INTERNAL_ERROR, e.what());
  } catch (...) {
    return fail(FLASHTOK_INTERNAL_ERROR, "unknown error");
  }
}

// Copies what fits and reports the size: the caller's buffer protocol.
template <typename T>
flashtok_status copy_out(const T* data, std::size_t size, T* out, std::size_t capacity, std::size_t* size_needed) {
  *size_needed = size;
  if (size > capacity) {
    return fail(FLASHTOK_BUFFER_TOO_SMALL, "the buffer holds " + std::to_string(capacity) + ", " +
                                               std::to_string(size) + " are needed");
  }
  if (size != 0) std::memcpy(out, data, size * sizeof(T));
  return ok();
}

// An append's delta as C's splices: none when no id changed, else one that
// keeps nothing after the ids it replaces (NULL replacement when empty, as
// the header promises). Fills *splice; the number of splices.
inline std::size_t splices_of_append(const TokenDelta& delta, flashtok_splice* splice) {
  if (!delta.restart && delta.rollback_tokens == 0 && delta.tokens_to_append.empty()) return 0;
  const std::vector<Rank>& fresh = delta.tokens_to_append;
  *splice = flashtok_splice{delta.restart ? 1 : 0, delta.first_changed, delta.rollback_tokens,
                            fresh.empty() ? nullptr : fresh.data(), fresh.size(), 0};
  return 1;
}

// text may be NULL only when empty.
inline bool bad_text(const char* text, std::size_t length) { return text == nullptr && length != 0; }

// Fails unless every pointer argument named is non-null.
inline bool any_null() { return false; }
template <typename P, typename... Rest>
bool any_null(P p, Rest... rest) {
  return p == nullptr || any_null(rest...);
}

}  // namespace flashtok::c_api

#endif  // FLASHTOK_SRC_C_API_HANDLES_H_
