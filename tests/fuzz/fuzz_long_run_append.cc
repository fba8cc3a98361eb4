// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// Appends into a long run (TokenizedText::append_in_long_piece): a fuzzer
// text is a head, a run and chunks; the append-only cache's ids after every
// chunk are a full encode's, so are a fixed prefix's (head and run) with each
// chunk as its suffix (cache/long_piece_prefix.h), and the BPE of the run's
// piece extended from its old ids (bpe/extended_piece.h) is the heap merge's.
// The first byte picks the encoding, the run's character (ASCII, or of two
// to four bytes) and whether the run is that character repeated or a mix of
// its run class (a long word, a long number, Han text, a box-drawing line),
// the second the run's length; the rest, split at 0xFF bytes, is the head
// then the chunks, where a byte 0xFE stands for a chunk of the run (a stream
// mostly continues the run).
#include <cstdint>
#include <string>
#include <vector>

#include "bpe/backtrack_tables.h"
#include "bpe/byte_pair_encode.h"
#include "bpe/extended_piece.h"
#include "bpe/large_piece_merge.h"
#include "encoder/encoder_access.h"
#include "flashtok/flashtok.h"
#include "fuzz_check.h"
#include "vocab/encoding_access.h"

namespace {

std::vector<flashtok::Rank> heap_ids(const flashtok::internal::RankTable& ranks, std::string_view piece) {
  static flashtok::internal::LargePieceBuffers buffers;
  std::vector<flashtok::Rank> ids;
  if (!piece.empty()) flashtok::internal::merge_large_piece(ranks, piece, buffers, [&ids](flashtok::Rank r) { ids.push_back(r); });
  return ids;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace flashtok;
  if (size < 2) return 0;
  static const char* const kNames[] = {"cl100k_base", "o200k_base", "r50k_base", "p50k_base"};
  // The run's kind: an ASCII byte's class, or characters of two to four
  // bytes of one class (Han, box drawing, Cyrillic, a CJK space, emoji,
  // combining marks): each kind's characters of its first one's class.
  static const char* const kRunKinds[] = {" ", "a", "-", "\n", "=", "A", "7", "/", "\t", "'", ".",
                                          "的一是不了人我在", "─━┼┤├═│", "жабвгдЖА", "\u3000", "😀🙂🚀", "\u0301\u0300\u0308"};
  constexpr std::size_t kKinds = sizeof(kRunKinds) / sizeof(kRunKinds[0]);
  const auto encoder = Encoder::builtin(kNames[data[0] % 4]);
  const std::string_view kind = kRunKinds[(data[0] / 4) % kKinds];
  // Mixed: characters of the run's class, picked by a fixed generator (a
  // fuzzer could not write a megabyte of them).
  const bool mixed = (data[0] / (4 * kKinds)) % 2 == 1;
  const internal::RunClasses& classes = internal::pretokenizer_of(*encoder).run_classes();
  const internal::RunChar first = classes.at(kind, 0);
  std::vector<std::string> members;
  if (kind.size() == 1) {
    for (int c = 0; c < 128; ++c) {
      if (classes.of_ascii(c) == first.cls) members.emplace_back(1, static_cast<char>(c));
    }
  } else {
    for (std::size_t at = 0; at < kind.size(); at += classes.at(kind, at).len) {
      if (classes.at(kind, at) == first) members.emplace_back(kind.substr(at, first.len));
    }
  }
  std::uint64_t state = data[1];
  auto run_of = [&](std::size_t chars) {
    std::string run;
    for (std::size_t i = 0; i < chars; ++i) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      run += mixed ? std::string_view(members[(state >> 33) % members.size()]) : kind.substr(0, first.len);
    }
    return run;
  };
  const std::string run = run_of(256 + std::size_t{data[1]} * 4);

  std::vector<std::string> parts(1);
  for (std::size_t i = 2; i < size; ++i) {
    if (data[i] == 0xFF) {
      parts.emplace_back();
    } else if (data[i] == 0xFE) {
      parts.back() += run_of(1 + i % 13);
    } else {
      parts.back() += static_cast<char>(data[i]);
    }
  }
  AppendOnlyTokenCache cache(encoder, parts[0] + run);
  const FixedPrefixTokenCache fixed(encoder, parts[0] + run);  // each chunk as a suffix of the run
  std::string text = cache.text();
  TokenDelta delta;
  for (std::size_t i = 1; i < parts.size(); ++i) {
    cache.append_ordinary(parts[i]);
    text += parts[i];
    const std::vector<Rank> expected = encoder->encode_ordinary(text);
    FUZZ_CHECK(cache.tokens() == expected);
    const std::vector<Rank> with_suffix = fixed.encode_ordinary(parts[i]);
    FUZZ_CHECK(with_suffix == encoder->encode_ordinary(fixed.prefix() + parts[i]));
    fixed.encode_delta(parts[i], &delta);
    std::vector<Rank> ids = fixed.stable_tokens();
    ids.insert(ids.end(), fixed.unstable_tokens().begin(), fixed.unstable_tokens().end());
    FUZZ_CHECK(delta.rollback_tokens <= ids.size());
    ids.resize(ids.size() - delta.rollback_tokens);
    ids.insert(ids.end(), delta.tokens_to_append.begin(), delta.tokens_to_append.end());
    FUZZ_CHECK(ids == with_suffix);
  }

  // The run with the head and first chunk as one piece, grown from its first bytes.
  const internal::RankTable& ranks = internal::ranks_of(encoder->encoding());
  const auto tables = internal::tables_of(ranks);
  const std::string piece = parts[0] + run + (parts.size() > 1 ? parts[1] : std::string());
  const std::size_t old_size = parts[0].size() + run.size() / 2;
  const std::vector<Rank> old_ids = heap_ids(ranks, std::string_view(piece).substr(0, old_size));
  static internal::MergeScratch scratch;
  std::size_t kept = 0;
  std::vector<Rank> ids;
  FUZZ_CHECK(internal::extend_piece_ids(ranks, *tables, scratch, old_ids.data(), old_ids.size(), old_size, piece,
                                        &kept, &ids));
  ids.insert(ids.begin(), old_ids.begin(), old_ids.begin() + static_cast<std::ptrdiff_t>(kept));
  FUZZ_CHECK(ids == heap_ids(ranks, piece));
  return 0;
}
