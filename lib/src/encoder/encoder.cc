// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "flashtok/encoder.h"

#include <algorithm>
#include <limits>
#if defined(_OPENMP)
#include <omp.h>
#endif

#include "bpe/backtrack_tables.h"
#include "bpe/byte_pair_encode.h"
#include "encoder/encoder_access.h"
#include "encoder/scratch.h"
#include "encoder/utf8_replace.h"
#include "flashtok/error.h"
#include "pretokenizer/pretokenizer.h"
#include "util/byte_view.h"
#include "vocab/encoding_access.h"

namespace flashtok {

namespace {

// The whole-piece lookup and the memo are both read at random in tables
// larger than L1 (the rank table is megabytes), so the walk runs two stages
// ahead of the merge: the rank-table slot of piece i + kSlotAhead is
// prefetched; piece i + kLookupAhead is looked up, its slot now in cache, and
// if it is no token its memo entry is prefetched. Far enough ahead to cover a
// miss to memory at tens of nanoseconds per piece, near enough that the lines
// are still in L1 when their turn comes.
constexpr std::size_t kSlotAhead = 8;
constexpr std::size_t kLookupAhead = 4;
constexpr std::size_t kLookedUp = 8;  // ring of whole-piece ranks: a power of two > kLookupAhead
constexpr std::size_t kHashed = 16;   // ring of piece hashes: a power of two > kSlotAhead
static_assert(kLookupAhead < kLookedUp && kLookupAhead < kSlotAhead && kSlotAhead < kHashed);

// Calls merge(ranks, piece, whole, hash, scratch) on each piece of text in
// order, where whole is ranks.find(piece), the piece's rank if it is one
// token, and hash is hash_piece(ranks, piece, …).hash.
// Prefetching only loads cache lines, so the ids are those of a plain walk.
template <typename Merge>
void for_each_piece(const Encoder& encoder, std::string_view text, Merge merge) {
  const internal::RankTable& table = internal::ranks_of(encoder.encoding());
  internal::MergeScratch& merge_scratch = internal::Scratch::of_this_thread().merge;
  internal::pretokenizer_of(encoder).split_untracked(text, 0, [&](const internal::Piece* pieces, std::size_t n) {
    // Locals, not the captures: these stay in registers across the merges.
    const internal::RankTable& ranks = table;
    internal::MergeScratch& scratch = merge_scratch;
    const std::string_view bytes = text;
    auto piece_at = [&](std::size_t i) { return internal::bytes_between(bytes, pieces[i].begin, pieces[i].end); };
    // Each piece's key and hash are computed once, when its slot is
    // prefetched; the lookup and the memo's prefetch reuse them.
    std::uint64_t keys[kHashed];
    std::uint64_t hashes[kHashed];
    auto prefetch = [&](std::size_t i) {
      const std::string_view piece = piece_at(i);
      const internal::PieceHash h = internal::hash_piece(ranks, piece, pieces[i].begin + 8 <= bytes.size());
      keys[i % kHashed] = h.key;
      hashes[i % kHashed] = h.hash;
      ranks.prefetch(piece, h.hash);
    };
    Rank whole[kLookedUp];
    auto look_up = [&](std::size_t i) {
      const std::string_view piece = piece_at(i);
      whole[i % kLookedUp] = ranks.find(piece, keys[i % kHashed], hashes[i % kHashed]);
      if (whole[i % kLookedUp] == kNoRank) scratch.memo.prefetch(piece, hashes[i % kHashed]);
    };
    for (std::size_t i = 0; i < n && i < kSlotAhead; ++i) prefetch(i);
    for (std::size_t i = 0; i < n && i < kLookupAhead; ++i) look_up(i);
    for (std::size_t i = 0; i < n; ++i) {
      if (i + kSlotAhead < n) prefetch(i + kSlotAhead);
      if (i + kLookupAhead < n) look_up(i + kLookupAhead);
      merge(ranks, piece_at(i), whole[i % kLookedUp], hashes[i % kHashed], scratch);
    }
    return true;
  });
}

}  // namespace

bool SpecialTokenSet::contains(std::string_view name) const {
  return all_tokens || std::find(names.begin(), names.end(), name) != names.end();
}

Encoder::Encoder(std::shared_ptr<const Encoding> encoding, PretokenizerChoice choice)
    : encoding_(std::move(encoding)),
      pretokenizer_(choice == PretokenizerChoice::kRegex ? internal::make_regex_pretokenizer(encoding_->pattern())
                                                         : internal::make_pretokenizer(encoding_->pattern())) {}

Encoder::~Encoder() = default;

std::shared_ptr<const Encoder> Encoder::builtin(std::string_view name) {
  return std::make_shared<const Encoder>(Encoding::builtin(name));
}

void Encoder::encode_ordinary(std::string_view text, std::vector<Rank>* out) const {
  for_each_piece(*this, text, [out](const internal::RankTable& ranks, std::string_view piece, Rank whole,
                                    std::uint64_t hash, internal::MergeScratch& scratch) {
    if (whole != kNoRank) {
      out->push_back(whole);
    } else {
      internal::append_merged_ids(ranks, piece, hash, scratch, out);
    }
  });
}

std::vector<Rank> Encoder::encode_ordinary(std::string_view text) const {
  std::vector<Rank> out;
  out.reserve(text.size() / 3 + 1);
  encode_ordinary(text, &out);
  return out;
}

std::size_t Encoder::count(std::string_view text) const {
  std::size_t total = 0;
  for_each_piece(*this, text, [&total](const internal::RankTable& ranks, std::string_view piece, Rank whole,
                                       std::uint64_t hash, internal::MergeScratch& scratch) {
    total += whole != kNoRank ? 1 : internal::count_merged_ids(ranks, piece, hash, scratch);
  });
  return total;
}

double Encoder::MemoUse::hit_rate() const noexcept {
  return merged > 0 ? static_cast<double>(memo_hits) / static_cast<double>(merged)
                    : std::numeric_limits<double>::quiet_NaN();
}

Encoder::MemoUse Encoder::memo_use(std::string_view text) const {
  MemoUse use;
  std::vector<Rank> ids;
  for_each_piece(*this, text, [&](const internal::RankTable& ranks, std::string_view piece, Rank whole,
                                  std::uint64_t hash, internal::MergeScratch& scratch) {
    ++use.pieces;
    if (whole != kNoRank) return;
    ++use.merged;
    std::size_t found = 0;
    if (scratch.memo.find(ranks.id(), piece, hash, &found) != nullptr) ++use.memo_hits;
    ids.clear();
    internal::append_merged_ids(ranks, piece, hash, scratch, &ids);  // and the memo learns, as in an encode
  });
  return use;
}

void Encoder::prepare() const {
  const internal::RankTable& ranks = internal::ranks_of(*encoding_);
  ranks.splitter();
  ranks.premerged_chars();
  const auto tables = internal::tables_of(ranks);
  tables->digit_tokens(ranks);
  tables->short_pairs();
  internal::Scratch::of_this_thread().merge.memo.touch_pages();
}

std::vector<Rank> Encoder::encode(std::string_view text, const SpecialTokenSet& allowed,
                                  const SpecialTokenSet& disallowed) const {
  std::vector<std::pair<std::string_view, Rank>> active;
  for (const auto& [token, id] : encoding_->special_tokens()) {
    if (allowed.contains(token)) {
      active.emplace_back(token, id);
    } else if (disallowed.contains(token) && text.find(token) != std::string_view::npos) {
      throw Error(ErrorCode::kDisallowedSpecial,
                  "the text contains the special token " + token + ", which is not allowed");
    }
  }
  std::vector<Rank> out;
  std::size_t pos = 0;
  for (;;) {
    // The earliest allowed special token from pos on (none is a prefix of another).
    std::size_t best = std::string_view::npos;
    const std::pair<std::string_view, Rank>* hit = nullptr;
    for (const auto& special : active) {
      const std::size_t at = text.find(special.first, pos);
      if (at < best) {
        best = at;
        hit = &special;
      }
    }
    encode_ordinary(text.substr(pos, best == std::string_view::npos ? std::string_view::npos : best - pos), &out);
    if (!hit) return out;
    out.push_back(hit->second);
    pos = best + hit->first.size();
  }
}

std::vector<std::vector<Rank>> Encoder::encode_batch(const std::vector<std::string>& texts, int threads) const {
  std::vector<std::vector<Rank>> out(texts.size());
  const auto n = static_cast<long long>(texts.size());
#if defined(_OPENMP)
  const int team = threads > 0 ? threads : omp_get_max_threads();
#pragma omp parallel for schedule(dynamic, 1) num_threads(team)
#else
  (void)threads;
#endif
  for (long long i = 0; i < n; ++i) {
    out[static_cast<std::size_t>(i)] = encode_ordinary(texts[static_cast<std::size_t>(i)]);
  }
  return out;
}

std::string Encoder::decode_bytes(const Rank* ids, std::size_t n) const {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string_view bytes = encoding_->token_bytes(ids[i]);
    if (bytes.empty()) {
      throw Error(ErrorCode::kInvalidToken, "token id " + std::to_string(ids[i]) + " (at position " +
                                                std::to_string(i) + ") is not in " + encoding_->name());
    }
    out += bytes;
  }
  return out;
}

std::string Encoder::decode(const std::vector<Rank>& ids) const {
  const std::string bytes = decode_bytes(ids);
  std::string out;
  out.reserve(bytes.size());
  internal::append_replacing_invalid(bytes, internal::CutTail::kReplace, &out);
  return out;
}

}  // namespace flashtok
