// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include <string_view>

#include "c_api/handles.h"

using flashtok::c_api::any_null;
using flashtok::c_api::bad_text;
using flashtok::c_api::guarded;
using flashtok::c_api::null_argument;
using flashtok::c_api::ok;
using flashtok::c_api::splices_of_append;

extern "C" {

flashtok_status flashtok_session_output_open(flashtok_session_cache* cache, const char* session,
                                             size_t session_length, flashtok_session_output** out) {
  if (any_null(cache, out) || bad_text(session, session_length)) return null_argument();
  return guarded([&] {
    *out = new flashtok_session_output{cache->cache.open_output(std::string_view(session, session_length)), {}, {}};
    return ok();
  });
}

flashtok_status flashtok_session_output_append(flashtok_session_output* output, const char* text, size_t length,
                                               const flashtok_splice** splices, size_t* count) {
  if (any_null(output, splices, count) || bad_text(text, length)) return null_argument();
  return guarded([&] {
    output->stream.append_output(std::string_view(text, length), &output->last_delta);
    *count = splices_of_append(output->last_delta, &output->last_splice);
    *splices = &output->last_splice;
    return ok();
  });
}

void flashtok_session_output_close(flashtok_session_output* output) { delete output; }

}  // extern "C"
