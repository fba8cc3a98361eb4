// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// Pieces made mostly of 3-byte characters that tokens are made of (and stray
// bytes): no token of the vocabulary lies across a cut the piece splitter
// makes, and the piece's ids, chunk by chunk, are those of the naive merge of
// the whole piece.
#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "bpe/byte_pair_encode.h"
#include "encoder/scratch.h"
#include "flashtok/flashtok.h"
#include "fuzz_check.h"
#include "reference_bpe.h"
#include "vocab/encoding_access.h"
#include "vocab/piece_splitter.h"

namespace {

constexpr std::size_t kMaxPieceBytes = 160;  // the naive merge and the brute force are quadratic

struct Vocabulary {
  const flashtok::internal::RankTable* ranks = nullptr;
  std::vector<std::string> characters;  // 3-byte characters found inside long tokens, most frequent first
};

const Vocabulary& vocabulary_for(std::uint8_t selector) {
  static const char* const kNames[] = {"cl100k_base", "o200k_base", "r50k_base", "p50k_base"};
  static Vocabulary vocabularies[4];
  Vocabulary& v = vocabularies[selector % 4];
  if (v.ranks == nullptr) {
    static std::shared_ptr<const flashtok::Encoding> keep[4];
    keep[selector % 4] = flashtok::Encoding::builtin(kNames[selector % 4]);
    v.ranks = &flashtok::internal::ranks_of(*keep[selector % 4]);
    std::map<std::string, int> seen;
    for (flashtok::Rank r = 0; r < v.ranks->end_rank(); ++r) {
      const std::string_view t = v.ranks->bytes_of(r);
      for (std::size_t j = 0; t.size() >= 6 && j + 3 <= t.size(); ++j) {
        const auto b = [&](std::size_t i) { return static_cast<unsigned char>(t[i]); };
        if ((b(j) & 0xF0) == 0xE0 && (b(j + 1) & 0xC0) == 0x80 && (b(j + 2) & 0xC0) == 0x80) ++seen[std::string(t.substr(j, 3))];
      }
    }
    std::vector<std::pair<int, std::string>> by_count;
    for (const auto& [c, n] : seen) by_count.emplace_back(-n, c);
    std::sort(by_count.begin(), by_count.end());
    for (std::size_t i = 0; i < by_count.size() && i < 224; ++i) v.characters.push_back(by_count[i].second);
    if (v.characters.empty()) v.characters.push_back("\xE4\xB8\xAD");
  }
  return v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const Vocabulary& v = vocabulary_for(data[0]);
  const flashtok::internal::RankTable& ranks = *v.ranks;
  // Bytes below 224 pick a character; the others are themselves (lead and
  // continuation-like bytes, so that tokens with partial characters fit).
  std::string piece;
  for (std::size_t i = 1; i < size && piece.size() < kMaxPieceBytes; ++i) {
    if (data[i] < 224) {
      piece += v.characters[data[i] % v.characters.size()];
    } else {
      piece += static_cast<char>(data[i] < 240 ? 0x80 + (data[i] - 224) * 4 : 0xE0 + (data[i] - 240));
    }
  }

  if (piece.empty()) return 0;  // the pre-tokenizer never makes one

  std::size_t at = 0;
  ranks.splitter().for_each_chunk(piece, [&](std::string_view chunk) {
    FUZZ_CHECK(chunk.data() == piece.data() + at && !chunk.empty());
    at += chunk.size();
    if (at == piece.size()) return;
    for (std::size_t a = at > ranks.max_token_bytes() ? at - ranks.max_token_bytes() : 0; a < at; ++a) {
      for (std::size_t b = at + 1; b <= piece.size() && b - a <= ranks.max_token_bytes(); ++b) {
        FUZZ_CHECK(ranks.find(std::string_view(piece).substr(a, b - a)) == flashtok::kNoRank);
      }
    }
  });
  FUZZ_CHECK(at == piece.size());

  std::vector<flashtok::Rank> ids;
  flashtok::internal::MergeScratch& scratch = flashtok::internal::Scratch::of_this_thread().merge;
  flashtok::internal::byte_pair_encode(ranks, piece, scratch, &ids);
  const flashtok::Rank whole = ranks.find(piece);
  FUZZ_CHECK(ids == (whole != flashtok::kNoRank ? std::vector<flashtok::Rank>{whole}
                                                 : flashtok::testing::reference_bpe(ranks, piece)));
  FUZZ_CHECK(flashtok::internal::byte_pair_count(ranks, piece, scratch) == ids.size());
  return 0;
}
