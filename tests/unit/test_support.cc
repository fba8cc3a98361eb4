// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "test_support.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <dirent.h>
#include <map>
#include <mutex>

#include <gtest/gtest.h>

#include "util/read_file.h"

namespace flashtok::testing {

void apply_delta(const TokenDelta& delta, std::vector<Rank>* ids) {
  if (delta.restart) ids->clear();
  ASSERT_LE(delta.rollback_tokens, ids->size());
  ids->resize(ids->size() - delta.rollback_tokens);
  ids->insert(ids->end(), delta.tokens_to_append.begin(), delta.tokens_to_append.end());
}

const std::vector<std::string>& all_encodings() {
  static const std::vector<std::string> names = {"cl100k_base", "o200k_base", "r50k_base", "p50k_base"};
  return names;
}

namespace {

const Encoder& cached_encoder(const std::string& encoding, PretokenizerChoice choice) {
  static std::mutex mutex;
  static std::map<std::pair<std::string, PretokenizerChoice>, std::unique_ptr<Encoder>> cache;
  std::lock_guard<std::mutex> lock(mutex);
  auto& slot = cache[{encoding, choice}];
  if (!slot) slot = std::make_unique<Encoder>(Encoding::builtin(encoding), choice);
  return *slot;
}

}  // namespace

const Encoder& encoder_for(const std::string& encoding) {
  return cached_encoder(encoding, PretokenizerChoice::kFastest);
}

const Encoder& regex_encoder_for(const std::string& encoding) {
  return cached_encoder(encoding, PretokenizerChoice::kRegex);
}

std::string test_data_path(const std::string& relative) {
  return std::string(FLASHTOK_TEST_DATA_DIR) + "/" + relative;
}

std::string read_test_file(const std::string& relative) { return internal::read_file(test_data_path(relative), std::size_t{1} << 30); }

std::vector<std::string> golden_text_names() {
  std::vector<std::string> names;
  DIR* dir = opendir(test_data_path("golden/texts").c_str());
  if (!dir) return names;
  while (const dirent* entry = readdir(dir)) {
    const std::string name = entry->d_name;
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".txt") == 0) names.push_back(name.substr(0, name.size() - 4));
  }
  closedir(dir);
  std::sort(names.begin(), names.end());
  return names;
}

const std::vector<std::string>& class_alphabet() {
  static const std::vector<std::string> alphabet = {
      "A", "b", "s", "t", "r", "e", "v", "m", "l", "d", "S", "R", "E", "L", "I",  // letters incl. contraction letters
      "7", "\xD9\xA3",                          // ASCII digit, Arabic-Indic digit (N)
      " ", "  ", "\t", "\n", "\r", "\xC2\xA0", "\xE3\x80\x80",  // spaces: NBSP, U+3000
      "'", "\xC5\xBF",                          // apostrophe, long s (folds to s)
      ".", "!", "/", "-", "(",                  // punctuation
      "\xCC\x81",                               // combining acute (M)
      "\xD0\x96", "\xD0\xB6", "\xE4\xB8\xAD",   // Cyrillic upper/lower, CJK (Lo)
      "\xCA\xB0", "\xC7\x85",                   // modifier letter (Lm), titlecase (Lt)
      "\xF0\x9F\x98\x80",                       // emoji
      "\xE2\x80\x8B",                           // zero-width space (not white space)
  };
  return alphabet;
}

const std::vector<std::string>& hostile_alphabet() {
  static const std::vector<std::string> alphabet = {
      "\xC3",                                  // lone lead byte of a 2-byte character
      "\xE4\xB8", "\xF0\x9F\x98",              // 3- and 4-byte characters cut short
      "\xC0\xAF", "\xE0\x80\xAF",              // overlong '/' (2 and 3 bytes)
      "\xED\xA0\x80",                          // UTF-8 of the surrogate U+D800
      "\xF5", "\xFF",                           // bytes that never occur in UTF-8
      "\x80", "\xA9", "\xAD",                   // stray continuation bytes (A9 completes C3, AD E4 B8)
      "\xC3\xA9", "\xE4\xB8\xAD", "\xF0\x9F\x98\x80",  // the same characters whole
      "\xCC\x81", "\xE2\x80\x8D",              // combining acute, zero-width joiner
      " ", "\r", "\n", "\xC2\xA0",              // white space, NBSP
      "'", "s", "7", "x", "A", ".",
  };
  return alphabet;
}

std::string random_hostile_text(workloads::SplitMix64& rng, std::size_t symbols) {
  const auto& hostile = hostile_alphabet();
  const auto& classes = class_alphabet();
  std::string text;
  for (std::size_t i = 0; i < symbols; ++i) {
    text += rng.uniform(2) == 0 ? hostile[rng.uniform(hostile.size())] : classes[rng.uniform(classes.size())];
  }
  return text;
}

std::string random_class_text(workloads::SplitMix64& rng, std::size_t chars) {
  const auto& alphabet = class_alphabet();
  std::string text;
  for (std::size_t i = 0; i < chars; ++i) text += alphabet[rng.uniform(alphabet.size())];
  return text;
}

std::string random_bytes(workloads::SplitMix64& rng, std::size_t n) {
  std::string bytes(n, '\0');
  for (auto& b : bytes) {
    // Mostly ASCII and UTF-8 lead/continuation bytes, so that valid runs occur too.
    const std::uint64_t r = rng.uniform(4);
    b = static_cast<char>(r == 0 ? rng.uniform(256) : r == 1 ? 0x80 + rng.uniform(64) : r == 2 ? 0xC2 + rng.uniform(51) : 0x20 + rng.uniform(95));
  }
  return bytes;
}

std::string random_edge(workloads::SplitMix64& rng, std::size_t max_chars) {
  const std::size_t n = rng.uniform(max_chars + 1);
  return rng.chance(1, 4) ? random_hostile_text(rng, n) : random_class_text(rng, n);
}

const std::vector<LongPieceKind>& long_piece_kinds() {
  static const std::vector<LongPieceKind> kinds = {
      {"box drawing", " ", {"─", "━", "┼", "┤", "├", "═", "│"}},
      {"han", "", {"的", "一", "是", "不", "了", "人", "我", "在", "有", "他", "这", "中", "大", "来"}},
      {"cyrillic word", " ", {"а", "б", "в", "г", "д", "е", "ж", "з", "и", "к", "л", "м", "н", "о", "п", "р"}},
      {"emoji", " ", {"😀", "🎉", "👍", "🚀", "✨", "❤️", "🔥", "👀"}},
      {"punctuation", " ", {"-", "=", "_", "*", "#", "~", ".", ",", ";", ":", "!", "?", "/", "|", "<", ">"}},
      {"digits", " ", {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}},
  };
  return kinds;
}

std::string long_piece_of(workloads::SplitMix64& rng, const LongPieceKind& kind, std::size_t chars) {
  std::string s;
  for (std::size_t i = 0; i < chars; ++i) s += kind.chars[rng.uniform(kind.chars.size())];
  return s;
}

std::string class_run(workloads::SplitMix64& rng, const std::string& encoding, char byte, std::size_t n, bool mixed) {
  const internal::RunClasses& classes = pretokenizer_of(encoder_for(encoding)).run_classes();
  std::string members;
  for (int c = 0; c < 128; ++c) {
    if (classes.of_ascii(c) == classes.of_ascii(byte)) members += static_cast<char>(c);
  }
  std::string run(n, byte);
  if (mixed) {
    for (char& c : run) c = members[rng.uniform(members.size())];
  }
  return run;
}

const std::vector<std::string>& multi_byte_run_alphabets() {
  static const std::vector<std::string> alphabets = {
      "的一是不了人我在有他这中大来", "─━┼┤├═│", "жабвгдеЖАБВ", "ÄÖÜÉÈäöü", "가나다라마바사", "กขคงจ",
      "\u3000",  "\u00A0",         "😀🙂🚀🎉",    "𝐀𝐁𝐂𝐃𝐚𝐛𝐜",   "\u0301\u0300\u0308",    "١٢٣٤٥", "ſ",
  };
  return alphabets;
}

std::string char_run(workloads::SplitMix64& rng, const std::string& encoding, std::string_view alphabet,
                     std::size_t chars, bool mixed) {
  const internal::RunClasses& classes = pretokenizer_of(encoder_for(encoding)).run_classes();
  const internal::RunChar first = classes.at(alphabet, 0);
  std::vector<std::string_view> members;
  for (std::size_t at = 0; at < alphabet.size(); at += classes.at(alphabet, at).len) {
    if (classes.at(alphabet, at) == first) members.push_back(alphabet.substr(at, first.len));
  }
  std::string run;
  for (std::size_t i = 0; i < chars; ++i) run += members[mixed ? rng.uniform(members.size()) : 0];
  return run;
}

// Every field of two deltas (the by-value call and the one into a reused delta).
void expect_same_delta(const TokenDelta& reused, const TokenDelta& fresh) {
  ASSERT_EQ(reused.restart, fresh.restart);
  ASSERT_EQ(reused.rollback_tokens, fresh.rollback_tokens);
  ASSERT_EQ(reused.tokens_to_append, fresh.tokens_to_append);
  ASSERT_EQ(reused.first_changed, fresh.first_changed);
  ASSERT_EQ(reused.replaced_tokens, fresh.replaced_tokens);
  ASSERT_EQ(reused.replacement_tokens, fresh.replacement_tokens);
}

// A delta left over from another change, every field set, for the reuse tests.
TokenDelta stale_delta() {
  TokenDelta delta;
  delta.restart = true;
  delta.rollback_tokens = 7;
  delta.tokens_to_append.assign(300, 42);
  delta.first_changed = 99;
  delta.replaced_tokens = 5;
  delta.replacement_tokens = 300;
  return delta;
}

DeadlockWatchdog::DeadlockWatchdog(std::chrono::seconds limit, std::string what)
    : thread_([this, limit, what = std::move(what)] {
        std::unique_lock<std::mutex> lock(mutex_);
        if (finished_.wait_for(lock, limit, [this] { return done_; })) return;
        std::fprintf(stderr, "deadlock: %s (not finished after %lld s)\n", what.c_str(),
                     static_cast<long long>(limit.count()));
        std::abort();
      }) {}

DeadlockWatchdog::~DeadlockWatchdog() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    done_ = true;
  }
  finished_.notify_one();
  thread_.join();
}

namespace {

// Every test runs under a watchdog. The sanitizer script runs the
// concurrency binary without ctest's timeout: a test that deadlocks there
// would hold the CI run until its own limit, without saying which test.
class WatchdogPerTest : public ::testing::EmptyTestEventListener {
 public:
  void OnTestStart(const ::testing::TestInfo& test) override {
    watchdog_ = std::make_unique<DeadlockWatchdog>(kTestTimeLimit,
                                                   std::string(test.test_suite_name()) + "." + test.name());
  }
  void OnTestEnd(const ::testing::TestInfo&) override { watchdog_.reset(); }

 private:
  std::unique_ptr<DeadlockWatchdog> watchdog_;
};

// Before main(): gtest_main's InitGoogleTest keeps the listeners appended so far.
const bool kWatchdogInstalled = [] {
  ::testing::UnitTest::GetInstance()->listeners().Append(new WatchdogPerTest);
  return true;
}();

}  // namespace

}  // namespace flashtok::testing
