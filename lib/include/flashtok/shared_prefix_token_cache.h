// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SHARED_PREFIX_TOKEN_CACHE_H_
#define FLASHTOK_SHARED_PREFIX_TOKEN_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "flashtok/encoder.h"
#include "flashtok/export.h"

namespace flashtok {
namespace internal {
class BlockDoorkeeper;
template <typename T>
class BlockIndex;
}  // namespace internal

// Many prefixes (system prompts, few-shot templates) shared by many requests.
//
// Texts are cut into blocks of block_bytes bytes; a path of blocks from the
// root of a trie spells a cached prefix. The node at depth i holds the ids of
// the pieces that its block fixes beyond its parent's (those whose scans
// looked at no byte at or past i * block_bytes) and where the next piece
// starts. encode_ordinary(text) walks down the trie as far as text matches,
// copies those ids once into the result, and encodes only from that point:
// the result always equals encoder.encode_ordinary(text). Blocks need not end
// on piece boundaries; the pieces' reach says which ids are fixed
// (docs/ALGORITHM.md).
//
// A text that leaves the trie inside a block still reuses part of it: each
// node also keeps, for every piece it fixes, where the piece ends, its reach
// and its ids' end, so the lookup compares the text with the newest few
// children of the deepest matched node and, from the one sharing the most
// bytes, reuses the pieces whose scans looked at no byte past the shared
// ones. Texts shorter than a block can reuse part of one this way too.
//
// Bounded by max_blocks; least recently used leaves are evicted first (a
// path is touched leaf to root, so a node is never older than its children).
// After a lookup, while the cache has room, up to max_new_blocks blocks of
// the text below the match are inserted if the first of them was seen
// before or the matched node has no child yet (so a template is learned
// from its second sighting, and the unique question after it is not
// inserted on every call); once it is full, at most one per call, and only
// one seen before and more often than the block it would evict (a
// doorkeeper counts how often recent block keys were seen, cached blocks
// count their hits, as TinyLFU does). So a block that never recurs evicts
// nothing, traffic that cycles through more prefixes than the cache holds
// leaves it alone instead of churning it, and a miss costs little more than
// the encode.
//
// Thread-safe: every member function may be called from many threads at
// once. The trie is guarded by a mutex that is never held while encoding.
class FLASHTOK_EXPORT SharedPrefixTokenCache {
 public:
  struct Options {
    std::size_t block_bytes = 256;
    std::size_t max_blocks = 4096;
    std::size_t max_new_blocks = 8;  // inserted per encode_ordinary call; 0: read-only
  };

  struct Stats {
    std::uint64_t lookups = 0;
    std::uint64_t hits = 0;            // at least one whole block reused
    std::uint64_t partial_hits = 0;    // lookups that reused part of a block (below the whole ones, if any)
    std::uint64_t bytes_reused = 0;    // text bytes covered by reused blocks and pieces
    std::uint64_t tokens_reused = 0;
    std::uint64_t blocks_inserted = 0;
    std::uint64_t evictions = 0;
    std::uint64_t short_texts = 0;     // lookups of texts shorter than one block
    std::uint64_t blocks_deferred = 0; // candidates a full cache did not admit
  };

  SharedPrefixTokenCache(std::shared_ptr<const Encoder> encoder, Options options);
  explicit SharedPrefixTokenCache(std::shared_ptr<const Encoder> encoder)
      : SharedPrefixTokenCache(std::move(encoder), Options()) {}
  ~SharedPrefixTokenCache();
  SharedPrefixTokenCache(const SharedPrefixTokenCache&) = delete;
  SharedPrefixTokenCache& operator=(const SharedPrefixTokenCache&) = delete;

  // The ids of text, reusing the longest cached prefix.
  std::vector<Rank> encode_ordinary(std::string_view text);

  // Inserts every whole block of each prefix (ignoring max_new_blocks).
  void prebuild(const std::vector<std::string>& prefixes);

  // Memory held by one block besides its text and ids: the trie node, its
  // hash index slots (at most four per block, at least 16 in all) and its
  // LRU list entry (checked against the real sizes at compile time). memory_bytes() is at most max_blocks times this plus
  // the blocks' bytes and their ids (16 bytes each: the id, and the record
  // of the piece it ends, a piece having at least one id; about one id per 4
  // bytes of ordinary text, never more than one per byte on the path), plus the
  // doorkeeper's counts of recent block keys (kDoorkeeperBytesPerBlock per
  // block of max_blocks, at least 512 bytes, at most 512 KB).
  static constexpr std::size_t kDoorkeeperBytesPerBlock = 32;
  static constexpr std::size_t kNodeOverheadBytes = 256;

  Stats stats() const;
  std::size_t block_count() const;
  std::size_t memory_bytes() const;
  const Options& options() const noexcept { return options_; }

 private:
  struct Node;
  struct Match {
    std::size_t depth = 0;         // blocks matched
    std::size_t restart_byte = 0;  // where encoding resumes
    std::size_t partial_tokens = 0;  // ids reused from a child's fixed pieces (after the matched blocks')
    std::size_t partial_reach = 0;   // the largest reach among those pieces
    std::size_t admitted = 0;      // blocks below the match to insert
    unsigned sightings = 0;        // the least sightings among them: what their nodes start with
    Node* deepest = nullptr;       // the matched node, or null for the root;
    std::uint64_t deepest_key = 0; // only compared, never dereferenced, once the lock is dropped
  };

  // Appends the matched prefix's ids to *ids and decides which blocks below
  // it to insert (at most max_new, all of them when `always_admit`).
  FLASHTOK_NO_EXPORT Match longest_match(std::string_view text, std::size_t max_new, bool always_admit,
                                         std::vector<Rank>* ids);
  FLASHTOK_NO_EXPORT const Node* best_partial_child(std::string_view text, const Node* node, Match* match) const;
  FLASHTOK_NO_EXPORT std::size_t blocks_to_admit(std::string_view text, const Node* node, std::uint64_t key,
                                                 std::size_t max_new, bool always_admit, unsigned* sightings);
  FLASHTOK_NO_EXPORT void count_sighting();
  FLASHTOK_NO_EXPORT void encode_and_insert(std::string_view text, const Match& match, std::vector<Rank>* ids);
  FLASHTOK_NO_EXPORT void unlink_from_parent(Node* node);
  FLASHTOK_NO_EXPORT Node* insert_block(Node* parent, std::uint64_t key, std::string_view block);
  FLASHTOK_NO_EXPORT void evict_while_full();

  std::shared_ptr<const Encoder> encoder_;
  Options options_;
  mutable std::mutex mutex_;
  std::unique_ptr<Node> root_;
  // Every node but the root, by hash of (parent key, block bytes).
  std::unique_ptr<internal::BlockIndex<Node>> index_;
  std::list<std::unique_ptr<Node>> lru_;  // owns every node but the root, most recently used first
  std::unique_ptr<internal::BlockDoorkeeper> doorkeeper_;
  std::vector<const Node*> path_scratch_;  // longest_match's, under the mutex
  std::size_t sightings_since_aging_ = 0;
  std::size_t bytes_ = 0;
  Stats stats_;
};

}  // namespace flashtok

#endif  // FLASHTOK_SHARED_PREFIX_TOKEN_CACHE_H_
