// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// A program that uses flashtok as any project would, through the public API
// only: built by each consumer project (find_package, add_subdirectory,
// pkg-config) of tests/consumers/run_consumers.sh. The ids are checked
// against the library's own full encode and decode, not against numbers
// written here.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "flashtok/flashtok.h"

namespace {

int failures = 0;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "consumer: FAILED: %s\n", what);
    ++failures;
  }
}

}  // namespace

int main() {
  const std::string text = "hello world";
  const auto encoder = flashtok::Encoder::builtin("o200k_base");
  const std::vector<flashtok::Rank> ids = encoder->encode_ordinary(text);
  check(!ids.empty() && ids.size() < text.size(), "o200k_base encodes \"hello world\" into a few ids");
  check(encoder->decode_bytes(ids) == text, "decode_bytes round-trips");
  check(encoder->count(text) == ids.size(), "count agrees with encode_ordinary");
  for (flashtok::Rank id : ids) check(id < encoder->encoding().n_vocab(), "ids are in the vocabulary");

  // One cache: a history that grows, against the full encode.
  flashtok::AppendOnlyTokenCache history(encoder, "hello");
  const flashtok::TokenDelta delta = history.append_ordinary(" world");
  check(history.tokens() == ids, "AppendOnlyTokenCache equals the full encode");
  check(delta.rollback_tokens <= 1 && !delta.restart, "the append rolls back at most the last piece");

  // OpenMP (encode_batch) and an exception across the library boundary.
  const auto batch = encoder->encode_batch({text, text}, 2);
  check(batch.size() == 2 && batch[0] == ids && batch[1] == ids, "encode_batch equals encode_ordinary");
  bool caught = false;
  try {
    flashtok::Encoding::builtin("no_such_encoding");
  } catch (const flashtok::Error& e) {
    caught = e.code() == flashtok::ErrorCode::kInvalidArgument;
  }
  check(caught, "an unknown encoding throws flashtok::Error(kInvalidArgument)");
  check(std::strcmp(flashtok::version(), FLASHTOK_VERSION_STRING) == 0, "the library's version is the headers'");

  std::printf("flashtok %s, o200k_base \"%s\" ->", flashtok::version(), text.c_str());
  for (flashtok::Rank id : ids) std::printf(" %u", static_cast<unsigned>(id));
  std::printf(failures == 0 ? " (ok)\n" : " (%d checks FAILED)\n", failures);
  return failures == 0 ? 0 : 1;
}
