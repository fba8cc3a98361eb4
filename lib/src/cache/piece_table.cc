// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "cache/piece_table.h"

#include <algorithm>
#include <new>

namespace flashtok::internal {

// Offsets are added modulo 2^64 (a shift toward the front is a huge number),
// but every difference taken below is between true offsets in order (a
// block's base is never above its records), so it is the true, non-negative
// distance and the maxima compare true numbers.

namespace {

// One past the largest max_reach in a non-empty block (the last record's,
// since it is a running maximum).
template <typename Block>
std::size_t last_reach(const Block& b) noexcept {
  return std::max(b.carry, b.byte_base + b.tail_reach);
}

}  // namespace

std::size_t PieceTable::block_before_last(std::size_t i) const noexcept {
  const auto it = std::partition_point(blocks_.begin(), blocks_.end(),
                                       [i](const Block& b) { return b.first_index <= i; });
  return static_cast<std::size_t>(it - blocks_.begin()) - 1;
}

std::size_t PieceTable::first_reaching(std::size_t pos) const noexcept {
  if (blocks_.empty()) return 0;
  // An append asks about the end, where the answer is one or two pieces
  // back: look there first, so that it reads only the last few records.
  constexpr std::size_t kLookBack = 8;
  const Block& last = blocks_.back();
  std::size_t n = last.records.size();
  for (std::size_t step = 0; step < kLookBack && n > 0; ++step, --n) {
    if (last.at(n - 1).max_reach <= pos) return last.first_index + n;
  }
  // Every piece before a block reaches at most its carry, and the carries
  // never decrease: the answer lies in the last block whose carry is at most
  // `pos` (block 0's is 0), or it is the next block's first piece. The
  // bisection reads only the blocks, not their records: on a long text they
  // are far apart in memory, and an edit asks this cold.
  const auto after = std::partition_point(blocks_.begin() + 1, blocks_.end(),
                                          [pos](const Block& b) { return b.carry <= pos; });
  const Block& block = *(after - 1);
  if (block.byte_base > pos) return block.first_index;
  const std::size_t limit = pos - block.byte_base;  // records with max_reach <= pos come first
  const auto it = std::partition_point(block.records.begin(), block.records.end(),
                                       [limit](const Local& r) { return r.max_reach <= limit; });
  return block.first_index + static_cast<std::size_t>(it - block.records.begin());
}

std::size_t PieceTable::find_begin(std::size_t begin) const noexcept {
  // The last block whose first piece begins at or before `begin` (a block's
  // byte_base is its first piece's begin).
  const auto after =
      std::partition_point(blocks_.begin(), blocks_.end(), [begin](const Block& b) { return b.byte_base <= begin; });
  if (after == blocks_.begin()) return size_;
  const Block& b = *(after - 1);
  const std::size_t offset = begin - b.byte_base;
  const auto it = std::partition_point(b.records.begin(), b.records.end(),
                                       [offset](const Local& r) { return r.begin < offset; });
  if (it == b.records.end() || it->begin != offset) return size_;
  return b.first_index + static_cast<std::size_t>(it - b.records.begin());
}

void PieceTable::append_records(Block* block, const PieceRecord* records, std::size_t count,
                                std::size_t byte_shift, std::size_t token_shift) noexcept {
  std::size_t reach = block->records.empty() ? 0 : block->tail_reach;
  const std::size_t bytes = byte_shift - block->byte_base;  // one subtraction per record, not two
  const std::size_t tokens = token_shift - block->token_base;
  for (std::size_t i = 0; i < count; ++i) {
    const PieceRecord& r = records[i];
    reach = std::max(reach, r.max_reach + bytes);
    block->records.push_back(Local{r.begin + bytes, r.first_token + tokens, reach});
  }
  block->tail_reach = reach;
}

void PieceTable::Staged::add_fresh(Block&& block) {
  if (items.empty() || items.back().kind != Item::kFresh) items.push_back({Item::kFresh, fresh.size(), fresh.size()});
  fresh.push_back(std::move(block));
  items.back().to = fresh.size();
}

PieceTable::Staged PieceTable::stage(const std::vector<PieceSegment>& segments,
                                     const std::vector<PieceRecord>& fresh) const {
  Staged staged;
  // At most: per kept run, a copied part and a range of old blocks; per
  // fresh run, its blocks.
  staged.items.reserve(2 * segments.size());
  staged.fresh.reserve(2 * segments.size() + fresh.size() / kBlock);
  std::size_t blocks = 0;  // in the new list
  for (const PieceSegment& s : segments) {
    if (s.from == s.to) continue;
    if (!s.kept) {
      for (std::size_t i = s.from; i < s.to; i += kBlock) {
        const std::size_t n = std::min(kBlock, s.to - i);
        Block b;
        b.byte_base = fresh[i].begin + s.byte_shift;
        b.token_base = fresh[i].first_token + s.token_shift;
        // The list's last block with room for as many records again (as
        // reserve_tail() doubles), so that the appends after a rewrite (a
        // history reset, then a turn) fill it in place. Reserved exactly, the
        // first of them moved it to a new allocation: after a long reset a
        // third of that append's instructions and half its cache misses.
        const bool ends_list = &s == &segments.back() && i + n == s.to;
        b.records.reserve(ends_list ? std::min(kBlock, 2 * n) : n);
        append_records(&b, &fresh[i], n, s.byte_shift, s.token_shift);
        staged.add_fresh(std::move(b));
        ++blocks;
      }
      continue;
    }
    // The part of the first block from the run's first record is copied,
    // unless the run starts with the block; the blocks after it move (one
    // item for all of them), the last of them cut after the run's last
    // record at commit() (a shrink: no copy).
    std::size_t k = block_of(s.from);
    const Block& old = blocks_[k];
    const std::size_t lo = s.from - old.first_index;
    if (lo > 0) {
      const std::size_t hi = std::min(s.to, old.first_index + old.records.size()) - old.first_index;
      // Re-based on its first record, so that every base is a true offset.
      // Its records' running maxima may count pieces before `lo`: an
      // over-statement, which only makes restarts earlier (ALGORITHM.md).
      const Local& head = old.records[lo];
      Block part;
      part.byte_base = old.byte_base + head.begin + s.byte_shift;
      part.token_base = old.token_base + head.first_token + s.token_shift;
      part.records.reserve(hi - lo);
      for (std::size_t i = lo; i < hi; ++i) {
        const Local& r = old.records[i];
        part.records.push_back(Local{r.begin - head.begin, r.first_token - head.first_token, r.max_reach - head.begin});
      }
      part.tail_reach = part.records.back().max_reach;
      staged.add_fresh(std::move(part));
      ++blocks;
      ++k;
    }
    const std::size_t last = block_of(s.to - 1);
    if (k > last) continue;  // the run was inside the copied part
    staged.items.push_back({Staged::Item::kOld, k, last + 1, s.to - blocks_[last].first_index, s.byte_shift,
                            s.token_shift});
    blocks += last + 1 - k;
  }
  staged.next.reserve(blocks);
  return staged;
}

void PieceTable::commit(Staged&& staged) noexcept {
  std::vector<Block>& next = staged.next;
  next.clear();
  for (const Staged::Item& item : staged.items) {
    for (std::size_t k = item.from; k < item.to; ++k) {  // within the reserved capacity
      if (item.kind == Staged::Item::kFresh) {
        next.push_back(std::move(staged.fresh[k]));
        continue;
      }
      Block& b = blocks_[k];
      b.byte_base += item.byte_shift;
      b.token_base += item.token_shift;
      if (k + 1 == item.to && item.last_keeps < b.records.size()) {
        b.records.resize(item.last_keeps);  // shrinks: never allocates
        b.tail_reach = b.records.back().max_reach;
      }
      next.push_back(std::move(b));
    }
  }
  blocks_.swap(next);  // the old list goes with `staged`
  reindex(0);
}

std::size_t PieceTable::tail_block(std::size_t first) const noexcept {
  if (first >= size_) return blocks_.size() - 1;
  const std::size_t k = block_of(first);
  // A change from a block's first piece keeps the block before it whole and
  // drops this one, rather than leave an empty block (or stage the whole
  // list: a history that opened a new block would do that on every append
  // until the block held two pieces).
  return k > 0 && blocks_[k].first_index == first ? k - 1 : k;
}

bool PieceTable::reserve_tail(std::size_t first, std::size_t count) {
  if (blocks_.empty()) return false;
  const std::size_t k = tail_block(first);
  Block& b = blocks_[k];
  const std::size_t kept = std::min(first, size_) - b.first_index;
  const std::size_t in_block = std::min(count, kBlock - kept);
  // Whatever does not fit opens one new block (more than that: stage()).
  if (kept == 0 || count - in_block > kBlock) return false;
  const std::size_t need = kept + in_block;
  // Doubling, so that appends a few records at a time stay amortized O(1).
  if (need > b.records.capacity()) {
    const std::size_t before = b.records.capacity();
    b.records.reserve(std::min(kBlock, std::max(need, 2 * b.records.capacity())));
    record_capacity_ += b.records.capacity() - before;
  }
  if (count > in_block) {
    // Doubling too: an exact reserve would move every block each time one opens.
    if (blocks_.capacity() < k + 2) blocks_.reserve(std::max(k + 2, 2 * blocks_.capacity()));
    spare_.records.reserve(kBlock);
  }
  return true;
}

void PieceTable::replace_tail(std::size_t first, const PieceRecord* fresh, std::size_t count,
                              std::size_t token_shift) noexcept {
  const std::size_t k = tail_block(first);
  Block& b = blocks_[k];
  const std::size_t kept = std::min(first, size_) - b.first_index;
  const std::size_t in_block = std::min(count, kBlock - kept);
  b.records.resize(kept);  // shrinks: no allocation
  b.tail_reach = b.records.back().max_reach;  // kept > 0 (reserve_tail)
  append_records(&b, fresh, in_block, 0, token_shift);
  for (std::size_t j = k + 1; j < blocks_.size(); ++j) record_capacity_ -= blocks_[j].records.capacity();
  blocks_.resize(k + 1);
  if (count > in_block) {  // into the block reserve_tail() made room for
    spare_.records.clear();
    spare_.byte_base = fresh[in_block].begin;
    spare_.token_base = fresh[in_block].first_token + token_shift;
    append_records(&spare_, fresh + in_block, count - in_block, 0, token_shift);
    record_capacity_ += spare_.records.capacity();
    blocks_.push_back(std::move(spare_));
    spare_ = Block();
  }
  reindex(k);
}

void PieceTable::set_last_reach(std::size_t max_reach) noexcept {
  Block& b = blocks_.back();
  b.records.back().max_reach = max_reach - b.byte_base;  // relative, as append_records stores it
  b.tail_reach = b.records.back().max_reach;
}

void PieceTable::compact() noexcept {
  if (blocks_.size() < 2) return;
  std::size_t into = 0;
  bool merging = true;
  for (std::size_t from = 1; from < blocks_.size(); ++from) {
    Block& a = blocks_[into];
    Block& b = blocks_[from];
    if (merging && a.records.size() + b.records.size() <= kBlock) {
      try {
        a.records.reserve(a.records.size() + b.records.size());
      } catch (const std::bad_alloc&) {
        merging = false;  // the blocks stay as they are: the pieces do not change
      }
      if (merging) {
        // b's records relative to a's offsets; its running maximum on top of
        // a's (b's carry is a's last reach, so nothing is lost).
        const std::size_t byte_delta = b.byte_base - a.byte_base;
        const std::size_t token_delta = b.token_base - a.token_base;
        std::size_t reach = a.records.back().max_reach;
        for (const Local& r : b.records) {
          reach = std::max(reach, r.max_reach + byte_delta);
          a.records.push_back(Local{r.begin + byte_delta, r.first_token + token_delta, reach});
        }
        a.tail_reach = reach;
        continue;
      }
    }
    if (++into != from) blocks_[into] = std::move(b);
  }
  blocks_.resize(into + 1);
  reindex(0);
}

bool PieceTable::fragmented() const noexcept { return blocks_.size() > 2 * (size_ / kBlock) + 8; }

void PieceTable::reindex(std::size_t from) noexcept {
  std::size_t index = 0;
  std::size_t carry = 0;
  if (from > 0) {
    const Block& before = blocks_[from - 1];
    index = before.first_index + before.records.size();
    carry = last_reach(before);
  } else {
    record_capacity_ = 0;
  }
  for (std::size_t k = from; k < blocks_.size(); ++k) {
    Block& b = blocks_[k];
    b.first_index = index;
    b.carry = carry;
    index += b.records.size();
    carry = last_reach(b);
    if (from == 0) record_capacity_ += b.records.capacity();  // the vector's own fields: no record is read
  }
  size_ = index;
}

std::size_t PieceTable::memory_bytes() const noexcept {
  return blocks_.capacity() * sizeof(Block) + (spare_.records.capacity() + record_capacity_) * sizeof(Local);
}

std::size_t PieceTable::recount_memory_bytes() const noexcept {
  std::size_t bytes = blocks_.capacity() * sizeof(Block) + spare_.records.capacity() * sizeof(Local);
  for (const Block& b : blocks_) bytes += b.records.capacity() * sizeof(Local);
  return bytes;
}

}  // namespace flashtok::internal
