// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// Two texts from the fuzzer, a and b: a session updated to a, then to b (an
// edit anywhere, a truncation or an extension), must hold the ids of a full
// encode of b, and its deltas must lead there (and the splices of a second
// session updated through a, b, a + b + a, a, ..., and the per-stretch
// splices of a third); so must a fixed prefix a with suffix b, an
// append-only history a + b, and b streamed in chunks cut at any byte
// through an OutputStream held on a session of a (in a cache so small that
// the session may be dropped mid-stream). Input: one byte for the encoding,
// two for the length of a, then a, then b.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "flashtok/flashtok.h"
#include "fuzz_check.h"

namespace {

void apply_delta(const flashtok::TokenDelta& delta, std::vector<flashtok::Rank>* ids) {
  if (delta.restart) ids->clear();
  FUZZ_CHECK(delta.rollback_tokens <= ids->size());
  ids->resize(ids->size() - delta.rollback_tokens);
  ids->insert(ids->end(), delta.tokens_to_append.begin(), delta.tokens_to_append.end());
}

void apply_splice(const flashtok::TokenSplice& splice, std::vector<flashtok::Rank>* ids) {
  if (splice.restart) ids->clear();
  FUZZ_CHECK(splice.kept_from() + splice.kept_tokens == ids->size());
  const auto at = ids->begin() + static_cast<std::ptrdiff_t>(splice.first_changed);
  ids->erase(at, at + static_cast<std::ptrdiff_t>(splice.replaced_tokens));
  ids->insert(ids->begin() + static_cast<std::ptrdiff_t>(splice.first_changed), splice.replacement.begin(),
              splice.replacement.end());
}

// The splices of one update, front to back, each keeping the ids up to the
// next one and the last to the end.
void apply_splices(const std::vector<flashtok::TokenSplice>& splices, std::vector<flashtok::Rank>* ids) {
  if (!splices.empty() && splices.front().restart) ids->clear();
  for (std::size_t k = 0; k < splices.size(); ++k) {
    const flashtok::TokenSplice& s = splices[k];
    FUZZ_CHECK(s.restart || s.replaced_tokens > 0 || !s.replacement.empty());
    FUZZ_CHECK(s.kept_from() + s.kept_tokens <= ids->size());
    if (k + 1 == splices.size()) FUZZ_CHECK(s.kept_from() + s.kept_tokens == ids->size());
    const auto at = ids->begin() + static_cast<std::ptrdiff_t>(s.first_changed);
    ids->erase(at, at + static_cast<std::ptrdiff_t>(s.replaced_tokens));
    ids->insert(ids->begin() + static_cast<std::ptrdiff_t>(s.first_changed), s.replacement.begin(), s.replacement.end());
    if (k + 1 < splices.size()) FUZZ_CHECK(s.first_changed + s.replacement.size() + s.kept_tokens == splices[k + 1].first_changed);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return 0;
  static const char* const kNames[] = {"cl100k_base", "o200k_base", "r50k_base", "p50k_base"};
  const auto encoder = flashtok::Encoder::builtin(kNames[data[0] % 4]);
  const std::string input(reinterpret_cast<const char*>(data) + 3, size - 3);
  const std::size_t a_size = std::min<std::size_t>(input.size(), data[1] | (std::size_t{data[2]} << 8));
  const std::string a = input.substr(0, a_size);
  const std::string b = input.substr(a_size);

  flashtok::SessionTokenCache sessions(encoder);
  std::vector<flashtok::Rank> mirror;
  apply_delta(sessions.update("s", a), &mirror);
  FUZZ_CHECK(mirror == encoder->encode_ordinary(a));
  apply_delta(sessions.update("s", b), &mirror);
  const auto expected_b = encoder->encode_ordinary(b);
  FUZZ_CHECK(sessions.tokens("s") == expected_b);
  FUZZ_CHECK(mirror == expected_b);
  apply_delta(sessions.append_output("s", a), &mirror);
  FUZZ_CHECK(mirror == encoder->encode_ordinary(b + a));

  // The same edits as splices, in a second session: a, b, then a inside b
  // at both ends (edits at the start and the end of one update), then a.
  std::vector<flashtok::Rank> spliced;
  const std::string wrapped = a + b + a;
  // And as one splice per changed stretch, in a third: a and b edited
  // into each other at both ends and in the middle.
  std::vector<flashtok::Rank> per_stretch;
  const std::string middle = a.substr(0, a.size() / 2) + b + a.substr(a.size() / 2);
  for (const std::string* next : {&a, &b, &wrapped, &a, &middle, &wrapped}) {
    const auto expected = encoder->encode_ordinary(*next);
    apply_splice(sessions.update_splice("t", *next), &spliced);
    FUZZ_CHECK(spliced == expected);
    apply_splices(sessions.update_splices("u", *next), &per_stretch);
    FUZZ_CHECK(per_stretch == expected);
  }

  const auto expected_ab = encoder->encode_ordinary(a + b);
  const flashtok::FixedPrefixTokenCache fixed(encoder, a);
  FUZZ_CHECK(fixed.encode_ordinary(b) == expected_ab);

  flashtok::AppendOnlyTokenCache history(encoder, a);
  std::vector<flashtok::Rank> ids = history.tokens();
  apply_delta(history.append_ordinary(b), &ids);
  FUZZ_CHECK(history.tokens() == expected_ab);
  FUZZ_CHECK(ids == expected_ab);

  flashtok::SessionTokenCache::Options small;
  small.max_bytes = 4096;
  flashtok::SessionTokenCache streamed(encoder, small);
  std::vector<flashtok::Rank> streamed_ids;
  std::string streamed_text = a;  // what the session holds, as its deltas say
  apply_delta(streamed.update("v", a), &streamed_ids);
  {
    flashtok::SessionTokenCache::OutputStream out = streamed.open_output("v");
    flashtok::TokenDelta delta;  // reused, as a streaming caller would
    for (std::size_t at = 0, len = 0; at < b.size(); at += len) {
      len = std::min<std::size_t>(b.size() - at, 1 + static_cast<std::uint8_t>(b[at]) % 13);
      out.append_output(std::string_view(b).substr(at, len), &delta);
      // A restart: the session was dropped after the update (a over
      // max_bytes), and the stream began a new one.
      if (delta.restart) streamed_text.clear();
      streamed_text.append(b, at, len);
      apply_delta(delta, &streamed_ids);
      FUZZ_CHECK(streamed.memory_bytes() <= small.max_bytes);
    }
  }
  const auto expected_streamed = encoder->encode_ordinary(streamed_text);
  FUZZ_CHECK(streamed_ids == expected_streamed);
  FUZZ_CHECK(streamed.tokens("v").empty() || streamed.tokens("v") == expected_streamed);
  return 0;
}
