/* Copyright flashtok authors. SPDX-License-Identifier: MIT
 *
 * The C API from C (compiled as C99, not C++): each function's contract,
 * and that its results agree with one another (the ids of a text decode
 * back to it, the append cache, the session cache and the stream decoder
 * give what a full encode and decode give). The ids themselves are checked
 * against tiktoken by the C++ and Python suites; this checks the C layer
 * over them.
 * Usage: c_api_test RANK_FILE (a .tiktoken file, for the from-file loader) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flashtok/flashtok_c.h"

static int failures = 0;

#define CHECK(cond)                                                 \
  do {                                                              \
    if (!(cond)) {                                                  \
      fprintf(stderr, "%s:%d: failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                   \
    }                                                               \
  } while (0)

#define CAPACITY 4096

/* Texts with what C callers hand over: ASCII, multi-byte characters, an
 * emoji, a lone invalid byte, a character cut short, an embedded NUL. */
static const char* const kTexts[] = {
    "hello world", "Grüße, 世界! 🦜 done.", "int main(void) { return 0; }\n\n\t",
    "bad \xff byte", "cut \xe4\xb8", "nul\0inside",
};
static const size_t kLengths[] = {11, 27, 31, 10, 6, 10};

/* Golden ids from real tiktoken (tests/golden/golden.jsonl, entries
 * ends_ideographic_space and ends_two_spaces): the C API must give exactly
 * these, through encode_ordinary and through encode. */
typedef struct {
  const char* text;
  size_t n;
  flashtok_rank ids[8];
} golden_case;

static const golden_case kGoldenCl100k[] = {
    {"ends with U+3000\xe3\x80\x80", 7, {1438, 449, 549, 10, 3101, 15, 23249}},
    {"ends with two spaces  ", 5, {1438, 449, 1403, 12908, 256}},
};
static const golden_case kGoldenR50k[] = {
    {"ends with U+3000\xe3\x80\x80", 7, {2412, 351, 471, 10, 23924, 5099, 222}},
    {"ends with two spaces  ", 6, {2412, 351, 734, 9029, 220, 220}},
};

static void test_golden_ids(const flashtok_encoder* enc, const golden_case* cases, size_t count) {
  for (size_t c = 0; c < count; ++c) {
    flashtok_rank ids[CAPACITY];
    size_t n = 0;
    const size_t length = strlen(cases[c].text);
    CHECK(flashtok_encode_ordinary(enc, cases[c].text, length, ids, CAPACITY, &n) == FLASHTOK_OK);
    CHECK(n == cases[c].n && memcmp(ids, cases[c].ids, n * sizeof *ids) == 0);
    n = 0;
    CHECK(flashtok_encode(enc, cases[c].text, length, 0, ids, CAPACITY, &n) == FLASHTOK_OK);
    CHECK(n == cases[c].n && memcmp(ids, cases[c].ids, n * sizeof *ids) == 0);
  }
}

static void test_round_trips(const flashtok_encoder* enc) {
  for (size_t t = 0; t < sizeof kTexts / sizeof kTexts[0]; ++t) {
    flashtok_rank ids[CAPACITY];
    size_t n = 0, counted = 0, length = 0;
    char bytes[CAPACITY];
    CHECK(flashtok_encode_ordinary(enc, kTexts[t], kLengths[t], ids, CAPACITY, &n) == FLASHTOK_OK);
    CHECK(n > 0 && n <= kLengths[t]);
    CHECK(flashtok_count(enc, kTexts[t], kLengths[t], &counted) == FLASHTOK_OK && counted == n);
    CHECK(flashtok_decode(enc, ids, n, 0, bytes, CAPACITY, &length) == FLASHTOK_OK);
    CHECK(length == kLengths[t] && memcmp(bytes, kTexts[t], length) == 0);
  }
}

static void test_buffer_protocol(const flashtok_encoder* enc) {
  flashtok_rank ids[CAPACITY];
  size_t needed = 0, n = 0, length = 0;
  char text[4];
  CHECK(flashtok_encode_ordinary(enc, "hello world", 11, NULL, 0, &needed) == FLASHTOK_BUFFER_TOO_SMALL);
  CHECK(strlen(flashtok_last_error()) > 0);
  CHECK(flashtok_encode_ordinary(enc, "hello world", 11, ids, needed, &n) == FLASHTOK_OK && n == needed);
  CHECK(flashtok_last_error()[0] == '\0');
  CHECK(flashtok_decode(enc, ids, n, 1, text, sizeof text, &length) == FLASHTOK_BUFFER_TOO_SMALL);
  CHECK(length == 11);
  CHECK(flashtok_encode_ordinary(enc, "", 0, NULL, 0, &n) == FLASHTOK_OK && n == 0);
}

static void test_errors(const flashtok_encoder* enc) {
  flashtok_encoder* none = NULL;
  flashtok_rank ids[CAPACITY];
  flashtok_rank bad = flashtok_encoder_n_vocab(enc) + 5;
  size_t n = 0, length = 0;
  char text[CAPACITY];
  CHECK(flashtok_encoder_new_builtin("no_such_encoding", &none) == FLASHTOK_INVALID_ARGUMENT && none == NULL);
  CHECK(strstr(flashtok_last_error(), "no_such_encoding") != NULL);
  CHECK(flashtok_encoder_prepare(NULL) == FLASHTOK_INVALID_ARGUMENT);
  CHECK(flashtok_encoder_new_builtin(NULL, &none) == FLASHTOK_INVALID_ARGUMENT);
  CHECK(flashtok_encoder_new_from_file("/no/such/file.tiktoken", "x", NULL, NULL, 0, &none) == FLASHTOK_NOT_FOUND);
  CHECK(flashtok_decode(enc, &bad, 1, 1, text, CAPACITY, &length) == FLASHTOK_INVALID_TOKEN);
  CHECK(flashtok_encode(enc, "a <|endoftext|>", 15, 0, ids, CAPACITY, &n) == FLASHTOK_DISALLOWED_SPECIAL);
  CHECK(flashtok_encode(enc, "a <|endoftext|>", 15, 1, ids, CAPACITY, &n) == FLASHTOK_OK);
  CHECK(flashtok_decode(enc, ids, n, 1, text, CAPACITY, &length) == FLASHTOK_OK);
  CHECK(length == 15 && memcmp(text, "a <|endoftext|>", 15) == 0);
  CHECK(flashtok_encode_ordinary(NULL, "a", 1, ids, CAPACITY, &n) == FLASHTOK_INVALID_ARGUMENT);
}

/* Stable ids + tail == a full encode of prefix + suffix, for every pair of
 * texts (and a prefix that ends in a long run of spaces, which keeps the
 * run's ids), with the documented capacity; one id less is a size query. */
static void test_fixed_prefix_cache(const flashtok_encoder* enc) {
  static char prefix[CAPACITY];
  static char text[2 * CAPACITY];
  flashtok_rank full[2 * CAPACITY], mine[2 * CAPACITY];
  const size_t n_texts = sizeof kTexts / sizeof kTexts[0];
  for (size_t p = 0; p <= n_texts; ++p) {
    size_t prefix_n = 0;
    if (p < n_texts) {
      memcpy(prefix, kTexts[p], kLengths[p]);
      prefix_n = kLengths[p];
    } else {
      memcpy(prefix, "log:", 4);
      memset(prefix + 4, ' ', 600);
      prefix_n = 604;
    }
    flashtok_fixed_prefix_cache* cache = NULL;
    CHECK(flashtok_fixed_prefix_cache_new(enc, prefix, prefix_n, &cache) == FLASHTOK_OK);
    if (cache == NULL) continue;
    const flashtok_rank* stable = NULL;
    size_t stable_n = 0;
    flashtok_fixed_prefix_cache_stable_tokens(cache, &stable, &stable_n);
    const size_t unstable = flashtok_fixed_prefix_cache_unstable_bytes(cache);
    CHECK(unstable <= prefix_n);
    for (size_t q = 0; q <= n_texts; ++q) {
      const char* suffix = q < n_texts ? kTexts[q] : NULL; /* the last: an empty suffix, NULL allowed */
      const size_t suffix_n = q < n_texts ? kLengths[q] : 0;
      size_t full_n = 0, tail_n = 0, counted = 0;
      memcpy(text, prefix, prefix_n);
      if (suffix_n != 0) memcpy(text + prefix_n, suffix, suffix_n);
      CHECK(flashtok_encode_ordinary(enc, text, prefix_n + suffix_n, full, 2 * CAPACITY, &full_n) == FLASHTOK_OK);
      memcpy(mine, stable, stable_n * sizeof *stable);
      CHECK(flashtok_fixed_prefix_cache_encode_tail(cache, suffix, suffix_n, mine + stable_n, suffix_n + unstable,
                                                    &tail_n) == FLASHTOK_OK);
      CHECK(stable_n + tail_n == full_n && memcmp(mine, full, full_n * sizeof *full) == 0);
      CHECK(flashtok_fixed_prefix_cache_count(cache, suffix, suffix_n, &counted) == FLASHTOK_OK && counted == full_n);
      if (tail_n > 0) {
        size_t needed = 0;
        CHECK(flashtok_fixed_prefix_cache_encode_tail(cache, suffix, suffix_n, mine, tail_n - 1, &needed) ==
              FLASHTOK_BUFFER_TOO_SMALL);
        CHECK(needed == tail_n && flashtok_last_error()[0] != '\0');
      }
    }
    {
      size_t n = 0;
      CHECK(flashtok_fixed_prefix_cache_encode_tail(cache, NULL, 3, mine, CAPACITY, &n) == FLASHTOK_INVALID_ARGUMENT);
      CHECK(flashtok_fixed_prefix_cache_count(cache, "x", 1, NULL) == FLASHTOK_INVALID_ARGUMENT);
    }
    flashtok_fixed_prefix_cache_free(cache);
  }
  {
    flashtok_fixed_prefix_cache* cache = NULL;
    CHECK(flashtok_fixed_prefix_cache_new(NULL, "x", 1, &cache) == FLASHTOK_INVALID_ARGUMENT && cache == NULL);
    CHECK(flashtok_fixed_prefix_cache_new(enc, NULL, 1, &cache) == FLASHTOK_INVALID_ARGUMENT && cache == NULL);
    CHECK(flashtok_fixed_prefix_cache_unstable_bytes(NULL) == 0);
    /* An empty prefix (NULL with length 0): no stable ids; the tail is a full encode. */
    {
      const flashtok_rank* stable = NULL;
      flashtok_rank tail[64], full[64];
      size_t stable_n = 1, tail_n = 0, full_n = 0;
      CHECK(flashtok_fixed_prefix_cache_new(enc, NULL, 0, &cache) == FLASHTOK_OK);
      flashtok_fixed_prefix_cache_stable_tokens(cache, &stable, &stable_n);
      CHECK(stable_n == 0 && flashtok_fixed_prefix_cache_unstable_bytes(cache) == 0);
      CHECK(flashtok_fixed_prefix_cache_encode_tail(cache, kTexts[1], kLengths[1], tail, 64, &tail_n) == FLASHTOK_OK);
      CHECK(flashtok_encode_ordinary(enc, kTexts[1], kLengths[1], full, 64, &full_n) == FLASHTOK_OK);
      CHECK(tail_n == full_n && memcmp(tail, full, full_n * sizeof *full) == 0);
      flashtok_fixed_prefix_cache_free(cache);
    }
    flashtok_fixed_prefix_cache_free(NULL);
  }
}

/* The cache's deltas, applied to our own list, give a full encode of the text. */
static void test_append_cache(const flashtok_encoder* enc) {
  static const char* const kParts[] = {"Hello", " wor", "ld", "!!", " 世", "界", "\n\n", "  x", "'s", "\xf0\x9f", "\xa6\x9c"};
  flashtok_append_cache* cache = NULL;
  flashtok_rank mine[CAPACITY], full[CAPACITY];
  char text[CAPACITY] = "";
  size_t mine_n = 0, text_n = 0;
  CHECK(flashtok_append_cache_new(enc, NULL, 0, &cache) == FLASHTOK_OK);
  for (size_t i = 0; i < sizeof kParts / sizeof kParts[0]; ++i) {
    size_t rollback = 0, new_n = 0, full_n = 0, cached_n = 0;
    const flashtok_rank* new_ids = NULL;
    const flashtok_rank* cached = NULL;
    const size_t len = strlen(kParts[i]);
    CHECK(flashtok_append_cache_append(cache, kParts[i], len, &rollback, &new_ids, &new_n) == FLASHTOK_OK);
    CHECK(rollback <= mine_n);
    mine_n -= rollback;
    memcpy(mine + mine_n, new_ids, new_n * sizeof *new_ids);
    mine_n += new_n;
    memcpy(text + text_n, kParts[i], len);
    text_n += len;
    CHECK(flashtok_encode_ordinary(enc, text, text_n, full, CAPACITY, &full_n) == FLASHTOK_OK);
    CHECK(full_n == mine_n && memcmp(full, mine, mine_n * sizeof *mine) == 0);
    flashtok_append_cache_tokens(cache, &cached, &cached_n);
    CHECK(cached_n == mine_n && memcmp(cached, mine, mine_n * sizeof *mine) == 0);
  }
  flashtok_append_cache_free(cache);
}

/* Applies splices front to back to ids[0, n); the new count. */
static size_t apply_splices(flashtok_rank* ids, size_t n, const flashtok_splice* s, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    if (s[i].restart) n = 0;
    const size_t end = s[i].first_changed + s[i].replaced_tokens;
    CHECK(end <= n && n - s[i].replaced_tokens + s[i].replacement_count <= CAPACITY);
    if (end > n || n - s[i].replaced_tokens + s[i].replacement_count > CAPACITY) return n;
    memmove(ids + s[i].first_changed + s[i].replacement_count, ids + end, (n - end) * sizeof *ids);
    if (s[i].replacement_count != 0) /* replacement is NULL when there is none */
      memcpy(ids + s[i].first_changed, s[i].replacement, s[i].replacement_count * sizeof *ids);
    n = n - s[i].replaced_tokens + s[i].replacement_count;
    if (i + 1 == count) CHECK(s[i].first_changed + s[i].replacement_count + s[i].kept_tokens == n);
  }
  return n;
}

/* After each call, the splices applied to our own list and the cache's own
 * ids both give a full encode of the session's text. */
static void check_session(const flashtok_encoder* enc, const flashtok_session_cache* cache, const char* text,
                          size_t text_n, const flashtok_rank* mine, size_t mine_n) {
  flashtok_rank full[CAPACITY], held[CAPACITY];
  size_t full_n = 0, held_n = 0;
  CHECK(flashtok_encode_ordinary(enc, text, text_n, full, CAPACITY, &full_n) == FLASHTOK_OK);
  CHECK(full_n == mine_n && memcmp(full, mine, mine_n * sizeof *mine) == 0);
  CHECK(flashtok_session_cache_tokens(cache, "s1", 2, held, CAPACITY, &held_n) == FLASHTOK_OK);
  CHECK(held_n == full_n && memcmp(held, full, full_n * sizeof *full) == 0);
}

/* Prompts edited at the start (the time), in the middle (a passage) and at
 * the end (a new turn), model output appended, a cut: the session cache's
 * splices keep our list equal to a full encode. */
/* shards: 0 for flashtok_session_cache_new, else _new_sharded's count. */
static void test_session_cache(const flashtok_encoder* enc, size_t shards) {
  static const char* const kPassages[] = {"The river floods in spring; farmers plant after the water falls.",
                                          "Sehr geehrte Damen und Herren, die Sitzung beginnt um neun Uhr.",
                                          "int add(int a, int b) { return a + b; }  // 加法"};
  static const char* const kTurns[] = {"", "\nUser: and then?", "\nUser: and then?\nAssistant: more.\nUser: ok"};
  flashtok_session_cache* cache = NULL;
  flashtok_rank mine[CAPACITY];
  char text[CAPACITY];
  size_t mine_n = 0, most_splices = 0;
  if (shards == 0) {
    CHECK(flashtok_session_cache_new(enc, 0, 0, &cache) == FLASHTOK_OK && cache != NULL);
  } else {
    CHECK(flashtok_session_cache_new_sharded(enc, 0, 0, shards, &cache) == FLASHTOK_OK && cache != NULL);
  }
  if (cache == NULL) return;
  for (int turn = 0; turn < 6; ++turn) {
    const flashtok_splice* splices = NULL;
    size_t count = 0;
    const int n = snprintf(text, sizeof text,
                           "Time: 09:%02d:%02d UTC\nYou answer briefly and cite passages by number. "
                           "Read every passage before you answer; when two passages disagree, say which one you "
                           "follow and why. Quote at most one sentence from each passage, and keep answers under "
                           "five sentences unless the user asks for more detail or for a list.\n"
                           "Passage 1: %s\nPassage 2: %s\nPassage 3: %s\n%s",
                           turn, 7 * turn % 60, kPassages[0], kPassages[(turn + 1) % 3], kPassages[2],
                           kTurns[turn % 3]);
    CHECK(n > 0 && (size_t)n < sizeof text);
    CHECK(flashtok_session_cache_update(cache, "s1", 2, text, (size_t)n, &splices, &count) == FLASHTOK_OK);
    CHECK(turn != 0 || (count == 1 && splices[0].restart));
    if (count > most_splices) most_splices = count;
    mine_n = apply_splices(mine, mine_n, splices, count);
    check_session(enc, cache, text, (size_t)n, mine, mine_n);

    /* Output in two parts, the second finishing the first's word (its ids roll back). */
    static const char* const kOutput[] = {" Sur", "e, passage 2 says so. \xf0\x9f\xa6\x9c"};
    size_t text_n = (size_t)n;
    for (int part = 0; part < 2; ++part) {
      const size_t len = strlen(kOutput[part]);
      CHECK(flashtok_session_cache_append_output(cache, "s1", 2, kOutput[part], len, &splices, &count) ==
            FLASHTOK_OK);
      CHECK(count == 1 && (part == 0 || splices[0].replaced_tokens == 1));
      mine_n = apply_splices(mine, mine_n, splices, count);
      memcpy(text + text_n, kOutput[part], len);
      text_n += len;
      check_session(enc, cache, text, text_n, mine, mine_n);
    }
  }

  CHECK(most_splices >= 2); /* edits at the start and further on: one splice each */

  /* The buffer protocol, an unknown session, erase, and a restart after it. */
  flashtok_rank few[2];
  size_t needed = 0;
  const flashtok_splice* splices = NULL;
  size_t count = 0;
  /* Output into a session the cache does not hold: one splice, a restart
   * with every id; then nothing appended: no splice; then more output. */
  {
    flashtok_rank ids[CAPACITY], full[CAPACITY];
    size_t ids_n = 0, full_n = 0;
    CHECK(flashtok_session_cache_append_output(cache, "s2", 2, "Fresh outp", 10, &splices, &count) == FLASHTOK_OK);
    CHECK(count == 1 && splices[0].restart && splices[0].first_changed == 0 && splices[0].kept_tokens == 0);
    ids_n = apply_splices(ids, ids_n, splices, count);
    CHECK(flashtok_session_cache_append_output(cache, "s2", 2, "", 0, &splices, &count) == FLASHTOK_OK);
    CHECK(count == 0);
    CHECK(flashtok_session_cache_append_output(cache, "s2", 2, "ut, more.", 9, &splices, &count) == FLASHTOK_OK);
    CHECK(count == 1 && !splices[0].restart && splices[0].replaced_tokens >= 1); /* "outp" is cut */
    ids_n = apply_splices(ids, ids_n, splices, count);
    CHECK(flashtok_encode_ordinary(enc, "Fresh output, more.", 19, full, CAPACITY, &full_n) == FLASHTOK_OK);
    CHECK(full_n == ids_n && memcmp(full, ids, ids_n * sizeof *ids) == 0);
    /* Nothing into a new session: a restart to no ids, with a NULL
     * replacement as the header promises. */
    CHECK(flashtok_session_cache_append_output(cache, "s3", 2, "", 0, &splices, &count) == FLASHTOK_OK);
    CHECK(count == 1 && splices[0].restart && splices[0].replacement_count == 0 && splices[0].replacement == NULL);
  }
  CHECK(flashtok_session_cache_tokens(cache, "s1", 2, few, 2, &needed) == FLASHTOK_BUFFER_TOO_SMALL);
  CHECK(needed == mine_n);
  CHECK(flashtok_session_cache_tokens(cache, "other", 5, few, 2, &needed) == FLASHTOK_OK && needed == 0);
  CHECK(flashtok_session_cache_erase(cache, "s1", 2) == 1);
  CHECK(flashtok_session_cache_erase(cache, "s1", 2) == 0);
  CHECK(flashtok_session_cache_update(cache, "s1", 2, "hi", 2, &splices, &count) == FLASHTOK_OK);
  CHECK(count == 1 && splices[0].restart && splices[0].replacement_count == 1);
  CHECK(flashtok_session_cache_update(cache, NULL, 1, "hi", 2, &splices, &count) == FLASHTOK_INVALID_ARGUMENT);
  CHECK(flashtok_session_cache_update(cache, "s1", 2, "hi", 2, NULL, &count) == FLASHTOK_INVALID_ARGUMENT);
  CHECK(flashtok_session_cache_new(NULL, 0, 0, &cache) == FLASHTOK_INVALID_ARGUMENT);
  CHECK(flashtok_session_cache_new_sharded(NULL, 0, 0, 4, &cache) == FLASHTOK_INVALID_ARGUMENT);
  CHECK(flashtok_session_cache_new_sharded(enc, 0, 0, 4, NULL) == FLASHTOK_INVALID_ARGUMENT);
  flashtok_session_cache_free(cache);
}

/* Output streamed through a held session in chunks cut at any byte: the
 * splices keep our list equal to a full encode and to what a second cache's
 * flashtok_session_cache_append_output returns; while the stream is open,
 * this thread's other calls on the session fail with FLASHTOK_SESSION_HELD
 * (they would wait for it forever) and leave it as it was. */
static void test_session_output(const flashtok_encoder* enc) {
  static const char kOutput[] = "Sure: passage 2 says the river floods in spring.    Then   \xf0\x9f\xa6\x9c\n"
                                "```c\nint x = 12345678;\n```\nGr\xc3\xbc\xc3\x9f\x65, \xe4\xb8\x96\xe7\x95\x8c!";
  const size_t total = sizeof kOutput - 1;
  flashtok_session_cache* cache = NULL;
  flashtok_session_cache* twin = NULL;
  flashtok_session_output* out = NULL;
  flashtok_rank mine[CAPACITY], theirs[CAPACITY];
  size_t mine_n = 0, theirs_n = 0, text_n = 0;
  const flashtok_splice* splices = NULL;
  size_t count = 0;
  CHECK(flashtok_session_cache_new(enc, 0, 0, &cache) == FLASHTOK_OK);
  CHECK(flashtok_session_cache_new(enc, 0, 0, &twin) == FLASHTOK_OK);
  if (cache == NULL || twin == NULL) return;
  CHECK(flashtok_session_cache_update(cache, "s1", 2, "User: why?\n", 11, &splices, &count) == FLASHTOK_OK);
  mine_n = apply_splices(mine, mine_n, splices, count);
  CHECK(flashtok_session_cache_update(twin, "s1", 2, "User: why?\n", 11, &splices, &count) == FLASHTOK_OK);
  theirs_n = apply_splices(theirs, theirs_n, splices, count);
  text_n = 11;

  CHECK(flashtok_session_output_open(cache, "s1", 2, &out) == FLASHTOK_OK && out != NULL);
  if (out == NULL) return;
  for (size_t at = 0, step = 1; at < total; at += step, step = step % 7 + 1) {
    const size_t len = at + step <= total ? step : total - at;
    CHECK(flashtok_session_output_append(out, kOutput + at, len, &splices, &count) == FLASHTOK_OK);
    CHECK(count <= 1);
    mine_n = apply_splices(mine, mine_n, splices, count);
    CHECK(flashtok_session_cache_append_output(twin, "s1", 2, kOutput + at, len, &splices, &count) == FLASHTOK_OK);
    theirs_n = apply_splices(theirs, theirs_n, splices, count);
    CHECK(mine_n == theirs_n && memcmp(mine, theirs, mine_n * sizeof *mine) == 0);
    text_n += len;
  }
  {
    char text[CAPACITY];
    flashtok_rank full[CAPACITY];
    size_t full_n = 0;
    memcpy(text, "User: why?\n", 11);
    memcpy(text + 11, kOutput, total);
    CHECK(flashtok_encode_ordinary(enc, text, text_n, full, CAPACITY, &full_n) == FLASHTOK_OK);
    CHECK(full_n == mine_n && memcmp(full, mine, mine_n * sizeof *mine) == 0);

    /* The held session refuses this thread's other calls, precisely. */
    flashtok_session_output* again = NULL;
    size_t held_n = 0;
    CHECK(flashtok_session_output_open(cache, "s1", 2, &again) == FLASHTOK_SESSION_HELD && again == NULL);
    CHECK(strstr(flashtok_last_error(), "held") != NULL);
    CHECK(flashtok_session_cache_append_output(cache, "s1", 2, "x", 1, &splices, &count) == FLASHTOK_SESSION_HELD);
    CHECK(flashtok_session_cache_update(cache, "s1", 2, "x", 1, &splices, &count) == FLASHTOK_SESSION_HELD);
    CHECK(flashtok_session_cache_tokens(cache, "s1", 2, full, CAPACITY, &held_n) == FLASHTOK_SESSION_HELD);
    /* Other sessions are free. */
    CHECK(flashtok_session_cache_update(cache, "s2", 2, "x", 1, &splices, &count) == FLASHTOK_OK);
    CHECK(flashtok_session_output_append(NULL, "x", 1, &splices, &count) == FLASHTOK_INVALID_ARGUMENT);
    CHECK(flashtok_session_output_append(out, NULL, 1, &splices, &count) == FLASHTOK_INVALID_ARGUMENT);
    CHECK(flashtok_session_output_append(out, "", 0, &splices, &count) == FLASHTOK_OK && count == 0);
    CHECK(flashtok_session_output_open(NULL, "s1", 2, &again) == FLASHTOK_INVALID_ARGUMENT);

    /* Closed: the session's ids are the stream's, the calls work again. */
    flashtok_session_output_close(out);
    flashtok_session_output_close(NULL);
    CHECK(flashtok_session_cache_tokens(cache, "s1", 2, full, CAPACITY, &held_n) == FLASHTOK_OK);
    CHECK(held_n == mine_n && memcmp(full, mine, mine_n * sizeof *mine) == 0);
  }
  /* A stream into a session the cache does not hold starts it: a restart. */
  CHECK(flashtok_session_output_open(cache, "new", 3, &out) == FLASHTOK_OK && out != NULL);
  if (out != NULL) {
    CHECK(flashtok_session_output_append(out, "Hi!", 3, &splices, &count) == FLASHTOK_OK);
    CHECK(count == 1 && splices[0].restart && splices[0].replacement_count >= 1);
    flashtok_session_output_close(out);
  }
  flashtok_session_cache_free(cache);
  flashtok_session_cache_free(twin);
}

/* Streamed pieces add up to a whole decode; an emoji cut into byte tokens
 * comes out once, whole. */
static void test_stream_decoder(const flashtok_encoder* enc) {
  const char* text = "a\xf0\x9f\xa6\x9c b";
  flashtok_rank ids[8];
  for (size_t replace = 0; replace < 2; ++replace) {
    flashtok_stream_decoder* decoder = NULL;
    char out[64];
    size_t out_n = 0;
    const char* piece = NULL;
    size_t piece_n = 0;
    CHECK(flashtok_stream_decoder_new(enc, (int)replace, &decoder) == FLASHTOK_OK);
    for (size_t i = 0; i < 7; ++i) {
      size_t n = 0;
      CHECK(flashtok_encode_ordinary(enc, text + i, 1, ids + i, 1, &n) == FLASHTOK_OK && n == 1);
      CHECK(flashtok_stream_decoder_push(decoder, ids[i], &piece, &piece_n) == FLASHTOK_OK);
      CHECK(piece_n == (i >= 1 && i < 4 ? 0 : i == 4 ? 4 : 1));
      memcpy(out + out_n, piece, piece_n);
      out_n += piece_n;
    }
    CHECK(flashtok_stream_decoder_flush(decoder, &piece, &piece_n) == FLASHTOK_OK && piece_n == 0);
    CHECK(out_n == 7 && memcmp(out, text, 7) == 0);
    CHECK(flashtok_stream_decoder_push(decoder, flashtok_encoder_n_vocab(enc) + 1, &piece, &piece_n) ==
          FLASHTOK_INVALID_TOKEN);
    flashtok_stream_decoder_free(decoder);
  }
}

/* A user's rank file: the same ids as the built-in encoding it copies. */
static void test_from_file(const flashtok_encoder* builtin, const char* rank_file) {
  static const char* const kPattern =
      "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
  const char* names[] = {"<|endoftext|>"};
  const flashtok_rank special[] = {50256};
  flashtok_encoder* enc = NULL;
  CHECK(flashtok_encoder_new_from_file(rank_file, kPattern, names, special, 1, &enc) == FLASHTOK_OK);
  if (enc == NULL) return;
  CHECK(flashtok_encoder_prepare(enc) == FLASHTOK_OK);  /* the ids below come from prepared tables */
  CHECK(flashtok_encoder_prepare(enc) == FLASHTOK_OK);
  for (size_t t = 0; t < sizeof kTexts / sizeof kTexts[0]; ++t) {
    flashtok_rank a[CAPACITY], b[CAPACITY];
    size_t na = 0, nb = 0;
    CHECK(flashtok_encode_ordinary(enc, kTexts[t], kLengths[t], a, CAPACITY, &na) == FLASHTOK_OK);
    CHECK(flashtok_encode_ordinary(builtin, kTexts[t], kLengths[t], b, CAPACITY, &nb) == FLASHTOK_OK);
    CHECK(na == nb && memcmp(a, b, na * sizeof *a) == 0);
  }
  test_golden_ids(enc, kGoldenR50k, sizeof kGoldenR50k / sizeof kGoldenR50k[0]);
  CHECK(flashtok_encoder_n_vocab(enc) == 50257);
  flashtok_encoder_free(enc);
}

int main(int argc, char** argv) {
  flashtok_encoder* enc = NULL;
  flashtok_encoder* r50k = NULL;
  if (argc != 2) {
    fprintf(stderr, "usage: c_api_test R50K_BASE.tiktoken\n");
    return 2;
  }
  CHECK(flashtok_encoder_new_builtin("cl100k_base", &enc) == FLASHTOK_OK && enc != NULL);
  CHECK(flashtok_encoder_new_builtin("r50k_base", &r50k) == FLASHTOK_OK && r50k != NULL);
  if (enc == NULL || r50k == NULL) return 1;
  test_golden_ids(enc, kGoldenCl100k, sizeof kGoldenCl100k / sizeof kGoldenCl100k[0]);
  test_golden_ids(r50k, kGoldenR50k, sizeof kGoldenR50k / sizeof kGoldenR50k[0]);
  test_round_trips(enc);
  test_round_trips(r50k);
  test_buffer_protocol(enc);
  test_errors(enc);
  test_fixed_prefix_cache(enc);
  test_fixed_prefix_cache(r50k);
  test_append_cache(enc);
  test_session_cache(enc, 0);
  test_session_cache(r50k, 0);
  test_session_cache(enc, 4);
  test_session_output(enc);
  test_session_output(r50k);
  test_stream_decoder(enc);
  test_from_file(r50k, argv[1]);
  flashtok_encoder_free(enc);
  flashtok_encoder_free(r50k);
  if (failures != 0) {
    fprintf(stderr, "c_api_test: %d checks failed\n", failures);
    return 1;
  }
  printf("c_api_test: all checks passed\n");
  return 0;
}
