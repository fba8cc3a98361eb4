// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "c_api/handles.h"

using flashtok::c_api::any_null;
using flashtok::c_api::bad_text;
using flashtok::c_api::copy_out;
using flashtok::c_api::guarded;
using flashtok::c_api::null_argument;
using flashtok::c_api::ok;
using flashtok::c_api::splices_of_append;

namespace {

// The last result of this thread: the cache is shared by threads, so what a
// call hands back cannot live in the cache handle.
struct SplicesOfThisThread {
  std::vector<flashtok::TokenSplice> splices;  // an update's
  flashtok::TokenDelta delta;  // an append's, refilled in place: a stream of appends allocates nothing
  std::vector<flashtok_splice> views;
};

SplicesOfThisThread& splices_of_this_thread() {
  thread_local SplicesOfThisThread result;
  return result;
}

flashtok_status hand_over(std::vector<flashtok::TokenSplice> splices, const flashtok_splice** out, size_t* count) {
  SplicesOfThisThread& result = splices_of_this_thread();
  result.splices = std::move(splices);
  result.views.clear();
  for (const flashtok::TokenSplice& s : result.splices) {
    result.views.push_back(flashtok_splice{s.restart ? 1 : 0, s.first_changed, s.replaced_tokens,
                                           s.replacement.data(), s.replacement.size(), s.kept_tokens});
  }
  *out = result.views.data();
  *count = result.views.size();
  return ok();
}

}  // namespace

extern "C" {

flashtok_status flashtok_session_cache_new(const flashtok_encoder* encoder, size_t max_sessions, size_t max_bytes,
                                           flashtok_session_cache** out) {
  return flashtok_session_cache_new_sharded(encoder, max_sessions, max_bytes, 1, out);
}

flashtok_status flashtok_session_cache_new_sharded(const flashtok_encoder* encoder, size_t max_sessions,
                                                   size_t max_bytes, size_t shards, flashtok_session_cache** out) {
  if (any_null(encoder, out)) return null_argument();
  return guarded([&] {
    flashtok::SessionTokenCache::Options options;
    if (max_sessions != 0) options.max_sessions = max_sessions;
    if (max_bytes != 0) options.max_bytes = max_bytes;
    options.shards = shards;
    *out = new flashtok_session_cache{flashtok::SessionTokenCache(encoder->encoder, options)};
    return ok();
  });
}

void flashtok_session_cache_free(flashtok_session_cache* cache) { delete cache; }

flashtok_status flashtok_session_cache_update(flashtok_session_cache* cache, const char* session,
                                              size_t session_length, const char* prompt, size_t prompt_length,
                                              const flashtok_splice** splices, size_t* count) {
  if (any_null(cache, splices, count) || bad_text(session, session_length) || bad_text(prompt, prompt_length)) {
    return null_argument();
  }
  return guarded([&] {
    return hand_over(cache->cache.update_splices(std::string_view(session, session_length),
                                                 std::string_view(prompt, prompt_length)),
                     splices, count);
  });
}

flashtok_status flashtok_session_cache_append_output(flashtok_session_cache* cache, const char* session,
                                                     size_t session_length, const char* text, size_t length,
                                                     const flashtok_splice** splices, size_t* count) {
  if (any_null(cache, splices, count) || bad_text(session, session_length) || bad_text(text, length)) {
    return null_argument();
  }
  return guarded([&] {
    SplicesOfThisThread& result = splices_of_this_thread();
    flashtok::TokenDelta& delta = result.delta;
    cache->cache.append_output(std::string_view(session, session_length), std::string_view(text, length), &delta);
    result.splices.clear();
    result.views.clear();
    flashtok_splice view;
    if (splices_of_append(delta, &view) != 0) result.views.push_back(view);
    *splices = result.views.data();
    *count = result.views.size();
    return ok();
  });
}

flashtok_status flashtok_session_cache_tokens(const flashtok_session_cache* cache, const char* session,
                                              size_t session_length, flashtok_rank* ids, size_t capacity,
                                              size_t* count) {
  if (any_null(cache, count) || bad_text(session, session_length) || (ids == nullptr && capacity != 0)) {
    return null_argument();
  }
  return guarded([&] {
    const std::vector<flashtok::Rank> tokens = cache->cache.tokens(std::string_view(session, session_length));
    return copy_out(tokens.data(), tokens.size(), ids, capacity, count);
  });
}

int flashtok_session_cache_erase(flashtok_session_cache* cache, const char* session, size_t session_length) {
  if (cache == nullptr || bad_text(session, session_length)) return 0;
  try {
    return cache->cache.erase(std::string_view(session, session_length)) ? 1 : 0;
  } catch (...) {  // nothing crosses into C (erase allocates nothing; a lock could fail)
    return 0;
  }
}

}  // extern "C"
