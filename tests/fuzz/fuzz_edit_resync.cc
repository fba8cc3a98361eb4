// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// Three texts from the fuzzer, a, b and c, and a place p in a: a text
// updated through a, a with b inserted at p, that with a's bytes from p on
// replaced by c + a's rest (edits in two places), c + a + c, and a again
// (edits at both ends and in the middle, each leaving long common stretches
// to resync on), then a with a long run of one byte inserted at p and a
// again, must hold the ids of a full encode after each update, and
// both views of each delta (rollback/append and splice) must lead there.
// Input: one byte for the encoding, one for p, two lengths of two bytes
// (a, b), then a, b and c.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cache/tokenized_text.h"
#include "flashtok/flashtok.h"
#include "fuzz_check.h"

namespace {

using flashtok::Rank;
using flashtok::TokenDelta;

void apply_append_view(const TokenDelta& delta, std::vector<Rank>* ids) {
  if (delta.restart) ids->clear();
  FUZZ_CHECK(delta.rollback_tokens <= ids->size());
  ids->resize(ids->size() - delta.rollback_tokens);
  ids->insert(ids->end(), delta.tokens_to_append.begin(), delta.tokens_to_append.end());
}

void apply_splice_view(const TokenDelta& delta, std::vector<Rank>* ids) {
  if (delta.restart) ids->clear();
  FUZZ_CHECK(delta.first_changed + delta.replaced_tokens <= ids->size());
  FUZZ_CHECK(delta.replacement_tokens <= delta.tokens_to_append.size());
  const auto at = ids->begin() + static_cast<std::ptrdiff_t>(delta.first_changed);
  ids->erase(at, at + static_cast<std::ptrdiff_t>(delta.replaced_tokens));
  ids->insert(ids->begin() + static_cast<std::ptrdiff_t>(delta.first_changed), delta.tokens_to_append.begin(),
              delta.tokens_to_append.begin() + static_cast<std::ptrdiff_t>(delta.replacement_tokens));
}

std::size_t read_length(const std::uint8_t* data) { return data[0] | (std::size_t{data[1]} << 8); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 6) return 0;
  static const char* const kNames[] = {"cl100k_base", "o200k_base", "r50k_base", "p50k_base"};
  const auto encoder = flashtok::Encoder::builtin(kNames[data[0] % 4]);
  const std::string input(reinterpret_cast<const char*>(data) + 6, size - 6);
  const std::size_t a_size = std::min(input.size(), read_length(data + 2));
  const std::size_t b_size = std::min(input.size() - a_size, read_length(data + 4));
  const std::string a = input.substr(0, a_size);
  const std::string b = input.substr(a_size, b_size);
  const std::string c = input.substr(a_size + b_size);
  const std::size_t p = a.empty() ? 0 : data[1] % (a.size() + 1);
  const std::string inserted = a.substr(0, p) + b + a.substr(p);
  const std::string twice = a.substr(0, p / 2) + c + a.substr(p / 2, p - p / 2) + b + c + a.substr(p);
  // a run of one of b's bytes, 100 to 3,100 long, in a at p: a piece that
  // reads it whole looks past the edit walk's scan window, which must widen.
  const std::string run(100 * (1 + data[1] % 31), b.empty() ? ' ' : b[0]);
  const std::string long_run = a.substr(0, p) + run + a.substr(p);

  flashtok::internal::TokenizedText text(encoder);
  flashtok::SessionTokenCache sessions(encoder);
  std::vector<Rank> appended, spliced, session_ids;
  for (const std::string* next : {&a, &inserted, &twice, &b, &a, &twice, &long_run, &a}) {
    const auto expected = encoder->encode_ordinary(*next);
    const TokenDelta delta = text.replace_all(*next);
    FUZZ_CHECK(text.tokens() == expected);
    apply_append_view(delta, &appended);
    apply_splice_view(delta, &spliced);
    FUZZ_CHECK(appended == expected);
    FUZZ_CHECK(spliced == expected);
    apply_splice_view(sessions.update("s", *next), &session_ids);
    FUZZ_CHECK(session_ids == expected);
  }
  return 0;
}
