// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include <string_view>

#include "c_api/handles.h"

using flashtok::c_api::any_null;
using flashtok::c_api::bad_text;
using flashtok::c_api::guarded;
using flashtok::c_api::null_argument;
using flashtok::c_api::ok;

extern "C" {

flashtok_status flashtok_append_cache_new(const flashtok_encoder* encoder, const char* text, size_t length,
                                          flashtok_append_cache** out) {
  if (any_null(encoder, out) || bad_text(text, length)) {
    return null_argument();
  }
  return guarded([&] {
    *out = new flashtok_append_cache{flashtok::AppendOnlyTokenCache(encoder->encoder, std::string_view(text, length)), {}};
    return ok();
  });
}

void flashtok_append_cache_free(flashtok_append_cache* cache) { delete cache; }

flashtok_status flashtok_append_cache_append(flashtok_append_cache* cache, const char* text, size_t length,
                                             size_t* rollback_tokens, const flashtok_rank** new_ids,
                                             size_t* new_count) {
  if (any_null(cache, rollback_tokens, new_ids, new_count) || bad_text(text, length)) {
    return null_argument();
  }
  return guarded([&] {
    flashtok::TokenDelta& delta = cache->last_delta;
    cache->cache.append_ordinary(std::string_view(text, length), &delta);
    *rollback_tokens = delta.rollback_tokens;
    *new_ids = delta.tokens_to_append.data();
    *new_count = delta.tokens_to_append.size();
    return ok();
  });
}

void flashtok_append_cache_tokens(const flashtok_append_cache* cache, const flashtok_rank** ids, size_t* count) {
  if (any_null(cache, ids, count)) return;
  *ids = cache->cache.tokens().data();
  *count = cache->cache.tokens().size();
}

}  // extern "C"
