/* Copyright flashtok authors. SPDX-License-Identifier: MIT
 *
 * A C program that uses the installed library through flashtok_c.h (the
 * README's C example): encodes a text, decodes it back, streams the ids,
 * and encodes it again as a fixed prefix ("hello") and its suffix.
 * Exits 1 if the round trips disagree. */
#include <stdio.h>
#include <string.h>

#include "flashtok/flashtok_c.h"

int main(void) {
  const char* text = "hello world \xf0\x9f\xa6\x9c";
  const size_t length = strlen(text);
  flashtok_encoder* enc = NULL;
  flashtok_stream_decoder* stream = NULL;
  flashtok_fixed_prefix_cache* prefix = NULL;
  const flashtok_rank* stable = NULL;
  flashtok_rank ids[64], tail[64];
  char decoded[64], streamed[64];
  size_t n = 0, decoded_n = 0, streamed_n = 0, stable_n = 0, tail_n = 0, i;

  if (flashtok_encoder_new_builtin("o200k_base", &enc) != FLASHTOK_OK ||
      flashtok_encode_ordinary(enc, text, length, ids, 64, &n) != FLASHTOK_OK ||
      flashtok_decode(enc, ids, n, 1, decoded, sizeof decoded, &decoded_n) != FLASHTOK_OK ||
      flashtok_stream_decoder_new(enc, 1, &stream) != FLASHTOK_OK ||
      flashtok_fixed_prefix_cache_new(enc, text, 5, &prefix) != FLASHTOK_OK ||
      flashtok_fixed_prefix_cache_encode_tail(prefix, text + 5, length - 5, tail, 64, &tail_n) != FLASHTOK_OK) {
    fprintf(stderr, "consumer: %s\n", flashtok_last_error());
    return 1;
  }
  printf("C, o200k_base \"%s\" ->", text);
  for (i = 0; i < n; ++i) {
    const char* piece;
    size_t piece_n;
    printf(" %u", (unsigned)ids[i]);
    if (flashtok_stream_decoder_push(stream, ids[i], &piece, &piece_n) != FLASHTOK_OK) return 1;
    memcpy(streamed + streamed_n, piece, piece_n);  /* whole characters only */
    streamed_n += piece_n;
  }
  flashtok_fixed_prefix_cache_stable_tokens(prefix, &stable, &stable_n);
  if (stable_n + tail_n != n || memcmp(stable, ids, stable_n * sizeof *ids) != 0 ||
      memcmp(tail, ids + stable_n, tail_n * sizeof *ids) != 0) {
    printf(" (fixed prefix FAILED)\n");
    return 1;
  }
  flashtok_fixed_prefix_cache_free(prefix);
  flashtok_stream_decoder_free(stream);
  flashtok_encoder_free(enc);
  if (decoded_n != length || memcmp(decoded, text, length) != 0 || streamed_n != length ||
      memcmp(streamed, text, length) != 0) {
    printf(" (round trip FAILED)\n");
    return 1;
  }
  printf(" (ok)\n");
  return 0;
}
