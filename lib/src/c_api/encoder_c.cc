// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include <map>
#include <string_view>
#include <vector>

#include "c_api/handles.h"
#include "flashtok/encoding.h"

using flashtok::c_api::any_null;
using flashtok::c_api::bad_text;
using flashtok::c_api::copy_out;
using flashtok::c_api::guarded;
using flashtok::c_api::null_argument;
using flashtok::c_api::ok;

extern "C" {

flashtok_status flashtok_encoder_new_builtin(const char* name, flashtok_encoder** out) {
  if (any_null(name, out)) return null_argument();
  return guarded([&] {
    *out = new flashtok_encoder{flashtok::Encoder::builtin(name)};
    return ok();
  });
}

flashtok_status flashtok_encoder_new_from_file(const char* path, const char* pattern,
                                               const char* const* special_names, const flashtok_rank* special_ids,
                                               size_t special_count, flashtok_encoder** out) {
  if (any_null(path, pattern, out) || (special_count != 0 && any_null(special_names, special_ids))) {
    return null_argument();
  }
  return guarded([&] {
    flashtok::Encoding::FileOptions options;
    options.pattern = pattern;
    for (std::size_t i = 0; i < special_count; ++i) {
      if (special_names[i] == nullptr) return null_argument();
      options.special_tokens[special_names[i]] = special_ids[i];
    }
    auto encoding = flashtok::Encoding::from_file(path, std::move(options));
    *out = new flashtok_encoder{std::make_shared<const flashtok::Encoder>(std::move(encoding))};
    return ok();
  });
}

void flashtok_encoder_free(flashtok_encoder* encoder) { delete encoder; }

flashtok_rank flashtok_encoder_n_vocab(const flashtok_encoder* encoder) {
  return encoder == nullptr ? 0 : encoder->encoder->encoding().n_vocab();
}

flashtok_status flashtok_encoder_prepare(const flashtok_encoder* encoder) {
  if (encoder == nullptr) return null_argument();
  return guarded([&] {
    encoder->encoder->prepare();
    return ok();
  });
}

flashtok_status flashtok_encode_ordinary(const flashtok_encoder* encoder, const char* text, size_t length,
                                         flashtok_rank* ids, size_t capacity, size_t* count) {
  if (any_null(encoder, count) || bad_text(text, length) || (ids == nullptr && capacity != 0)) return null_argument();
  return guarded([&] {
    const auto out = encoder->encoder->encode_ordinary(std::string_view(text, length));
    return copy_out(out.data(), out.size(), ids, capacity, count);
  });
}

flashtok_status flashtok_encode(const flashtok_encoder* encoder, const char* text, size_t length, int allow_special,
                                flashtok_rank* ids, size_t capacity, size_t* count) {
  if (any_null(encoder, count) || bad_text(text, length) || (ids == nullptr && capacity != 0)) return null_argument();
  return guarded([&] {
    const auto allowed = allow_special ? flashtok::SpecialTokenSet::all() : flashtok::SpecialTokenSet::none();
    const auto out = encoder->encoder->encode(std::string_view(text, length), allowed);
    return copy_out(out.data(), out.size(), ids, capacity, count);
  });
}

flashtok_status flashtok_count(const flashtok_encoder* encoder, const char* text, size_t length, size_t* count) {
  if (any_null(encoder, count) || bad_text(text, length)) return null_argument();
  return guarded([&] {
    *count = encoder->encoder->count(std::string_view(text, length));
    return ok();
  });
}

flashtok_status flashtok_decode(const flashtok_encoder* encoder, const flashtok_rank* ids, size_t n,
                                int replace_invalid, char* out, size_t capacity, size_t* length) {
  if (any_null(encoder, length) || (ids == nullptr && n != 0) || (out == nullptr && capacity != 0)) {
    return null_argument();
  }
  return guarded([&] {
    const std::vector<flashtok::Rank> tokens(ids, ids + n);
    const std::string text = replace_invalid ? encoder->encoder->decode(tokens) : encoder->encoder->decode_bytes(tokens);
    return copy_out(text.data(), text.size(), out, capacity, length);
  });
}

}  // extern "C"
