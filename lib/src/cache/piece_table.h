// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_CACHE_PIECE_TABLE_H_
#define FLASHTOK_SRC_CACHE_PIECE_TABLE_H_

#include <cstddef>
#include <vector>

#include "encoder/piece_record.h"

namespace flashtok::internal {

// A piece of the new list a PieceTable::stage() builds: either the table's
// own pieces [from, to), or records [from, to) of a `fresh` array; either way
// each moved byte_shift bytes and token_shift ids further on (modulo 2^64).
struct PieceSegment {
  bool kept;  // the table's own pieces, else fresh records
  std::size_t from;
  std::size_t to;
  std::size_t byte_shift = 0;
  std::size_t token_shift = 0;
};

// The piece records of a TokenizedText (docs/ALGORITHM.md, "Edits
// anywhere"), in blocks of at most kBlock records, each block's records
// stored relative to the block's own byte and id offsets. An edit re-bases
// the blocks of the pieces it keeps (shifted, because the text before them
// changed length) instead of rewriting and moving every record after it:
// it costs the records it adds, the partly kept blocks at its edges, and
// O(blocks) offsets, not O(pieces).
//
// max_reach is kept as a prefix maximum: each block holds the maximum of
// the blocks before it (`carry`) and its records the running maximum inside
// the block, so a record's max_reach is the larger of the two. It never
// decreases along the table, so it is searched by bisection.
//
// Not thread-safe.
class PieceTable {
 public:
  static constexpr std::size_t kBlock = 256;

  // A change built by stage(): everything it allocates, allocated.
  class Staged;

  PieceTable() = default;
  // A copy's vectors need not keep the capacities the running sum counts.
  PieceTable(const PieceTable&) = delete;
  PieceTable& operator=(const PieceTable&) = delete;
  PieceTable(PieceTable&&) noexcept = default;
  PieceTable& operator=(PieceTable&&) noexcept = default;

  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  // Piece i, in absolute offsets. O(log blocks); O(1) in the last block,
  // where an append reads (inline: a call was a tenth of an append's
  // instructions into a long run).
  PieceRecord operator[](std::size_t i) const noexcept {
    const Block& last = blocks_.back();
    const Block& b = i >= last.first_index ? last : blocks_[block_before_last(i)];
    return b.at(i - b.first_index);
  }
  // The index of the first piece whose max_reach is above `pos` (size() if
  // none). Looks at the last few pieces first: an append asks about the end.
  std::size_t first_reaching(std::size_t pos) const noexcept;
  // The index of the piece that begins at byte `begin`, or size() if none.
  std::size_t find_begin(std::size_t begin) const noexcept;

  // Prepares the list that `segments`, in order, make: kept segments must
  // be increasing and disjoint ranges of this table; fresh segments index
  // `fresh`, whose records have absolute offsets before their shifts and a
  // max_reach that is a running maximum. May throw (out of memory); changes
  // nothing.
  Staged stage(const std::vector<PieceSegment>& segments, const std::vector<PieceRecord>& fresh) const;
  // Makes the staged list this table's. Never throws.
  void commit(Staged&& staged) noexcept;
  // The append path, in place: replaces pieces [first, size()) with
  // fresh[0, count), each record's first_token moved token_shift further
  // on. Needs a true reserve_tail(first, count) first.
  void replace_tail(std::size_t first, const PieceRecord* fresh, std::size_t count,
                    std::size_t token_shift) noexcept;
  // The append path when only the last piece changed, and only its reach
  // (it grew at the text's end): its max_reach becomes `max_reach`, a
  // running maximum like every record's (at least the piece before's). The
  // same as replace_tail(size() - 1, ...) with the piece's own record and
  // that reach, in O(1) and without reserve_tail. The table is not empty.
  void set_last_reach(std::size_t max_reach) noexcept;
  // Whether replace_tail(first, ..., count, ...) fits in the block that
  // holds piece `first` and at most one new block after it (else stage()
  // the change); if so, reserves their capacity. May throw (out of memory);
  // changes no piece.
  bool reserve_tail(std::size_t first, std::size_t count);
  // Whether the blocks are less than half full on average, so that
  // compact() is worth its cost.
  bool fragmented() const noexcept;
  // Merges neighbouring blocks that fit in one, so that no two neighbours
  // would fit in one block (at most 2 * size() / kBlock + 1 blocks). The
  // pieces do not change; out of memory, it merges less.
  void compact() noexcept;

  // Heap bytes held. O(1): a session cache asks after every append.
  std::size_t memory_bytes() const noexcept;
  // The same, counted block by block (what the tests check memory_bytes()
  // against).
  std::size_t recount_memory_bytes() const noexcept;

 private:
  // A record relative to its block: begin and first_token are offsets from
  // the block's, max_reach from the block's byte offset, and it is the
  // running maximum inside the block only.
  struct Local {
    std::size_t begin;
    std::size_t first_token;
    std::size_t max_reach;
  };
  struct Block {
    std::size_t byte_base = 0;   // its first record's begin
    std::size_t token_base = 0;  // its first record's first_token
    std::size_t carry = 0;       // the max_reach of every piece before the block
    std::size_t first_index = 0;  // the index of its first piece in the table
    // Its last record's max_reach, kept beside the offsets so that re-indexing
    // after an edit reads the blocks only: their records are far apart in
    // memory and mostly cold.
    std::size_t tail_reach = 0;
    std::vector<Local> records;

    PieceRecord at(std::size_t i) const noexcept {
      const Local& r = records[i];
      return PieceRecord{byte_base + r.begin, token_base + r.first_token,
                         carry > byte_base + r.max_reach ? carry : byte_base + r.max_reach};
    }
  };

  // The block that holds piece i (i < size()).
  std::size_t block_of(std::size_t i) const noexcept {
    return i >= blocks_.back().first_index ? blocks_.size() - 1 : block_before_last(i);
  }
  // The same for a piece before the last block: a bisection.
  std::size_t block_before_last(std::size_t i) const noexcept;
  // The block replace_tail(first, ...) keeps a part of and appends to: the
  // one that holds piece `first` (the last one if first == size()), or the
  // one before it if `first` is its first piece. The table is not empty.
  std::size_t tail_block(std::size_t first) const noexcept;
  // Appends absolute records to `block`, relative to its offsets.
  static void append_records(Block* block, const PieceRecord* records, std::size_t count,
                             std::size_t byte_shift, std::size_t token_shift) noexcept;
  // first_index and carry of every block from `from` on, and size_; from 0,
  // record_capacity_ too.
  void reindex(std::size_t from) noexcept;

  std::vector<Block> blocks_;
  std::size_t size_ = 0;
  std::size_t record_capacity_ = 0;  // the records' capacities of blocks_, summed
  Block spare_;  // the next last block of an append, reserved by reserve_tail()

 public:
  class Staged {
   private:
    friend class PieceTable;
    // A run of blocks of the new list: new ones (fresh[from, to)), or old
    // ones (blocks_[from, to)) moved and shifted, the last of them keeping
    // only its first last_keeps records.
    struct Item {
      enum Kind { kFresh, kOld } kind;
      std::size_t from;
      std::size_t to;
      std::size_t last_keeps = 0;
      std::size_t byte_shift = 0;
      std::size_t token_shift = 0;
    };
    // Appends a new block, extending the last item if it is new blocks too.
    void add_fresh(Block&& block);

    std::vector<Item> items;
    std::vector<Block> fresh;
    std::vector<Block> next;  // reserved for the new list
  };
};

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_CACHE_PIECE_TABLE_H_
