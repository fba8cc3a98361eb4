// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "flashtok/shared_prefix_token_cache.h"

#include <algorithm>

#include "encoder/piece_walk.h"
#include "encoder/scratch.h"
#include "util/byte_hash.h"

namespace flashtok {
namespace {

// The key of a block under its parent.
std::uint64_t block_key(std::uint64_t parent_key, std::string_view block) {
  return internal::hash_chained(parent_key, block);
}

}  // namespace

struct SharedPrefixTokenCache::Node {
  Node* parent = nullptr;
  std::uint64_t key = 0;
  std::size_t depth = 0;
  std::string block;            // block_bytes bytes of text
  std::vector<Rank> tokens;     // ids this block fixes beyond its parent's
  std::size_t restart_byte = 0; // where the first piece not fixed by the path starts
  std::size_t children = 0;
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
}

SharedPrefixTokenCache::~SharedPrefixTokenCache() = default;

SharedPrefixTokenCache::Match SharedPrefixTokenCache::longest_match(std::string_view text) {
  const std::size_t b = options_.block_bytes;
  Match match;
  std::lock_guard<std::mutex> lock(mutex_);
  Node* node = root_.get();
  std::vector<Node*> path;
  while ((node->depth + 1) * b <= text.size()) {
    const std::string_view block = text.substr(node->depth * b, b);
    const auto it = index_.find(block_key(node->key, block));
    if (it == index_.end() || it->second->parent != node || it->second->block != block) break;
    node = it->second.get();
    path.push_back(node);
    match.tokens.insert(match.tokens.end(), node->tokens.begin(), node->tokens.end());
  }
  // Touch leaf to root: an ancestor is then never less recent than its child,
  // so the least recently used node is always a leaf.
  for (auto it = path.rbegin(); it != path.rend(); ++it) lru_.splice(lru_.begin(), lru_, (*it)->lru_position);
  match.matched_bytes = node->depth * b;
  match.restart_byte = node->restart_byte;
  match.deepest = node == root_.get() ? nullptr : node;
  match.deepest_key = node->key;
  ++stats_.lookups;
  if (match.deepest) {
    ++stats_.hits;
    stats_.bytes_reused += match.matched_bytes;
    stats_.tokens_reused += match.tokens.size();
  }
  return match;
}

std::vector<Rank> SharedPrefixTokenCache::encode_and_insert(std::string_view text, Match match, std::size_t max_new) {
  const std::size_t b = options_.block_bytes;
  // The pieces after the matched prefix; max_reach counts from the restart.
  std::vector<Rank> fresh;
  std::vector<internal::PieceRecord> pieces;
  internal::encode_pieces(*encoder_, internal::Scratch::of_this_thread(), text, match.restart_byte, 0, &fresh,
                          [&pieces](const internal::PieceRecord& piece) {
                            pieces.push_back(piece);
                            return true;
                          });

  std::vector<Rank> result = std::move(match.tokens);
  result.insert(result.end(), fresh.begin(), fresh.end());

  const std::size_t depth = match.matched_bytes / b;
  const std::size_t new_blocks = std::min(max_new, text.size() / b - depth);
  if (new_blocks == 0) return result;

  std::lock_guard<std::mutex> lock(mutex_);
  Node* parent = match.deepest ? match.deepest : root_.get();
  if (match.deepest) {  // it may have been evicted (and freed) while we encoded
    const auto it = index_.find(match.deepest_key);
    if (it == index_.end() || it->second.get() != parent) return result;
  }
  std::size_t piece = 0;  // first piece not fixed by the parent's path
  std::vector<Node*> added;
  for (std::size_t d = depth + 1; d <= depth + new_blocks; ++d) {
    const std::size_t end = d * b;
    std::size_t next = piece;
    while (next < pieces.size() && pieces[next].max_reach <= end) ++next;
    const std::string_view block = text.substr(end - b, b);
    const std::uint64_t key = block_key(parent->key, block);
    const auto existing = index_.find(key);
    Node* node = nullptr;
    if (existing != index_.end()) {
      if (existing->second->parent != parent || existing->second->block != block) break;  // a hash collision
      node = existing->second.get();  // another thread inserted it meanwhile
    } else {
      auto owned = std::make_unique<Node>();
      node = owned.get();
      node->parent = parent;
      node->key = key;
      node->depth = d;
      node->block.assign(block);
      const std::size_t from = piece < pieces.size() ? pieces[piece].first_token : fresh.size();
      const std::size_t to = next < pieces.size() ? pieces[next].first_token : fresh.size();
      node->tokens.assign(fresh.begin() + static_cast<std::ptrdiff_t>(from), fresh.begin() + static_cast<std::ptrdiff_t>(to));
      node->restart_byte = next < pieces.size() ? pieces[next].begin : text.size();
      index_.emplace(key, std::move(owned));
      try {
        lru_.push_front(node);
      } catch (...) {
        index_.erase(key);
        throw;
      }
      node->lru_position = lru_.begin();
      ++parent->children;
      bytes_ += sizeof(Node) + node->block.capacity() + node->tokens.capacity() * sizeof(Rank);
      ++stats_.blocks_inserted;
    }
    added.push_back(node);
    parent = node;
    piece = next;
  }
  for (auto it = added.rbegin(); it != added.rend(); ++it) lru_.splice(lru_.begin(), lru_, (*it)->lru_position);
  evict_while_full();
  return result;
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
  return encode_and_insert(text, longest_match(text), options_.max_new_blocks);
}

void SharedPrefixTokenCache::prebuild(const std::vector<std::string>& prefixes) {
  for (const auto& prefix : prefixes) encode_and_insert(prefix, longest_match(prefix), prefix.size());
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
  return bytes_ + index_.size() * kIndexEntryBytes + lru_.size() * kLruEntryBytes;
}

}  // namespace flashtok
