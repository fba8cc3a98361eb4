// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_TESTS_TEST_SUPPORT_H_
#define FLASHTOK_TESTS_TEST_SUPPORT_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "bpe/byte_pair_encode.h"
#include "encoder/encoder_access.h"
#include "encoder/scratch.h"
#include "flashtok/encoder.h"
#include "flashtok/token_delta.h"
#include "flashtok/workloads/prng.h"
#include "pretokenizer/pretokenizer.h"
#include "reference_bpe.h"
#include "vocab/encoding_access.h"
#include "vocab/rank_table.h"

namespace flashtok::testing {

// The tests reach the library's internals (they link flashtok_internal).
using internal::Piece;
using internal::Pretokenizer;
using internal::pretokenizer_of;
using internal::RankTable;

// The rank table of an encoder's encoding.
inline const RankTable& ranks_of(const Encoder& encoder) { return internal::ranks_of(encoder.encoding()); }
// The calling thread's merge scratch: the piece memo and buffers the encoder uses.
inline internal::MergeScratch& merge_scratch() { return internal::Scratch::of_this_thread().merge; }

// The four encodings every exactness test runs on.
// Applies a delta to a caller-side token list, as a KV cache would (a
// restart clears it first); fails the test if it rolls back more than it holds.
void apply_delta(const TokenDelta& delta, std::vector<Rank>* ids);
// Every field of two deltas equal (gtest assertions: check HasFatalFailure()).
void expect_same_delta(const TokenDelta& reused, const TokenDelta& fresh);
// A delta left over from another change, every field set (restart too), for
// tests of the calls that reuse one.
TokenDelta stale_delta();

const std::vector<std::string>& all_encodings();

// One encoder per encoding, built once per test process.
const Encoder& encoder_for(const std::string& encoding);
// The same encoding on the RE2 path (the reference for the scanners).
const Encoder& regex_encoder_for(const std::string& encoding);

// Files under tests/.
std::string test_data_path(const std::string& relative);
std::string read_test_file(const std::string& relative);
// Names (without .txt) of tests/golden/texts/*.txt, sorted.
std::vector<std::string> golden_text_names();

// Random text from one representative character of each class the patterns
// care about (upper, lower, digit, spaces, newlines, apostrophe and
// contraction letters, punctuation, a mark, non-Latin letters, '/', ...).
std::string random_class_text(workloads::SplitMix64& rng, std::size_t chars);
// Random bytes, valid UTF-8 or not.
std::string random_bytes(workloads::SplitMix64& rng, std::size_t n);
// The class alphabet itself, one UTF-8 string per character.
const std::vector<std::string>& class_alphabet();

// Byte strings that break UTF-8 in every way a decoder can meet (lone lead
// bytes, sequences cut short, overlongs, an encoded surrogate, bytes F5-FF,
// stray continuation bytes) beside the characters they could combine with
// or be confused with (the continuation bytes that complete them, combining
// marks, ZWJ, white space, apostrophes, digits, letters).
const std::vector<std::string>& hostile_alphabet();
// Random text drawn from the hostile and class alphabets together.
std::string random_hostile_text(workloads::SplitMix64& rng, std::size_t symbols);
// A short random text around a run of one byte (up to max_chars): class
// characters, and hostile bytes now and then (they decide pieces by the
// bytes after them).
std::string random_edge(workloads::SplitMix64& rng, std::size_t max_chars);
// n bytes of `byte`'s run class under `encoding`'s scanner
// (Pretokenizer::run_classes): the byte repeated, or (mixed) each byte drawn
// from the class: a long word, a long number, a line of mixed punctuation.
std::string class_run(workloads::SplitMix64& rng, const std::string& encoding, char byte, std::size_t n, bool mixed);

// Alphabets of characters of two to four bytes that make long runs (Han,
// box drawing, Cyrillic and Latin letters of both cases, Hangul, Thai, CJK
// and no-break spaces, emoji, mathematical letters, combining marks,
// Arabic-Indic digits, the long s that cl100k folds to 's').
const std::vector<std::string>& multi_byte_run_alphabets();
// `chars` characters of the run class (Pretokenizer::run_classes) of the
// alphabet's first character under `encoding`'s scanner: that character
// repeated, or (mixed) each drawn from the alphabet's characters of its class.
std::string char_run(workloads::SplitMix64& rng, const std::string& encoding, std::string_view alphabet,
                     std::size_t chars, bool mixed);

// Kinds of text the pre-tokenizers keep in one long piece that is no run of
// ASCII bytes of one class, or may be too short for one: lines of
// box-drawing characters, Han text, a Cyrillic word, emoji, mixed
// punctuation, digits (one piece under r50k_base and p50k_base only).
struct LongPieceKind {
  const char* name;
  const char* lead;  // what such a piece may start with
  std::vector<std::string> chars;
};
const std::vector<LongPieceKind>& long_piece_kinds();
// `chars` characters drawn from the kind.
std::string long_piece_of(workloads::SplitMix64& rng, const LongPieceKind& kind, std::size_t chars);

// Ends a test that deadlocks: if the watchdog has not been destroyed within
// `limit`, prints `what` and aborts the binary (a thread blocked forever
// cannot be unblocked, so failing the test alone is not possible). Every
// test runs under one (test_support.cc), with kTestTimeLimit.
class DeadlockWatchdog {
 public:
  DeadlockWatchdog(std::chrono::seconds limit, std::string what);
  ~DeadlockWatchdog();
  DeadlockWatchdog(const DeadlockWatchdog&) = delete;
  DeadlockWatchdog& operator=(const DeadlockWatchdog&) = delete;

 private:
  std::mutex mutex_;
  std::condition_variable finished_;
  bool done_ = false;
  std::thread thread_;
};
// Far above any test's time on the 2-core CI machine (the longest, 2026-12-05:
// 26 s under AddressSanitizer, 3 s under ThreadSanitizer), far below ctest's
// 600 s per test and the CI run's limit.
constexpr std::chrono::seconds kTestTimeLimit{300};

}  // namespace flashtok::testing

#endif  // FLASHTOK_TESTS_TEST_SUPPORT_H_
