// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// Any bytes: the encoding is lossless, count agrees, the hand-written
// scanner cuts exactly the pieces the RE2 path cuts, with or without reach,
// and its pieces survive an edit at or after their reach.
#include <cstdint>
#include <memory>
#include <string>

#include "encoder/encoder_access.h"
#include "flashtok/flashtok.h"
#include "fuzz_check.h"

namespace {

struct Pair {
  std::shared_ptr<const flashtok::Encoder> fast, regex;
};

const Pair& pair_for(std::uint8_t selector) {
  static const char* const kNames[] = {"cl100k_base", "o200k_base", "r50k_base", "p50k_base"};
  static Pair pairs[4];
  Pair& p = pairs[selector % 4];
  if (!p.fast) {
    auto encoding = flashtok::Encoding::builtin(kNames[selector % 4]);
    p.fast = std::make_shared<flashtok::Encoder>(encoding);
    p.regex = std::make_shared<flashtok::Encoder>(encoding, flashtok::PretokenizerChoice::kRegex);
  }
  return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const Pair& p = pair_for(data[0]);
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  const auto ids = p.fast->encode_ordinary(text);
  FUZZ_CHECK(p.fast->decode_bytes(ids) == text);
  FUZZ_CHECK(p.fast->count(text) == ids.size());
  const auto fast_pieces = flashtok::internal::pretokenizer_of(*p.fast).split(text);
  const auto regex_pieces = flashtok::internal::pretokenizer_of(*p.regex).split(text);
  FUZZ_CHECK(fast_pieces.size() == regex_pieces.size());
  for (std::size_t i = 0; i < fast_pieces.size(); ++i) {
    FUZZ_CHECK(fast_pieces[i].begin == regex_pieces[i].begin && fast_pieces[i].end == regex_pieces[i].end);
  }
  // The scan a full encode uses, which records no reach, cuts the same
  // pieces.
  std::size_t next = 0;
  flashtok::internal::pretokenizer_of(*p.fast).split_untracked(
      text, 0, [&](const flashtok::internal::Piece* pieces, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i, ++next) {
          FUZZ_CHECK(next < fast_pieces.size() && pieces[i].begin == fast_pieces[next].begin &&
                     pieces[i].end == fast_pieces[next].end);
        }
        return true;
      });
  FUZZ_CHECK(next == fast_pieces.size());
  // Each piece survives an edit at or after its reach: here, dropping the
  // byte at the middle of the text.
  const std::size_t cut = text.size() / 2;
  if (cut < text.size()) {
    const std::string edited = text.substr(0, cut) + text.substr(cut + 1);
    const auto after = flashtok::internal::pretokenizer_of(*p.regex).split(edited);
    std::size_t j = 0;
    for (const auto& piece : fast_pieces) {
      if (piece.reach > cut) break;
      while (j < after.size() && after[j].begin < piece.begin) ++j;
      FUZZ_CHECK(j < after.size() && after[j].begin == piece.begin && after[j].end == piece.end);
    }
  }
  return 0;
}
