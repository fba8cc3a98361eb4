// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// Any bytes: the encoding is lossless, count agrees, the hand-written
// scanner cuts exactly the pieces the RE2 path cuts, with or without reach,
// and its pieces survive an edit at each reach it reports.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

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
  const auto& scanner = flashtok::internal::pretokenizer_of(*p.fast);
  const auto untracked = [&scanner](const std::string& s) {
    std::vector<flashtok::internal::Piece> out;
    scanner.split_untracked(s, 0, [&out](const flashtok::internal::Piece* pieces, std::size_t n) {
      out.insert(out.end(), pieces, pieces + n);
      return true;
    });
    return out;
  };
  const auto plain = untracked(text);
  FUZZ_CHECK(plain.size() == fast_pieces.size());
  for (std::size_t i = 0; i < plain.size(); ++i) {
    FUZZ_CHECK(plain[i].begin == fast_pieces[i].begin && plain[i].end == fast_pieces[i].end);
  }
  // Each piece survives an edit at or after the running maximum of the
  // reaches up to it (what the caches keep). The edit drops the byte at a
  // reach, so the fuzzer steers what comes there, and keeps 16 bytes after
  // it; every reach is tried, up to 64 spread over the text: a reach one
  // byte short is caught only by an edit exactly there. The edited texts
  // are cut by the untracked scan (many times faster than RE2, held to RE2's
  // pieces above on each input's own text), the first of them by RE2 too.
  std::vector<std::size_t> cuts;
  for (const auto& piece : fast_pieces) {
    if (piece.reach < text.size() && (cuts.empty() || cuts.back() != piece.reach)) cuts.push_back(piece.reach);
  }
  const std::size_t stride = cuts.size() / 64 + 1;
  for (std::size_t k = 0; k < cuts.size(); k += stride) {
    const std::size_t cut = cuts[k];
    const std::string edited = text.substr(0, cut) + text.substr(cut + 1, 16);
    const auto after = untracked(edited);
    const auto reference = k == 0 ? flashtok::internal::pretokenizer_of(*p.regex).split(edited) : after;
    FUZZ_CHECK(reference.size() == after.size());
    for (std::size_t i = 0; i < after.size(); ++i) {
      FUZZ_CHECK(reference[i].begin == after[i].begin && reference[i].end == after[i].end);
    }
    std::size_t j = 0;
    for (const auto& piece : fast_pieces) {
      if (piece.reach > cut) break;
      while (j < after.size() && after[j].begin < piece.begin) ++j;
      FUZZ_CHECK(j < after.size() && after[j].begin == piece.begin && after[j].end == piece.end);
    }
  }
  return 0;
}
