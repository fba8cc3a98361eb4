// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "flashtok/shared_prefix_token_cache.h"

#include <algorithm>

#include "cache/block_doorkeeper.h"
#include "encoder/piece_walk.h"
#include "encoder/scratch.h"
#include "util/byte_hash.h"

namespace flashtok {
namespace {

// A full cache takes a block on its second sighting at the earliest.
constexpr unsigned kAdmissionSightings = 2;

// The key of a block under its parent.
std::uint64_t block_key(std::uint64_t parent_key, std::string_view block) {
  return internal::hash_chained(parent_key, block);
}

}  // namespace

struct SharedPrefixTokenCache::Node {
  Node* parent = nullptr;
  std::uint64_t key = 0;
  std::size_t depth = 0;
  std::size_t path_tokens = 0;  // ids fixed by the path from the root to here
  std::string block;            // block_bytes bytes of text
  std::vector<Rank> tokens;     // ids this block fixes beyond its parent's
  std::size_t restart_byte = 0; // where the first piece not fixed by the path starts
  std::size_t children = 0;
  unsigned sightings = 0;       // as the doorkeeper counts them, hits included
  std::list<Node*>::iterator lru_position;
};

// memory_bytes() counts these per block; the header promises a bound.
constexpr std::size_t kIndexEntryBytes = sizeof(std::uint64_t) + 2 * sizeof(void*);
constexpr std::size_t kLruEntryBytes = 3 * sizeof(void*);

SharedPrefixTokenCache::SharedPrefixTokenCache(std::shared_ptr<const Encoder> encoder, Options options)
    : encoder_(std::move(encoder)), options_(options), root_(std::make_unique<Node>()) {
  static_assert(sizeof(Node) + kIndexEntryBytes + kLruEntryBytes <= kNodeOverheadBytes,
                "kNodeOverheadBytes must cover a node and its index and LRU entries");
  options_.block_bytes = std::max<std::size_t>(options_.block_bytes, 1);
  // Two slots per block: about as many recent sightings of uncached blocks as cached blocks survive.
  doorkeeper_ = std::make_unique<internal::BlockDoorkeeper>(2 * std::min<std::size_t>(options_.max_blocks, 1 << 16));
  static_assert(kDoorkeeperBytesPerBlock >= 4 * sizeof(std::uint64_t), "two slots, rounded up to a power of two");
}

SharedPrefixTokenCache::~SharedPrefixTokenCache() = default;

SharedPrefixTokenCache::Match SharedPrefixTokenCache::longest_match(std::string_view text, std::size_t max_new,
                                                                    bool always_admit, std::vector<Rank>* ids) {
  const std::size_t b = options_.block_bytes;
  std::lock_guard<std::mutex> lock(mutex_);
  ++stats_.lookups;
  if (text.size() < b) {
    ++stats_.short_texts;
    return Match{};
  }
  Node* node = root_.get();
  std::uint64_t next_key = 0;  // of the first block below node, once computed
  while ((node->depth + 1) * b <= text.size()) {
    const std::string_view block = text.substr(node->depth * b, b);
    next_key = block_key(node->key, block);
    const auto it = index_.find(next_key);
    if (it == index_.end() || it->second->parent != node || it->second->block != block) break;
    node = it->second.get();
    node->sightings = std::min(node->sightings + 1, 255u);  // a hit counts toward keeping it
    count_sighting();
  }
  Match match;
  match.depth = node->depth;
  match.restart_byte = node->restart_byte;
  match.deepest = node == root_.get() ? nullptr : node;
  match.deepest_key = node->key;
  match.admitted = blocks_to_admit(text, node->depth, next_key, max_new, always_admit, &match.sightings);
  if (!match.deepest) return match;
  // The path's ids, each copied once: every node's own ids go just before its
  // child's. Touching leaf to root keeps an ancestor never less recent than
  // its child, so the least recently used node is always a leaf.
  // The path is walked twice, leaf to root (to touch it) and root to leaf (to
  // append each node's ids once, without zero-filling the result first).
  std::vector<const Node*>& path = path_scratch_;
  path.clear();
  for (Node* n = node; n != root_.get(); n = n->parent) {
    path.push_back(n);
    lru_.splice(lru_.begin(), lru_, n->lru_position);
  }
  for (auto it = path.rbegin(); it != path.rend(); ++it) ids->insert(ids->end(), (*it)->tokens.begin(), (*it)->tokens.end());
  ++stats_.hits;
  stats_.bytes_reused += match.depth * b;
  stats_.tokens_reused += node->path_tokens;
  return match;
}

// How many blocks after the first `depth` to insert: all of them while the
// cache has room (a cold cache learns a template in a few calls); once it is
// full, one at most, and only one seen before and more often than the block
// it would evict (TinyLFU's admission; the doorkeeper counts every
// candidate's sightings). A block that never recurs then never evicts one,
// and traffic that cycles through more prefixes than the cache holds costs
// no churn: at most one insertion and one eviction per call, and only for a
// block more popular than the one it replaces. `key` is the first block's,
// which the lookup already computed.
std::size_t SharedPrefixTokenCache::blocks_to_admit(std::string_view text, std::size_t depth, std::uint64_t key,
                                                    std::size_t max_new, bool always_admit, unsigned* sightings_out) {
  const std::size_t b = options_.block_bytes;
  const std::size_t candidates = std::min(max_new, text.size() / b - depth);
  *sightings_out = kAdmissionSightings;  // a prebuilt block counts as seen twice
  if (always_admit) return candidates;
  if (options_.max_blocks == 0) return 0;
  // The least recently used node is a leaf: the one eviction would take.
  const unsigned victim = lru_.size() >= options_.max_blocks ? lru_.back()->sightings : 0;
  std::size_t admitted = 0;
  bool admitting = true;
  for (std::size_t i = 0; i < candidates; ++i) {
    if (i > 0) key = block_key(key, text.substr((depth + i) * b, b));
    const unsigned sightings = doorkeeper_->record(key);
    count_sighting();
    const bool room = lru_.size() + admitted < options_.max_blocks;
    const bool admit = admitting && (room || (sightings >= kAdmissionSightings && sightings > victim));
    if (admit) {
      *sightings_out = admitted == 0 ? sightings : std::min(*sightings_out, sightings);
      ++admitted;
    } else {
      ++stats_.blocks_deferred;
    }
    // A child needs its parent in the trie; a full cache takes one block.
    if (!admit || !room) admitting = false;
  }
  return admitted;
}

// Every `10 * max_blocks` sightings (of cached blocks and of candidates) all
// counts halve, cached and remembered alike, as TinyLFU ages its sketch: a
// block popular long ago then yields to one popular now, while blocks as
// popular as each other keep their order.
void SharedPrefixTokenCache::count_sighting() {
  if (++sightings_since_aging_ < 10 * std::max<std::size_t>(options_.max_blocks, 16)) return;
  sightings_since_aging_ = 0;
  doorkeeper_->halve();
  for (Node* node : lru_) node->sightings /= 2;
}

void SharedPrefixTokenCache::encode_and_insert(std::string_view text, const Match& match, std::vector<Rank>* ids) {
  internal::Scratch& scratch = internal::Scratch::of_this_thread();
  if (match.admitted == 0) {  // a plain encode of the rest, no bookkeeping
    internal::encode_pieces(*encoder_, scratch, text, match.restart_byte, 0, ids,
                            [](const internal::PieceRecord&) { return true; });
    return;
  }
  const std::size_t b = options_.block_bytes;
  const std::size_t last_end = (match.depth + match.admitted) * b;
  // The pieces up to the last new block's end (and the one across it); max_reach counts from the restart.
  std::vector<internal::PieceRecord> pieces;
  internal::encode_pieces(*encoder_, scratch, text, match.restart_byte, 0, ids,
                          [&pieces, last_end](const internal::PieceRecord& piece) {
                            if (piece.begin <= last_end) pieces.push_back(piece);
                            return true;
                          });

  std::lock_guard<std::mutex> lock(mutex_);
  Node* parent = match.deepest ? match.deepest : root_.get();
  if (match.deepest) {  // it may have been evicted (and freed) while we encoded
    const auto it = index_.find(match.deepest_key);
    if (it == index_.end() || it->second.get() != parent) return;
  }
  std::size_t piece = 0;  // first piece not fixed by the parent's path
  std::vector<Node*> added;
  for (std::size_t d = match.depth + 1; d <= match.depth + match.admitted; ++d) {
    const std::size_t end = d * b;
    std::size_t next = piece;
    while (next < pieces.size() && pieces[next].max_reach <= end) ++next;
    Node* node = insert_block(parent, block_key(parent->key, text.substr(end - b, b)), text.substr(end - b, b));
    if (!node) break;  // a hash collision
    if (node->depth == 0) {  // new: fill in what the encode found
      node->depth = d;
      const std::size_t from = piece < pieces.size() ? pieces[piece].first_token : ids->size();
      const std::size_t to = next < pieces.size() ? pieces[next].first_token : ids->size();
      node->tokens.assign(ids->begin() + static_cast<std::ptrdiff_t>(from), ids->begin() + static_cast<std::ptrdiff_t>(to));
      node->path_tokens = parent->path_tokens + node->tokens.size();
      node->restart_byte = next < pieces.size() ? pieces[next].begin : text.size();
      node->sightings = match.sightings;
      bytes_ += node->tokens.capacity() * sizeof(Rank);
    }
    added.push_back(node);
    parent = node;
    piece = next;
  }
  for (auto it = added.rbegin(); it != added.rend(); ++it) lru_.splice(lru_.begin(), lru_, (*it)->lru_position);
  evict_while_full();
}

// The child of parent under key: the one already there (inserted by another
// thread meanwhile), else a new node of depth 0 for the caller to fill in;
// null if key belongs to another block (a hash collision).
SharedPrefixTokenCache::Node* SharedPrefixTokenCache::insert_block(Node* parent, std::uint64_t key,
                                                                   std::string_view block) {
  const auto existing = index_.find(key);
  if (existing != index_.end()) {
    Node* node = existing->second.get();
    return node->parent == parent && node->block == block ? node : nullptr;
  }
  auto owned = std::make_unique<Node>();
  Node* node = owned.get();
  node->parent = parent;
  node->key = key;
  node->block.assign(block);
  index_.emplace(key, std::move(owned));
  try {
    lru_.push_front(node);
  } catch (...) {
    index_.erase(key);
    throw;
  }
  node->lru_position = lru_.begin();
  ++parent->children;
  bytes_ += sizeof(Node) + node->block.capacity();
  ++stats_.blocks_inserted;
  return node;
}

void SharedPrefixTokenCache::evict_while_full() {
  while (lru_.size() > options_.max_blocks) {
    // The least recently used leaf (the invariant makes it the last node).
    auto it = std::prev(lru_.end());
    while ((*it)->children != 0 && it != lru_.begin()) --it;
    Node* victim = *it;
    if (victim->children != 0) return;
    lru_.erase(it);
    --victim->parent->children;
    bytes_ -= sizeof(Node) + victim->block.capacity() + victim->tokens.capacity() * sizeof(Rank);
    index_.erase(victim->key);  // frees it
    ++stats_.evictions;
  }
}

std::vector<Rank> SharedPrefixTokenCache::encode_ordinary(std::string_view text) {
  std::vector<Rank> ids;
  ids.reserve(text.size() / 3 + 1);  // as Encoder::encode_ordinary does: a miss must cost no more
  const Match match = longest_match(text, options_.max_new_blocks, false, &ids);
  encode_and_insert(text, match, &ids);
  return ids;
}

void SharedPrefixTokenCache::prebuild(const std::vector<std::string>& prefixes) {
  std::vector<Rank> ids;
  for (const auto& prefix : prefixes) {
    ids.clear();
    encode_and_insert(prefix, longest_match(prefix, prefix.size(), true, &ids), &ids);
  }
}

SharedPrefixTokenCache::Stats SharedPrefixTokenCache::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stats_;
}

std::size_t SharedPrefixTokenCache::block_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return lru_.size();
}

std::size_t SharedPrefixTokenCache::memory_bytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return bytes_ + index_.size() * kIndexEntryBytes + lru_.size() * kLruEntryBytes + doorkeeper_->memory_bytes();
}

}  // namespace flashtok
