// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "c_api/handles.h"

using flashtok::c_api::any_null;
using flashtok::c_api::guarded;
using flashtok::c_api::null_argument;
using flashtok::c_api::ok;

namespace {

// Keeps the text in the decoder for the caller to read.
flashtok_status hand_out(flashtok_stream_decoder* decoder, std::string text, const char** out, size_t* length) {
  decoder->last_text = std::move(text);
  *out = decoder->last_text.data();
  *length = decoder->last_text.size();
  return ok();
}

}  // namespace

extern "C" {

flashtok_status flashtok_stream_decoder_new(const flashtok_encoder* encoder, int replace_invalid,
                                            flashtok_stream_decoder** out) {
  if (any_null(encoder, out)) return null_argument();
  return guarded([&] {
    const auto mode = replace_invalid ? flashtok::StreamDecoder::Mode::kReplace : flashtok::StreamDecoder::Mode::kBytes;
    *out = new flashtok_stream_decoder{flashtok::StreamDecoder(encoder->encoder->encoding_ptr(), mode), {}};
    return ok();
  });
}

void flashtok_stream_decoder_free(flashtok_stream_decoder* decoder) { delete decoder; }

flashtok_status flashtok_stream_decoder_push(flashtok_stream_decoder* decoder, flashtok_rank id, const char** text,
                                             size_t* length) {
  if (any_null(decoder, text, length)) return null_argument();
  return guarded([&] { return hand_out(decoder, decoder->decoder.push(id), text, length); });
}

flashtok_status flashtok_stream_decoder_flush(flashtok_stream_decoder* decoder, const char** text, size_t* length) {
  if (any_null(decoder, text, length)) return null_argument();
  return guarded([&] { return hand_out(decoder, decoder->decoder.flush(), text, length); });
}

}  // extern "C"
