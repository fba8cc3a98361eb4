// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// PieceTable (the blocked piece records of TokenizedText) against a plain
// list of records, through random edits of the kinds the edit walk makes
// (runs of old pieces kept and shifted either way, fresh pieces between
// them), appends in place and compaction.
#include "cache/piece_table.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "flashtok/workloads/prng.h"

namespace flashtok::testing {
namespace {

using internal::PieceRecord;
using internal::PieceSegment;
using internal::PieceTable;

// A piece as the model keeps it: its own reach beside the recorded maximum.
struct ModelPiece {
  std::size_t begin;
  std::size_t first_token;
  std::size_t reach;  // its own, not a maximum
};

class PieceTableModel {
 public:
  explicit PieceTableModel(std::uint64_t seed) : rng_(seed) {}

  // `count` new pieces after byte `at` and id `token`, as the walk records
  // them: max_reach a running maximum from `reach_before`.
  std::vector<ModelPiece> fresh(std::size_t count, std::size_t* at, std::size_t* token) {
    std::vector<ModelPiece> out;
    for (std::size_t i = 0; i < count; ++i) {
      const std::size_t length = 1 + rng_.uniform(6);
      out.push_back({*at, *token, *at + length + rng_.uniform(3) * rng_.uniform(20)});
      *at += length;
      *token += 1 + rng_.uniform(3);
    }
    return out;
  }

  // Replaces the model and the table with a random edit: cut points in the
  // old pieces, old runs kept between them (shifted to follow what comes
  // before), fresh pieces in the gaps.
  void random_edit(PieceTable* table) {
    const std::size_t n = pieces_.size();
    std::vector<std::size_t> cuts = {0};
    const std::size_t edits = 1 + rng_.uniform(4);
    for (std::size_t i = 0; i < 2 * edits; ++i) cuts.push_back(rng_.uniform(n + 1));
    std::sort(cuts.begin() + 1, cuts.end());
    cuts.push_back(n);
    std::vector<ModelPiece> next;
    std::vector<PieceRecord> fresh_records;
    std::vector<PieceSegment> segments;
    std::size_t at = rng_.uniform(4) == 0 ? 0 : (n > 0 ? pieces_[0].begin : 0);
    std::size_t token = n > 0 && rng_.uniform(2) == 0 ? pieces_[0].first_token : 0;
    // cuts[0, 1) kept, [1, 2) replaced, [2, 3) kept, ...
    for (std::size_t c = 0; c + 1 < cuts.size(); ++c) {
      const std::size_t from = cuts[c];
      const std::size_t to = cuts[c + 1];
      if (c % 2 == 0) {
        if (from == to) continue;
        const std::size_t byte_shift = at - pieces_[from].begin;  // modulo 2^64
        const std::size_t token_shift = token - pieces_[from].first_token;
        segments.push_back({true, from, to, byte_shift, token_shift});
        for (std::size_t i = from; i < to; ++i) {
          next.push_back({pieces_[i].begin + byte_shift, pieces_[i].first_token + token_shift,
                          pieces_[i].reach + byte_shift});
        }
        at = (to < n ? pieces_[to].begin : end_) + byte_shift;
        token = (to < n ? pieces_[to].first_token : tokens_) + token_shift;
        continue;
      }
      // Fresh records, given before a token shift the segment adds.
      const std::size_t shift = rng_.uniform(3) == 0 ? rng_.uniform(1000) : 0;
      const std::size_t first_fresh = fresh_records.size();
      for (const ModelPiece& p : fresh(rng_.uniform(3) == 0 ? rng_.uniform(600) : rng_.uniform(6), &at, &token)) {
        next.push_back(p);
        fresh_records.push_back({p.begin, p.first_token - shift, 0});
      }
      segments.push_back({false, first_fresh, fresh_records.size(), 0, shift});
    }
    end_ = at;
    tokens_ = token;
    // The walk's max_reach: the running maximum of the new list up to each.
    std::size_t reach = 0;
    std::size_t r = 0;
    for (const PieceSegment& s : segments) {
      for (std::size_t i = s.from; i < s.to; ++i, ++r) {
        reach = std::max(reach, next[r].reach);
        if (!s.kept) fresh_records[i].max_reach = reach;
      }
    }
    PieceTable::Staged staged = table->stage(segments, fresh_records);
    table->commit(std::move(staged));
    pieces_ = std::move(next);
  }

  // An append as the append path makes it: pieces from `first` on replaced.
  void random_append(PieceTable* table) {
    const std::size_t n = pieces_.size();
    const std::size_t first = n - std::min(n, rng_.uniform(4));
    std::size_t at = first < n ? pieces_[first].begin : end_;
    std::size_t token = first < n ? pieces_[first].first_token : tokens_;
    pieces_.resize(first);
    std::size_t reach = 0;
    for (const ModelPiece& p : pieces_) reach = std::max(reach, p.reach);
    std::vector<PieceRecord> records;
    for (const ModelPiece& p : fresh(rng_.uniform(5), &at, &token)) {
      reach = std::max(reach, p.reach);
      records.push_back({p.begin, p.first_token, reach});
      pieces_.push_back(p);
    }
    end_ = at;
    tokens_ = token;
    if (table->reserve_tail(first, records.size())) {
      table->replace_tail(first, records.data(), records.size(), 0);
    } else {
      table->commit(table->stage({{true, 0, first}, {false, 0, records.size()}}, records));
    }
  }

  // The last piece read further (an append that only lengthened it), as the
  // long-run append path records it: set_last_reach with the new running
  // maximum, which the last record then holds exactly.
  void random_reach_growth(PieceTable* table) {
    if (pieces_.empty()) return;
    pieces_.back().reach += rng_.uniform(50);
    std::size_t reach = 0;
    for (const ModelPiece& p : pieces_) reach = std::max(reach, p.reach);
    const std::size_t n = table->size();
    const std::size_t floor = n > 1 ? (*table)[n - 2].max_reach : 0;
    table->set_last_reach(std::max(reach, floor));
    ASSERT_EQ((*table)[n - 1].max_reach, std::max(reach, floor));
  }

  // The table holds the model's pieces; every max_reach is at least the
  // true running maximum of the reaches (an over-statement only makes
  // restarts earlier) and never decreases; the searches agree with a scan.
  void expect_equal(const PieceTable& table) const {
    ASSERT_EQ(table.size(), pieces_.size());
    std::size_t reach = 0;
    std::size_t last = 0;
    for (std::size_t i = 0; i < pieces_.size(); ++i) {
      const PieceRecord r = table[i];
      reach = std::max(reach, pieces_[i].reach);
      ASSERT_EQ(r.begin, pieces_[i].begin) << "piece " << i;
      ASSERT_EQ(r.first_token, pieces_[i].first_token) << "piece " << i;
      ASSERT_GE(r.max_reach, reach) << "piece " << i << ": max_reach under-states the reach";
      ASSERT_GE(r.max_reach, last) << "piece " << i << ": max_reach decreases";
      last = r.max_reach;
      ASSERT_EQ(table.find_begin(r.begin), i);
    }
    ASSERT_EQ(table.find_begin(end_ + 1), table.size());
    ASSERT_EQ(table.memory_bytes(), table.recount_memory_bytes()) << "the running sum of capacities drifted";
    for (int probe = 0; probe < 20 && !pieces_.empty(); ++probe) {
      const std::size_t pos = pieces_[rng_.uniform(pieces_.size())].begin + rng_.uniform(40);
      std::size_t expected = 0;
      while (expected < table.size() && table[expected].max_reach <= pos) ++expected;
      ASSERT_EQ(table.first_reaching(pos), expected) << "pos " << pos;
    }
  }

  std::size_t size() const { return pieces_.size(); }

 private:
  mutable workloads::SplitMix64 rng_;
  std::vector<ModelPiece> pieces_;
  std::size_t end_ = 0;     // where the text ends
  std::size_t tokens_ = 0;  // the id count
};

TEST(PieceTableTest, RandomEditsAppendsAndCompactionsMatchAPlainList) {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    PieceTableModel model(seed);
    PieceTable table;
    workloads::SplitMix64 rng(seed * 7);
    for (int round = 0; round < 1500; ++round) {
      const std::size_t op = rng.uniform(10);
      if (op < 5) {
        model.random_edit(&table);
      } else if (op < 9) {
        model.random_append(&table);
      } else {
        ASSERT_NO_FATAL_FAILURE(model.random_reach_growth(&table));
      }
      if (rng.uniform(8) == 0 || table.fragmented()) table.compact();
      ASSERT_NO_FATAL_FAILURE(model.expect_equal(table)) << "seed " << seed << " round " << round;
      if (model.size() > 5000) {  // start again: keep the rounds short
        model = PieceTableModel(seed + static_cast<std::uint64_t>(round));
        table = PieceTable();
      }
    }
  }
}

// After compaction no two neighbouring blocks would fit in one, so the
// block count, and the O(blocks) work of an edit, stays near size / kBlock.
TEST(PieceTableTest, CompactionBoundsTheBlockCount) {
  PieceTableModel model(9);
  PieceTable table;
  for (int round = 0; round < 400; ++round) {
    model.random_edit(&table);
    table.compact();
    EXPECT_FALSE(table.fragmented()) << "round " << round;
  }
  model.expect_equal(table);
}

// A history that streams one piece at a time and re-encodes its last piece
// each time: when a block has just opened, the piece replaced is the new
// block's first. That must stay in place (the block before kept whole), not
// stage the whole list, which moves every block: O(history) per append.
TEST(PieceTableTest, ReplacingABlocksFirstPieceStaysInPlace) {
  PieceTable table;
  const std::vector<PieceRecord> two = {{0, 0, 1}, {1, 1, 2}};  // replacing every piece stages: start with two
  table.commit(table.stage({{false, 0, 2}}, two));
  for (std::size_t i = 2; i < 3 * PieceTable::kBlock; ++i) {
    // Replace the last piece by itself and a new one after it.
    const std::size_t last = table.size() - 1;
    const std::vector<PieceRecord> fresh = {{last, last, last + 2}, {last + 1, last + 1, last + 3}};
    ASSERT_TRUE(table.reserve_tail(last, fresh.size())) << "piece " << i;
    table.replace_tail(last, fresh.data(), fresh.size(), 0);
    ASSERT_EQ(table.size(), i + 1);
    ASSERT_EQ(table[i].begin, i);
    ASSERT_EQ(table[i - 1].max_reach, i + 1);
    ASSERT_EQ(table.memory_bytes(), table.recount_memory_bytes());
  }
}

// After a rewrite (a history's reset, a session's first prompt) the list's
// last block has room for as many records again, so the appends that follow
// fill it in place: a reset then a turn must not move the block to a new
// allocation (it did, a third of that append's instructions).
TEST(PieceTableTest, TheLastBlockOfARewriteHasRoomForAsManyAgain) {
  // (At least two records in the last block: replacing a block's only piece
  // goes through the block before it.)
  for (std::size_t n : {std::size_t{3}, std::size_t{100}, std::size_t{300}, 2 * PieceTable::kBlock + 40}) {
    std::vector<PieceRecord> records;
    for (std::size_t i = 0; i < n; ++i) records.push_back({i, i, i + 1});
    PieceTable table;
    table.commit(table.stage({{false, 0, n}}, records));
    const std::size_t in_last = n % PieceTable::kBlock == 0 ? PieceTable::kBlock : n % PieceTable::kBlock;
    const std::size_t room = std::min(in_last, PieceTable::kBlock - in_last);
    const std::size_t before = table.memory_bytes();
    ASSERT_EQ(before, table.recount_memory_bytes());
    for (std::size_t k = 0; k < room; ++k) {
      const std::size_t last = table.size() - 1;
      const std::vector<PieceRecord> fresh = {{last, last, last + 1}, {last + 1, last + 1, last + 2}};
      ASSERT_TRUE(table.reserve_tail(last, fresh.size()));
      table.replace_tail(last, fresh.data(), fresh.size(), 0);
      ASSERT_EQ(table.memory_bytes(), before) << n << " records, append " << k;
    }
    ASSERT_EQ(table.size(), n + room);
    ASSERT_EQ(table.memory_bytes(), table.recount_memory_bytes());
  }
}

}  // namespace
}  // namespace flashtok::testing
