// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "bpe/backtrack_tables.h"

#include "vocab/table_state.h"

namespace flashtok::internal {

BacktrackTables::BacktrackTables(const RankTable& ranks)
    : trie_(ranks), prefixes_(ranks.end_rank()), splits_(ranks.end_rank()), table_id_(ranks.id()) {
  std::size_t slots = 16;
  while (slots < 2 * ranks.size()) slots *= 2;
  pairs_.assign(slots, PairSlot{kEmpty, kNoRank});
  pair_mask_ = slots - 1;
  // 16 bits per split (about 1% false positives), in 2^6 to 2^20 words.
  filter_shift_ = 64 - 6;
  while ((std::uint64_t{64} << (64 - filter_shift_)) < 16 * ranks.size() && filter_shift_ > 64 - 20) --filter_shift_;
  pair_filter_.assign(std::size_t{1} << (64 - filter_shift_), 0);
  for (Rank r = 0; r < ranks.end_rank(); ++r) {
    const std::string_view bytes = ranks.bytes_of(r);
    prefixes_[r].length = static_cast<std::uint16_t>(bytes.size());
    if (bytes.size() > 1) prefixes_[r].next_prefix = trie_.longest_prefix(bytes.substr(0, bytes.size() - 1));
  }
  // In rank order, so that every token a split or a compatibility test of
  // `r` looks at (all of lower rank) already has its split.
  for (Rank r = 0; r < ranks.end_rank() && usable_; ++r) {
    if (prefixes_[r].length > 1) usable_ = find_split(ranks, r);
  }
  if (!usable_) {  // the encoder will not read the splits: free them (the trie stays)
    prefixes_ = {};
    splits_ = {};
    pairs_ = {};
    pair_filter_ = {};
    return;
  }
  find_short_tokens(ranks);
}

void BacktrackTables::find_short_tokens(const RankTable& ranks) {
  for (Rank r = 0; r < ranks.end_rank(); ++r) {
    const std::string_view bytes = ranks.bytes_of(r);
    if (bytes.empty() || bytes.size() > 2 || !is_base64_byte(bytes.front()) || !is_base64_byte(bytes.back())) continue;
    prefixes_[r].short_index = static_cast<std::uint16_t>(short_tokens_.size());  // at most 64 + 64 * 64 of them
    short_tokens_.push_back(r);
  }
}

const DigitTokens& BacktrackTables::digit_tokens(const RankTable& ranks) const {
  static const DigitTokens kNone;
  if (ranks.id() != table_id_) return kNone;
  return digits_.get([&] { return DigitTokens(ranks, *this); });
}

const BitMatrix& BacktrackTables::short_pairs() const {
  return short_pairs_.get([this] {
    BitMatrix pairs(short_tokens_.size());
    for (std::size_t left = 0; left < short_tokens_.size(); ++left) {
      for (std::size_t right = 0; right < short_tokens_.size(); ++right) {
        if (compatible(short_tokens_[left], short_tokens_[right])) pairs.set(left, right);
      }
    }
    return pairs;
  });
}

// The split of `token`: the prefix token and the rest, both tokens (a
// one-byte one, or one of lower rank), that BPE keeps apart; false when
// there is none, that is when BPE does not reach the token from its bytes.
// At most one prefix passes: the merge of the token's bytes is determined.
bool BacktrackTables::find_split(const RankTable& ranks, Rank token) {
  const std::string_view bytes = ranks.bytes_of(token);
  for (Rank left = prefixes_[token].next_prefix; left != kNoRank; left = prefixes_[left].next_prefix) {
    const Rank right = ranks.find(bytes.substr(prefixes_[left].length));
    if (right == kNoRank) continue;
    const bool ordered = (prefixes_[left].length == 1 || left < token) && (prefixes_[right].length == 1 || right < token);
    if (!ordered || !compatible(left, right)) continue;
    splits_[token].left = left;
    splits_[token].right = right;
    const std::uint64_t key = (std::uint64_t{left} << 32) | right;
    std::size_t i = slot_of(key);
    while (pairs_[i].key != kEmpty) i = (i + 1) & pair_mask_;
    pairs_[i] = PairSlot{key, token};
    const std::uint64_t hash = pair_hash(left, right);
    pair_filter_[hash >> filter_shift_] |= filter_bits(hash);
    // Splits are found in rank order: the first join of a token is its lowest.
    if (splits_[left].lowest_join_as_left == kNoRank) splits_[left].lowest_join_as_left = token;
    if (splits_[right].lowest_join_as_right == kNoRank) splits_[right].lowest_join_as_right = token;
    return true;
  }
  return false;
}

std::size_t BacktrackTables::memory_bytes() const noexcept {
  const DigitTokens* digits = digits_.if_built();
  const BitMatrix* short_pairs = short_pairs_.if_built();
  return trie_.memory_bytes() + prefixes_.capacity() * sizeof(PrefixInfo) + splits_.capacity() * sizeof(SplitInfo) + pairs_.capacity() * sizeof(PairSlot) +
         pair_filter_.capacity() * sizeof(std::uint64_t) + short_tokens_.capacity() * sizeof(Rank) +
         (digits != nullptr ? digits->memory_bytes() : 0) + (short_pairs != nullptr ? short_pairs->memory_bytes() : 0);
}

std::shared_ptr<const BacktrackTables> tables_of(const RankTable& ranks) {
  return std::static_pointer_cast<const BacktrackTables>(
      table_state(ranks.id(), [&ranks] {
        auto tables = std::make_shared<const BacktrackTables>(ranks);
        const BacktrackTables* held = tables.get();  // lives as long as the state
        return BuiltTableState{std::move(tables), [held] { return held->memory_bytes(); }};
      }));
}

}  // namespace flashtok::internal
