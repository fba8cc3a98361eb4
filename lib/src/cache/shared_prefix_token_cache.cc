// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "flashtok/shared_prefix_token_cache.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "cache/block_doorkeeper.h"
#include "cache/block_index.h"
#include "encoder/piece_record.h"
#include "encoder/piece_walk.h"
#include "encoder/scratch.h"
#include "util/byte_hash.h"
#include "util/prefetch.h"

namespace flashtok {
namespace {

// A full cache takes a block on its second sighting at the earliest.
constexpr unsigned kAdmissionSightings = 2;

// How many children of the deepest matched node a lookup compares with the
// text for a partial match: the newest first. Siblings usually share most of
// their bytes (a template's tail followed by different questions), so the
// first few serve as well as any; the bound keeps a miss cheap.
constexpr std::size_t kPartialCandidates = 8;

// How many blocks ahead the lookup hashes and prefetches: the index slots,
// nodes, block bytes, ids and LRU entries of that many blocks are loaded
// together instead of one miss after another (a full encode between two
// lookups leaves few of them in cache).
constexpr std::size_t kWalkAhead = 8;

// Starts loading the first lines of n bytes at p (the rest stream in behind).
void prefetch_bytes(const void* p, std::size_t n) {
  const char* bytes = static_cast<const char*>(p);
  for (std::size_t at = 0; at < std::min<std::size_t>(n, 256); at += 64) internal::prefetch_line(bytes + at);
}

// The key of a block under its parent.
std::uint64_t block_key(std::uint64_t parent_key, std::string_view block) {
  return internal::hash_chained(parent_key, block);
}

// How many leading bytes a and b share.
std::size_t shared_bytes(std::string_view a, std::string_view b) {
  const std::size_t n = std::min(a.size(), b.size());
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {  // a word at a time, then the byte that differs
    std::uint64_t x, y;
    std::memcpy(&x, a.data() + i, 8);
    std::memcpy(&y, b.data() + i, 8);
    if (x != y) break;
  }
  while (i < n && a[i] == b[i]) ++i;
  return i;
}

// One piece a node fixes, for reusing part of its block: where the piece
// ends (where the next one starts), the largest reach of it and of the
// node's pieces before it, and the number of the node's ids up to its end.
// Byte offsets are the text's; a node of a text past 4 GiB keeps only the
// records that fit, which only reuses less.
struct PieceEnd {
  std::uint32_t end;
  std::uint32_t reach;
  std::uint32_t tokens_end;
};

bool fits(std::size_t value) { return value <= std::numeric_limits<std::uint32_t>::max(); }

// The records of a new node: `reused` (the run of pieces a partial match
// reused, which count as one piece: the claim holds for a run as for one; its
// tokens_end 0 when there was none), then the recorded pieces [piece, next),
// whose ids start at `from`. Reaches are kept as running maxima, so the
// records a partial match may reuse are a prefix. Stops at the first record
// that does not fit in 32 bits (that only reuses less).
std::vector<PieceEnd> piece_ends_of(std::string_view text, std::size_t reused_end, std::size_t reused_reach,
                                    std::size_t reused_tokens, const std::vector<internal::PieceRecord>& pieces,
                                    std::size_t piece, std::size_t next, std::size_t from, std::size_t ids_end) {
  std::vector<PieceEnd> ends;
  ends.reserve(next - piece + 1);
  std::size_t reach = 0;
  auto add = [&ends](std::size_t end, std::size_t reach_so_far, std::size_t tokens_end) {
    if (!fits(end) || !fits(reach_so_far) || !fits(tokens_end)) return false;
    ends.push_back(PieceEnd{static_cast<std::uint32_t>(end), static_cast<std::uint32_t>(reach_so_far),
                            static_cast<std::uint32_t>(tokens_end)});
    return true;
  };
  if (reused_tokens > 0) {
    reach = reused_reach;
    if (!add(reused_end, reach, reused_tokens)) return ends;
  }
  for (std::size_t i = piece; i < next; ++i) {
    const bool last = i + 1 == pieces.size();  // then the text ends with it (it is fixed)
    const std::size_t end = last ? text.size() : pieces[i + 1].begin;
    const std::size_t tokens_end = (last ? ids_end : pieces[i + 1].first_token) - from;
    reach = std::max(reach, pieces[i].max_reach);
    if (!add(end, reach, tokens_end)) break;
  }
  return ends;
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
  std::vector<PieceEnd> piece_ends;  // of the pieces `tokens` belongs to, in order
  Node* first_child = nullptr;  // children, newest first, for partial matches
  Node* next_sibling = nullptr;
  Node* prev_sibling = nullptr;
  unsigned sightings = 0;       // as the doorkeeper counts them, hits included
  std::list<std::unique_ptr<Node>>::iterator lru_position;
};

// memory_bytes() counts these per block; the header promises a bound.
constexpr std::size_t kIndexEntryBytes = 4 * internal::BlockIndex<int>::kSlotBytes;  // half full just after it doubles
constexpr std::size_t kLruEntryBytes = 3 * sizeof(void*);

SharedPrefixTokenCache::SharedPrefixTokenCache(std::shared_ptr<const Encoder> encoder, Options options)
    : encoder_(std::move(encoder)),
      options_(options),
      root_(std::make_unique<Node>()),
      index_(std::make_unique<internal::BlockIndex<Node>>()) {
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
  if (text.size() < b) ++stats_.short_texts;  // only a partial match can serve it
  Node* node = root_.get();
  std::uint64_t next_key = 0;  // of the first block below node, once computed
  const std::size_t whole_blocks = text.size() / b;
  bool matching = true;
  while (matching && node->depth < whole_blocks) {
    // The keys the next blocks have if they all match, their index slots,
    // their nodes, then each node's block, ids and LRU entry: each round of
    // loads waits on memory once for all of them.
    const std::size_t first = node->depth;
    const std::size_t ahead = std::min(kWalkAhead, whole_blocks - first);
    std::uint64_t keys[kWalkAhead];
    Node* found[kWalkAhead];
    std::uint64_t key = node->key;
    for (std::size_t i = 0; i < ahead; ++i) {
      key = block_key(key, text.substr((first + i) * b, b));
      keys[i] = key;
      index_->prefetch(key);
    }
    for (std::size_t i = 0; i < ahead; ++i) {
      found[i] = index_->find(keys[i]);
      if (found[i]) internal::prefetch_line(found[i]);
    }
    for (std::size_t i = 0; i < ahead; ++i) {
      if (!found[i]) continue;
      prefetch_bytes(found[i]->block.data(), b);
      prefetch_bytes(found[i]->tokens.data(), found[i]->tokens.size() * sizeof(Rank));
      internal::prefetch_line(&*found[i]->lru_position);
    }
    for (std::size_t i = 0; i < ahead; ++i) {
      next_key = keys[i];
      Node* child = found[i];
      if (!child || child->parent != node || child->block != text.substr((first + i) * b, b)) {
        matching = false;
        break;
      }
      node = child;
      node->sightings = std::min(node->sightings + 1, 255u);  // a hit counts toward keeping it
      count_sighting();
    }
  }
  Match match;
  match.depth = node->depth;
  match.restart_byte = node->restart_byte;
  match.deepest = node == root_.get() ? nullptr : node;
  match.deepest_key = node->key;
  match.admitted = blocks_to_admit(text, node, next_key, max_new, always_admit, &match.sightings);
  const Node* partial = best_partial_child(text, node, &match);
  if (!match.deepest && !partial) return match;
  // The path's ids, each copied once: every node's own ids go just before its
  // child's. Touching leaf to root keeps an ancestor never less recent than
  // its child, so the least recently used node is always a leaf. A child
  // reused in part is not touched: which blocks a full cache keeps stays the
  // admission's decision (a full block hit counts toward keeping it).
  // The path is walked twice, leaf to root (to touch it) and root to leaf (to
  // append each node's ids once, without zero-filling the result first).
  std::vector<const Node*>& path = path_scratch_;
  path.clear();
  for (Node* n = node; n != root_.get(); n = n->parent) {
    path.push_back(n);
    lru_.splice(lru_.begin(), lru_, n->lru_position);
  }
  for (auto it = path.rbegin(); it != path.rend(); ++it) ids->insert(ids->end(), (*it)->tokens.begin(), (*it)->tokens.end());
  if (partial) {
    const auto begin = partial->tokens.begin();
    ids->insert(ids->end(), begin, begin + static_cast<std::ptrdiff_t>(match.partial_tokens));
    ++stats_.partial_hits;
  }
  if (match.deepest) ++stats_.hits;
  stats_.bytes_reused += std::max(match.depth * b, match.restart_byte);
  stats_.tokens_reused += node->path_tokens + match.partial_tokens;
  return match;
}

// The child of `node` (the deepest block the text matched) sharing the most
// bytes with the text's next block, among the newest few, if it fixes a
// piece the text can reuse: those whose scans looked at no byte past the
// shared ones (docs/ALGORITHM.md, "the reach of a piece") are the text's
// next pieces too. Sets match's partial fields and restart; null if none.
const SharedPrefixTokenCache::Node* SharedPrefixTokenCache::best_partial_child(std::string_view text, const Node* node,
                                                                             Match* match) const {
  const std::size_t from = node->depth * options_.block_bytes;
  const std::string_view rest = text.substr(from, std::min(options_.block_bytes, text.size() - from));
  const Node* best = nullptr;
  std::size_t best_shared = 0;
  std::size_t candidates = 0;
  for (const Node* child = node->first_child; child && candidates < kPartialCandidates;
       child = child->next_sibling, ++candidates) {
    const std::size_t shared = shared_bytes(child->block, rest);
    if (shared > best_shared) {
      best = child;
      best_shared = shared;
    }
  }
  if (!best) return nullptr;
  // Reaches only grow along the records: those with reach <= the agreed
  // bytes' end are a prefix of them.
  const std::size_t agreed = from + best_shared;
  const auto fixed = std::upper_bound(best->piece_ends.begin(), best->piece_ends.end(), agreed,
                                      [](std::size_t k, const PieceEnd& piece) { return k < piece.reach; });
  if (fixed == best->piece_ends.begin()) return nullptr;
  const PieceEnd& last = *std::prev(fixed);
  match->partial_tokens = last.tokens_end;
  match->partial_reach = last.reach;
  match->restart_byte = last.end;
  return best;
}

// How many blocks below `node` (the match) to insert. While the cache has
// room: all of them (up to max_new) if the text is learning a path, that is
// if the first of them was seen before (a template's second sighting) or
// `node` has no child yet (nothing below it known: the first text there,
// whose block also serves later texts' partial matches); otherwise none, as
// the new text below a known point is most likely unique (the question after
// a template) and inserting it on every call cost a third of the cache's
// time. Once the cache is full: one at most, and only one seen before and
// more often than the block it would evict (TinyLFU's admission; the
// doorkeeper counts every candidate's sightings). A block that never recurs
// then never evicts one, and traffic that cycles through more prefixes than
// the cache holds costs no churn: at most one insertion and one eviction per
// call, and only for a block more popular than the one it replaces. `key` is
// the first block's, which the lookup already computed.
std::size_t SharedPrefixTokenCache::blocks_to_admit(std::string_view text, const Node* node, std::uint64_t key,
                                                    std::size_t max_new, bool always_admit, unsigned* sightings_out) {
  const std::size_t b = options_.block_bytes;
  const std::size_t depth = node->depth;
  const std::size_t candidates = std::min(max_new, text.size() / b - depth);
  *sightings_out = kAdmissionSightings;  // a prebuilt block counts as seen twice
  if (always_admit) return candidates;
  if (options_.max_blocks == 0) return 0;
  // The least recently used node is a leaf: the one eviction would take.
  const unsigned victim = lru_.size() >= options_.max_blocks ? lru_.back()->sightings : 0;
  std::size_t admitted = 0;
  bool admitting = true;
  bool learning = false;
  for (std::size_t i = 0; i < candidates; ++i) {
    if (i > 0) key = block_key(key, text.substr((depth + i) * b, b));
    const unsigned sightings = doorkeeper_->record(key);
    count_sighting();
    if (i == 0) learning = sightings >= kAdmissionSightings || !node->first_child;
    const bool room = lru_.size() + admitted < options_.max_blocks;
    const bool admit = admitting && ((room && learning) || (sightings >= kAdmissionSightings && sightings > victim));
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
  for (const auto& node : lru_) node->sightings /= 2;
}

void SharedPrefixTokenCache::encode_and_insert(std::string_view text, const Match& match, std::vector<Rank>* ids) {
  internal::Scratch& scratch = internal::Scratch::of_this_thread();
  if (match.admitted == 0) {  // a plain encode of the rest, no bookkeeping
    internal::encode_pieces(*encoder_, scratch, text, match.restart_byte, 0, ids,
                            [](const internal::PieceRecord&) { return true; });
    return;
  }
  const std::size_t b = options_.block_bytes;
  const std::size_t ids_before = ids->size();
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
  // It may have been evicted (and freed) while we encoded.
  if (match.deepest && index_->find(match.deepest_key) != parent) return;
  std::size_t piece = 0;  // first recorded piece not fixed by the parent's path
  // The first new node's ids start with those reused from a partial match,
  // all fixed by it (their reach is inside its block).
  std::size_t from = ids_before - match.partial_tokens;
  std::vector<Node*> added;
  for (std::size_t d = match.depth + 1; d <= match.depth + match.admitted; ++d) {
    const std::size_t end = d * b;
    std::size_t next = piece;
    while (next < pieces.size() && pieces[next].max_reach <= end) ++next;
    const std::size_t to = next < pieces.size() ? pieces[next].first_token : ids->size();
    Node* node = insert_block(parent, block_key(parent->key, text.substr(end - b, b)), text.substr(end - b, b));
    if (!node) break;  // a hash collision
    if (node->depth == 0) {  // new: fill in what the encode found
      node->depth = d;
      node->tokens.assign(ids->begin() + static_cast<std::ptrdiff_t>(from), ids->begin() + static_cast<std::ptrdiff_t>(to));
      node->path_tokens = parent->path_tokens + node->tokens.size();
      node->restart_byte = next < pieces.size() ? pieces[next].begin : text.size();
      node->sightings = match.sightings;
      const bool first_below_match = d == match.depth + 1;
      node->piece_ends = piece_ends_of(text, match.restart_byte, match.partial_reach,
                                       first_below_match ? match.partial_tokens : 0, pieces, piece, next, from,
                                       ids->size());
      bytes_ += node->tokens.capacity() * sizeof(Rank) + node->piece_ends.capacity() * sizeof(PieceEnd);
    }
    added.push_back(node);
    parent = node;
    piece = next;
    from = to;
  }
  for (auto it = added.rbegin(); it != added.rend(); ++it) lru_.splice(lru_.begin(), lru_, (*it)->lru_position);
  evict_while_full();
}

// The child of parent under key: the one already there (inserted by another
// thread meanwhile), else a new node of depth 0 for the caller to fill in;
// null if key belongs to another block (a hash collision).
SharedPrefixTokenCache::Node* SharedPrefixTokenCache::insert_block(Node* parent, std::uint64_t key,
                                                                   std::string_view block) {
  if (Node* existing = index_->find(key)) {
    return existing->parent == parent && existing->block == block ? existing : nullptr;
  }
  auto owned = std::make_unique<Node>();
  owned->parent = parent;
  owned->key = key;
  owned->block.assign(block);
  lru_.push_front(std::move(owned));
  Node* node = lru_.front().get();
  node->lru_position = lru_.begin();
  try {
    index_->insert(key, node);
  } catch (...) {
    lru_.pop_front();
    throw;
  }
  node->next_sibling = parent->first_child;  // newest first
  if (parent->first_child) parent->first_child->prev_sibling = node;
  parent->first_child = node;
  bytes_ += sizeof(Node) + node->block.capacity();
  ++stats_.blocks_inserted;
  return node;
}

void SharedPrefixTokenCache::evict_while_full() {
  while (lru_.size() > options_.max_blocks) {
    // The least recently used leaf (the invariant makes it the last node).
    auto it = std::prev(lru_.end());
    while ((*it)->first_child && it != lru_.begin()) --it;
    Node* victim = it->get();
    if (victim->first_child) return;
    unlink_from_parent(victim);
    bytes_ -= sizeof(Node) + victim->block.capacity() + victim->tokens.capacity() * sizeof(Rank) +
              victim->piece_ends.capacity() * sizeof(PieceEnd);
    index_->erase(victim->key);
    lru_.erase(it);  // frees it
    ++stats_.evictions;
  }
}

void SharedPrefixTokenCache::unlink_from_parent(Node* node) {
  if (node->prev_sibling) {
    node->prev_sibling->next_sibling = node->next_sibling;
  } else {
    node->parent->first_child = node->next_sibling;
  }
  if (node->next_sibling) node->next_sibling->prev_sibling = node->prev_sibling;
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
  return bytes_ + index_->memory_bytes() + lru_.size() * kLruEntryBytes + doorkeeper_->memory_bytes();
}

}  // namespace flashtok
