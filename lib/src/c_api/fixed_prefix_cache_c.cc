// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include <string>
#include <string_view>
#include <vector>

#include "c_api/handles.h"

using flashtok::c_api::any_null;
using flashtok::c_api::bad_text;
using flashtok::c_api::copy_out;
using flashtok::c_api::guarded;
using flashtok::c_api::null_argument;
using flashtok::c_api::ok;

extern "C" {

flashtok_status flashtok_fixed_prefix_cache_new(const flashtok_encoder* encoder, const char* prefix, size_t length,
                                                flashtok_fixed_prefix_cache** out) {
  if (any_null(encoder, out) || bad_text(prefix, length)) return null_argument();
  return guarded([&] {
    *out = new flashtok_fixed_prefix_cache{flashtok::FixedPrefixTokenCache(encoder->encoder, std::string(prefix, length))};
    return ok();
  });
}

void flashtok_fixed_prefix_cache_free(flashtok_fixed_prefix_cache* cache) { delete cache; }

void flashtok_fixed_prefix_cache_stable_tokens(const flashtok_fixed_prefix_cache* cache, const flashtok_rank** ids,
                                               size_t* count) {
  if (any_null(cache, ids, count)) return;
  *ids = cache->cache.stable_tokens().data();
  *count = cache->cache.stable_tokens().size();
}

size_t flashtok_fixed_prefix_cache_unstable_bytes(const flashtok_fixed_prefix_cache* cache) {
  return cache == nullptr ? 0 : cache->cache.unstable_text().size();
}

flashtok_status flashtok_fixed_prefix_cache_encode_tail(const flashtok_fixed_prefix_cache* cache, const char* suffix,
                                                        size_t length, flashtok_rank* ids, size_t capacity,
                                                        size_t* count) {
  if (any_null(cache, count) || bad_text(suffix, length) || (ids == nullptr && capacity != 0)) return null_argument();
  return guarded([&] {
    // The handle is shared by threads: the ids go through a buffer of the
    // calling thread's, whose capacity the next call reuses.
    thread_local std::vector<flashtok::Rank> tail;
    cache->cache.encode_tail(std::string_view(suffix, length), &tail);
    return copy_out(tail.data(), tail.size(), ids, capacity, count);
  });
}

flashtok_status flashtok_fixed_prefix_cache_count(const flashtok_fixed_prefix_cache* cache, const char* suffix,
                                                  size_t length, size_t* count) {
  if (any_null(cache, count) || bad_text(suffix, length)) return null_argument();
  return guarded([&] {
    *count = cache->cache.count(std::string_view(suffix, length));
    return ok();
  });
}

}  // extern "C"
