// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "vocab/rank_table.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>
#include <optional>
#include <string>

#include "flashtok/error.h"
#include "vocab/piece_splitter.h"
#include "vocab/premerged_chars.h"

namespace flashtok::internal {
namespace {

std::atomic<std::uint64_t> next_table_id{1};

std::size_t table_size_for(std::size_t count) {
  std::size_t size = 1024;
  while (size < count * 2) size *= 2;  // load factor <= 0.5 keeps probes short
  return size;
}

}  // namespace

// One empty slot and an empty filter word, so that lookups need no test for
// an empty table: the filter answers no to everything.
RankTable::RankTable()
    : id_(next_table_id++), slots_(1, Slot{0, kNoRank, 0}), filter_(1, 0), pair_ranks_(65536, kNoRank) {
  std::fill(std::begin(byte_ranks_), std::end(byte_ranks_), kNoRank);
  derived_ = std::make_shared<Derived>();
}

RankTable::RankTable(const std::vector<std::pair<std::string, Rank>>& tokens) {
  std::string bytes;
  SpanList spans;
  spans.reserve(tokens.size());
  for (const auto& [token, rank] : tokens) {
    spans.push_back(Span{static_cast<std::uint32_t>(bytes.size()), static_cast<std::uint32_t>(token.size()), rank});
    bytes += token;
  }
  *this = RankTable(std::move(bytes), spans);
}

RankTable::RankTable(std::string bytes, const SpanList& spans)
    : id_(next_table_id++), arena_(std::move(bytes)) {
  Rank end = 0;
  for (const Span& s : spans) {
    if (s.rank == kNoRank) throw Error(ErrorCode::kCorruptData, "rank 4294967295 is reserved");
    if (s.length == 0) throw Error(ErrorCode::kCorruptData, "a token has no bytes");
    if (s.length > 0xFFFF) throw Error(ErrorCode::kCorruptData, "a token is longer than 65535 bytes");
    if (s.offset > arena_.size() || s.length > arena_.size() - s.offset) {
      throw Error(ErrorCode::kCorruptData, "a token's bytes are outside the buffer");
    }
    end = std::max(end, s.rank + 1);
  }
  // The id-to-bytes arrays are indexed by rank. Real rank files number their
  // tokens 0, 1, 2, ...; a sparse one (found by fuzzing: one rank near 2^32)
  // would make them gigabytes, so it is refused as corrupt.
  if (end > 2 * spans.size() + 1024) {
    throw Error(ErrorCode::kCorruptData, "rank " + std::to_string(end - 1) + " is far beyond the " +
                                             std::to_string(spans.size()) +
                                             " tokens of the file: ranks must number the tokens 0, 1, 2, ...");
  }
  offsets_.assign(end, 0);
  lengths_.assign(end, 0);
  slots_.assign(table_size_for(spans.size()), Slot{0, kNoRank, 0});
  filter_.assign(table_size_for(spans.size()) / 8, 0);  // >= 16 bits per token
  slot_mask_ = slots_.size() - 1;
  filter_mask_ = filter_.size() - 1;
  pair_ranks_.assign(65536, kNoRank);
  std::fill(std::begin(byte_ranks_), std::end(byte_ranks_), kNoRank);
  for (const Span& s : spans) max_token_bytes_ = std::max<std::size_t>(max_token_bytes_, s.length);

  // Slots are random cache misses in a table of megabytes: fetch the slot of
  // a token a few places ahead while inserting this one (halves load time).
  constexpr std::size_t kAhead = 8;
  auto bytes_of_span = [&](const Span& s) { return std::string_view(arena_).substr(s.offset, s.length); };
  for (std::size_t i = 0; i < spans.size(); ++i) {
    if (i + kAhead < spans.size()) prefetch_line(&slots_[token_hash(bytes_of_span(spans[i + kAhead])) & slot_mask_]);
    const Span& s = spans[i];
    if (lengths_[s.rank] != 0) {
      throw Error(ErrorCode::kCorruptData, "rank " + std::to_string(s.rank) + " appears twice");
    }
    offsets_[s.rank] = s.offset;
    lengths_[s.rank] = static_cast<std::uint16_t>(s.length);
    insert(bytes_of_span(s), s.offset, s.rank);
  }
  derived_ = std::make_shared<Derived>();
}

std::size_t RankTable::probe(std::string_view bytes, std::uint64_t key, std::uint64_t hash) const noexcept {
  for (std::size_t i = hash & slot_mask_;; i = (i + 1) & slot_mask_) {
    const Slot& slot = slots_[i];
    if (slot.rank == kNoRank) return i;
    if (slot.key != key) continue;
    if (bytes.size() <= 8 ? slot.aux == bytes.size()  // the key is all of the bytes but their length
                          : std::memcmp(arena_.data() + slot.aux, bytes.data(), bytes.size()) == 0) {
      return i;
    }
  }
}

void RankTable::insert(std::string_view bytes, std::uint32_t offset, Rank rank) {
  const std::uint64_t key = token_key(bytes);
  const std::uint64_t h = finish_hash(key, bytes.size());
  Slot& slot = slots_[probe(bytes, key, h)];
  if (slot.rank != kNoRank) {
    throw Error(ErrorCode::kCorruptData, "the same token bytes have two ranks (" + std::to_string(slot.rank) +
                                             " and " + std::to_string(rank) + ")");
  }
  slot = Slot{key, rank, bytes.size() <= 8 ? static_cast<std::uint32_t>(bytes.size()) : offset};
  filter_[(h >> 20) & filter_mask_] |= filter_bits(h);
  ++count_;
  const auto* b = reinterpret_cast<const std::uint8_t*>(bytes.data());
  if (bytes.size() == 1) byte_ranks_[b[0]] = rank;
  if (bytes.size() == 2) pair_ranks_[(b[0] << 8) | b[1]] = rank;
}

Rank RankTable::find_hashed(std::string_view bytes) const noexcept {
  const std::uint64_t key = token_key(bytes);
  const std::uint64_t h = finish_hash(key, bytes.size());
  if (!may_contain(h)) return kNoRank;
  return slots_[probe(bytes, key, h)].rank;
}

struct RankTable::Derived {
  std::once_flag splitter_built;
  PieceSplitter splitter;
  std::once_flag chars_built;
  std::optional<PremergedChars> chars;
  // Set once each is built, so that memory_bytes() can count them without
  // building them (a memory report must not cost a table build).
  std::atomic<bool> splitter_ready{false};
  std::atomic<bool> chars_ready{false};
};

const PieceSplitter& RankTable::splitter() const {
  std::call_once(derived_->splitter_built, [this] {
    for (Rank r = 0; r < end_rank(); ++r) derived_->splitter.learn(bytes_of(r));
    derived_->splitter_ready.store(true, std::memory_order_release);
  });
  return derived_->splitter;
}

const PremergedChars& RankTable::premerged_chars() const {
  std::call_once(derived_->chars_built, [this] {
    derived_->chars.emplace(*this);
    derived_->chars_ready.store(true, std::memory_order_release);
  });
  return *derived_->chars;
}

std::size_t RankTable::memory_bytes() const {
  return arena_.capacity() + offsets_.capacity() * sizeof(std::uint32_t) +
         lengths_.capacity() * sizeof(std::uint16_t) + slots_.capacity() * sizeof(Slot) +
         filter_.capacity() * sizeof(std::uint64_t) +
         pair_ranks_.capacity() * sizeof(Rank) +
         (derived_->splitter_ready.load(std::memory_order_acquire) ? derived_->splitter.memory_bytes() : 0) +
         (derived_->chars_ready.load(std::memory_order_acquire) ? derived_->chars->memory_bytes() : 0) + sizeof(*this);
}

}  // namespace flashtok::internal
