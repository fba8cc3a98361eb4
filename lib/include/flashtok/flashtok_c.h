/* Copyright flashtok authors. SPDX-License-Identifier: MIT
 *
 * flashtok's C API: the encoder, the fixed-prefix cache, the append-only
 * cache, the session cache (and its output streams) and the stream decoder
 * for C and for any language that calls C (a stable ABI: opaque handles,
 * plain C types; no C++ type and no exception crosses it).
 *
 * Every function that can fail returns a flashtok_status; on failure
 * flashtok_last_error() gives a one-line message. Text is bytes with a
 * length (no NUL needed; any bytes, valid UTF-8 or not, are encoded
 * losslessly). Token ids are flashtok_rank.
 *
 * Thread safety: an encoder and a fixed-prefix cache are immutable and may
 * be used from any number of threads at once; so may a session cache (calls
 * on different sessions run in parallel, calls on one session are
 * serialized); an append cache or a stream decoder is used by one thread at
 * a time, and so is a session output. Each handle owns
 * what it needs: freeing the encoder while a cache or decoder made from it
 * still lives is fine.
 */
#ifndef FLASHTOK_FLASHTOK_C_H_
#define FLASHTOK_FLASHTOK_C_H_

#include <stddef.h>
#include <stdint.h>

#include "flashtok/export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef uint32_t flashtok_rank;

typedef enum flashtok_status {
  FLASHTOK_OK = 0,
  FLASHTOK_INVALID_ARGUMENT = 1,     /* unknown encoding name, NULL where a value is needed */
  FLASHTOK_NOT_FOUND = 2,            /* a file that does not exist */
  FLASHTOK_IO = 3,                   /* a file that cannot be read */
  FLASHTOK_TOO_LARGE = 4,            /* input over a size limit */
  FLASHTOK_CORRUPT_DATA = 5,         /* a malformed rank file */
  FLASHTOK_INVALID_TOKEN = 6,        /* a token id the encoding does not have */
  FLASHTOK_DISALLOWED_SPECIAL = 7,   /* special-token text where it is not allowed */
  FLASHTOK_UNSUPPORTED_PATTERN = 8,  /* a pattern RE2 cannot emulate */
  FLASHTOK_BUFFER_TOO_SMALL = 9,     /* the caller's buffer: *size_needed says how large */
  FLASHTOK_OUT_OF_MEMORY = 10,
  FLASHTOK_INTERNAL_ERROR = 11,
  FLASHTOK_SESSION_HELD = 12         /* a call on a session this thread holds open for output */
} flashtok_status;

/* The message of this thread's last failed call ("" if none): valid until
 * this thread's next call into flashtok. */
FLASHTOK_EXPORT const char* flashtok_last_error(void);

/* ---- Encoder ----------------------------------------------------------- */

typedef struct flashtok_encoder flashtok_encoder;

/* A built-in encoding: "cl100k_base", "o200k_base", "r50k_base", "p50k_base", "gpt2". */
FLASHTOK_EXPORT flashtok_status flashtok_encoder_new_builtin(const char* name, flashtok_encoder** out);
/* An encoding from a .tiktoken file, with tiktoken's pattern and special
 * tokens (special_names[i] has id special_ids[i]; both may be NULL when
 * special_count is 0). */
FLASHTOK_EXPORT flashtok_status flashtok_encoder_new_from_file(const char* path, const char* pattern,
                                                               const char* const* special_names,
                                                               const flashtok_rank* special_ids,
                                                               size_t special_count, flashtok_encoder** out);
FLASHTOK_EXPORT void flashtok_encoder_free(flashtok_encoder* encoder);
/* One past the largest id, ordinary or special. */
FLASHTOK_EXPORT flashtok_rank flashtok_encoder_n_vocab(const flashtok_encoder* encoder);
/* Builds now the tables encodes otherwise build on first use (the first
 * piece over 128 bytes would wait tens of milliseconds for them; they take
 * about 11 MB for cl100k_base, 21 MB for o200k_base) and the calling thread's
 * working memory (its 2.5 MB memo made resident, so that the thread's first
 * requests do not fault it in page by page): call it once at startup, and on
 * each worker thread if you like. Thread-safe. */
FLASHTOK_EXPORT flashtok_status flashtok_encoder_prepare(const flashtok_encoder* encoder);

/* The ids of text[0, length) into ids[0, capacity), their number in *count.
 * There are never more ids than bytes, so capacity == length always
 * suffices; with less room the call returns FLASHTOK_BUFFER_TOO_SMALL, *count
 * is the number needed and ids is left unspecified (capacity 0 and ids NULL
 * is a size query, at the cost of an encode). */
FLASHTOK_EXPORT flashtok_status flashtok_encode_ordinary(const flashtok_encoder* encoder, const char* text,
                                                         size_t length, flashtok_rank* ids, size_t capacity,
                                                         size_t* count);
/* tiktoken's encode: with allow_special nonzero, text of a special token
 * becomes its id; with 0, such text is an error (FLASHTOK_DISALLOWED_SPECIAL). */
FLASHTOK_EXPORT flashtok_status flashtok_encode(const flashtok_encoder* encoder, const char* text, size_t length,
                                                int allow_special, flashtok_rank* ids, size_t capacity,
                                                size_t* count);
/* The number of ids flashtok_encode_ordinary would give, without them. */
FLASHTOK_EXPORT flashtok_status flashtok_count(const flashtok_encoder* encoder, const char* text, size_t length,
                                               size_t* count);
/* The bytes of ids[0, n) into out[0, capacity), their number in *length (no
 * NUL is added). With replace_invalid nonzero, invalid UTF-8 becomes U+FFFD
 * (tiktoken's decode); with 0 the bytes are exact. FLASHTOK_BUFFER_TOO_SMALL
 * as for encoding. */
FLASHTOK_EXPORT flashtok_status flashtok_decode(const flashtok_encoder* encoder, const flashtok_rank* ids, size_t n,
                                                int replace_invalid, char* out, size_t capacity, size_t* length);

/* ---- Fixed-prefix cache: one prefix (a system prompt), many suffixes ---- */

typedef struct flashtok_fixed_prefix_cache flashtok_fixed_prefix_cache;

/* Encodes prefix[0, length) once. The ids of prefix + any suffix are then
 * the prefix's stable ids followed by the ids encode_tail gives, at the cost
 * of encoding the suffix and the few unstable bytes at the prefix's end. */
FLASHTOK_EXPORT flashtok_status flashtok_fixed_prefix_cache_new(const flashtok_encoder* encoder, const char* prefix,
                                                                size_t length, flashtok_fixed_prefix_cache** out);
FLASHTOK_EXPORT void flashtok_fixed_prefix_cache_free(flashtok_fixed_prefix_cache* cache);
/* The ids every prefix + suffix starts with (valid while the cache lives). */
FLASHTOK_EXPORT void flashtok_fixed_prefix_cache_stable_tokens(const flashtok_fixed_prefix_cache* cache,
                                                               const flashtok_rank** ids, size_t* count);
/* How many bytes at the prefix's end are encoded again with each suffix. */
FLASHTOK_EXPORT size_t flashtok_fixed_prefix_cache_unstable_bytes(const flashtok_fixed_prefix_cache* cache);
/* The ids of prefix + suffix[0, length) after the stable ids, into
 * ids[0, capacity), their number in *count. There are never more of them
 * than length + flashtok_fixed_prefix_cache_unstable_bytes(cache), so that
 * capacity always suffices; FLASHTOK_BUFFER_TOO_SMALL as for encoding. */
FLASHTOK_EXPORT flashtok_status flashtok_fixed_prefix_cache_encode_tail(const flashtok_fixed_prefix_cache* cache,
                                                                        const char* suffix, size_t length,
                                                                        flashtok_rank* ids, size_t capacity,
                                                                        size_t* count);
/* The number of ids of prefix + suffix[0, length), stable ones included. */
FLASHTOK_EXPORT flashtok_status flashtok_fixed_prefix_cache_count(const flashtok_fixed_prefix_cache* cache,
                                                                  const char* suffix, size_t length, size_t* count);

/* ---- Append-only cache: the ids of a text that only grows ---------------- */

typedef struct flashtok_append_cache flashtok_append_cache;

FLASHTOK_EXPORT flashtok_status flashtok_append_cache_new(const flashtok_encoder* encoder, const char* text,
                                                          size_t length, flashtok_append_cache** out);
FLASHTOK_EXPORT void flashtok_append_cache_free(flashtok_append_cache* cache);
/* Appends text; the caller drops its last *rollback_tokens ids, then
 * appends (*new_ids)[0, *new_count). *new_ids points into the cache and is
 * valid until the cache's next call. */
FLASHTOK_EXPORT flashtok_status flashtok_append_cache_append(flashtok_append_cache* cache, const char* text,
                                                             size_t length, size_t* rollback_tokens,
                                                             const flashtok_rank** new_ids, size_t* new_count);
/* Every id of the text so far (valid until the cache's next call). */
FLASHTOK_EXPORT void flashtok_append_cache_tokens(const flashtok_append_cache* cache, const flashtok_rank** ids,
                                                  size_t* count);

/* ---- Session cache: many conversations whose whole prompt comes each turn - */

typedef struct flashtok_session_cache flashtok_session_cache;

/* One stretch of ids that changed (the C++ TokenSplice): with restart
 * nonzero, drop every id first. Then the ids [first_changed, first_changed +
 * replaced_tokens) become replacement[0, replacement_count), and the
 * kept_tokens ids after them stay. first_changed counts the ids with the
 * earlier splices of the same result applied. A KV cache must still
 * recompute every position from the first first_changed on. */
typedef struct flashtok_splice {
  int restart;
  size_t first_changed;
  size_t replaced_tokens;
  const flashtok_rank* replacement; /* NULL when replacement_count is 0 */
  size_t replacement_count;
  size_t kept_tokens;
} flashtok_splice;

/* At most max_sessions sessions and max_bytes bytes of text, ids and piece
 * records; the least recently used sessions are evicted (0: the defaults,
 * 4096 sessions and 1 GiB). */
FLASHTOK_EXPORT flashtok_status flashtok_session_cache_new(const flashtok_encoder* encoder, size_t max_sessions,
                                                           size_t max_bytes, flashtok_session_cache** out);
/* The same split into `shards` parts (0: one), each with its own lock, least
 * recently used order and an equal share of both bounds, chosen by a hash of
 * the session: threads calling on sessions of different parts do not take
 * turns on one lock (SessionTokenCache::Options::shards; at most
 * max_sessions and 1024 parts). */
FLASHTOK_EXPORT flashtok_status flashtok_session_cache_new_sharded(const flashtok_encoder* encoder,
                                                                   size_t max_sessions, size_t max_bytes,
                                                                   size_t shards, flashtok_session_cache** out);
FLASHTOK_EXPORT void flashtok_session_cache_free(flashtok_session_cache* cache);
/* The session's prompt is now prompt[0, prompt_length). Only what changed is
 * encoded: an extension costs its new bytes, an edit anywhere the stretches
 * around it. The changes come as *count splices in *splices, to apply front
 * to back (none if no id changed). Sessions are byte strings (session[0,
 * session_length)). *splices and the ids they point to are valid until this
 * thread's next flashtok_session_cache_update or _append_output call. */
FLASHTOK_EXPORT flashtok_status flashtok_session_cache_update(flashtok_session_cache* cache, const char* session,
                                                              size_t session_length, const char* prompt,
                                                              size_t prompt_length, const flashtok_splice** splices,
                                                              size_t* count);
/* Model output appended to the session, so that the next prompt, which
 * contains it, extends the cached text. Results as for update (at most one
 * splice). */
FLASHTOK_EXPORT flashtok_status flashtok_session_cache_append_output(flashtok_session_cache* cache,
                                                                     const char* session, size_t session_length,
                                                                     const char* text, size_t length,
                                                                     const flashtok_splice** splices, size_t* count);
/* The session's ids into ids[0, capacity), their number in *count (0 for an
 * unknown session); FLASHTOK_BUFFER_TOO_SMALL as for encoding. */
FLASHTOK_EXPORT flashtok_status flashtok_session_cache_tokens(const flashtok_session_cache* cache,
                                                              const char* session, size_t session_length,
                                                              flashtok_rank* ids, size_t capacity, size_t* count);
/* Forgets a session; 1 if it was held, else 0. */
FLASHTOK_EXPORT int flashtok_session_cache_erase(flashtok_session_cache* cache, const char* session,
                                                 size_t session_length);

/* ---- Session output: one session held for a stream of model output ------ */

typedef struct flashtok_session_output flashtok_session_output;

/* Holds the session (created if the cache does not have it) for a stream of
 * model output, until flashtok_session_output_close: each append is then
 * flashtok_session_cache_append_output's without its lookup and its two
 * passes through the cache's lock (the C++ SessionTokenCache::OutputStream).
 * Meanwhile other threads' calls on the session wait; this thread's calls on
 * it, other than through *out, fail with FLASHTOK_SESSION_HELD (they would
 * wait forever), and so does opening it again. Used by one thread at a
 * time and closed before the cache is freed; it may move to another thread
 * (whose calls on the session then fail, and the old thread's wait) when it
 * appends there. */
FLASHTOK_EXPORT flashtok_status flashtok_session_output_open(flashtok_session_cache* cache, const char* session,
                                                             size_t session_length, flashtok_session_output** out);
/* Output appended to the held session: results as for
 * flashtok_session_cache_append_output (at most one splice), valid until
 * the stream's next call. */
FLASHTOK_EXPORT flashtok_status flashtok_session_output_append(flashtok_session_output* output, const char* text,
                                                               size_t length, const flashtok_splice** splices,
                                                               size_t* count);
/* Lets the session go (its appends reach the cache's counts now; its bytes
 * counted toward the bounds as they grew) and frees the handle. NULL:
 * nothing. */
FLASHTOK_EXPORT void flashtok_session_output_close(flashtok_session_output* output);

/* ---- Stream decoder: generated ids to text, never splitting a character -- */

typedef struct flashtok_stream_decoder flashtok_stream_decoder;

/* With replace_invalid nonzero, invalid sequences come out as U+FFFD (the
 * pieces add up to flashtok_decode with replace_invalid); with 0, as their
 * bytes. */
FLASHTOK_EXPORT flashtok_status flashtok_stream_decoder_new(const flashtok_encoder* encoder, int replace_invalid,
                                                            flashtok_stream_decoder** out);
FLASHTOK_EXPORT void flashtok_stream_decoder_free(flashtok_stream_decoder* decoder);
/* Adds one id; (*text)[0, *length) is what now forms whole characters
 * (possibly nothing), valid until the decoder's next call. */
FLASHTOK_EXPORT flashtok_status flashtok_stream_decoder_push(flashtok_stream_decoder* decoder, flashtok_rank id,
                                                             const char** text, size_t* length);
/* What is still held back, at the end of the stream; the decoder starts over. */
FLASHTOK_EXPORT flashtok_status flashtok_stream_decoder_flush(flashtok_stream_decoder* decoder, const char** text,
                                                              size_t* length);

#ifdef __cplusplus
}
#endif

#endif /* FLASHTOK_FLASHTOK_C_H_ */
