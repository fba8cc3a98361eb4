// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "bpe/extended_piece.h"

#include <array>
#include <cstdint>

#include "bpe/backtrack_tables.h"
#include "util/byte_run.h"

namespace flashtok::internal {
namespace {

// The BPE of one byte repeated, up to kMaxRunTail times, remembered per
// thread for the last table and byte. Behind a run the bytes after a
// candidate boundary are the run's byte again, a long token's worth (79
// spaces) and the appended ones: a few lengths, again and again, and too
// long for the piece memo. Each entry is what the merge gave for those
// bytes under that table, so it cannot change an id.
constexpr std::size_t kMaxRunTail = 512;
struct RunTails {
  std::uint64_t table_id = 0;
  char byte = 0;
  std::vector<std::vector<Rank>> by_length;  // empty: not merged yet
};

const std::vector<Rank>& run_tail(const RankTable& ranks, std::string_view bytes, MergeScratch& scratch) {
  thread_local RunTails tails;
  if (tails.table_id != ranks.id() || tails.byte != bytes[0]) {
    tails.table_id = ranks.id();
    tails.byte = bytes[0];
    tails.by_length.assign(kMaxRunTail + 1, {});
  }
  std::vector<Rank>& ids = tails.by_length[bytes.size()];
  if (ids.empty()) byte_pair_encode(ranks, bytes, scratch, &ids);
  return ids;
}

// Behind a run the same few pairs of tokens meet at every append (a long
// token of the run's byte, then the tail's first), and compatible() walks both
// merge trees down to their bytes each time, dozens of steps for two long
// tokens: its answers under the last table, kept per thread in 512 sets of
// two (a direct-mapped table let two of a stream's few dozen pairs evict
// each other on every append). An answer is what compatible() gave for that
// pair under that table, so it cannot change an id.
class PairAnswers {
 public:
  bool compatible(const BacktrackTables& tables, std::uint64_t table_id, Rank left, Rank right) {
    if (table_id != table_id_) {  // table ids start at 1: the first call clears too
      keys_.fill(kNone);
      table_id_ = table_id;
    }
    const std::uint64_t key = std::uint64_t{left} << 32 | right;
    const std::size_t set = 2 * static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> 55);  // 9 bits
    if (keys_[set] == key) return answers_[set];
    if (keys_[set + 1] == key) return answers_[set + 1];
    // The newer answer in the first way, the one it displaces in the second.
    keys_[set + 1] = keys_[set];
    answers_[set + 1] = answers_[set];
    keys_[set] = key;
    answers_[set] = tables.compatible(left, right);
    return answers_[set];
  }

 private:
  static constexpr std::uint64_t kNone = ~std::uint64_t{0};  // no pair: ranks are below 2^32 - 1
  static constexpr std::size_t kSlots = 1024;  // 512 sets of two
  std::uint64_t table_id_ = 0;
  std::array<std::uint64_t, kSlots> keys_{};
  std::array<bool, kSlots> answers_{};
};

// The BPE of the bytes after a candidate boundary: a run's end from the
// memo above, other short ones through the piece memo, the rest merged.
void merge_tail(const RankTable& ranks, std::string_view bytes, MergeScratch& scratch, std::vector<Rank>* tail) {
  if (bytes.size() <= kMaxRunTail && is_byte_run(bytes.data(), bytes.size())) {
    const std::vector<Rank>& ids = run_tail(ranks, bytes, scratch);
    tail->insert(tail->end(), ids.begin(), ids.end());
    return;
  }
  byte_pair_encode(ranks, bytes, scratch, tail);
}

}  // namespace

bool extend_piece_ids(const RankTable& ranks, const BacktrackTables& tables, MergeScratch& scratch,
                      const Rank* old_ids, std::size_t old_count, std::size_t old_size, std::string_view new_piece,
                      std::size_t* kept, std::vector<Rank>* tail, std::size_t max_merged_bytes) {
  if (!tables.usable()) return false;
  thread_local PairAnswers answers;
  const std::size_t tail_start = tail->size();
  // (count, at): the first `count` old ids end at byte `at`.
  std::size_t count = old_count;
  std::size_t at = old_size;
  auto step_back = [&](std::size_t ids) {
    for (; ids > 0 && count > 0; --ids) at -= tables.length(old_ids[--count]);
  };
  // Old ids past the new end cannot stay; the new bytes before them agree.
  while (at > new_piece.size()) step_back(1);
  // A piece that grew: its old last id ended only because the text did, and
  // the bytes after it nearly always merge into it (a run's short last
  // token); the boundary before it is the first worth a try.
  if (new_piece.size() > old_size) step_back(1);
  for (std::size_t stride = 1;; stride *= 2) {
    if (new_piece.size() - at > max_merged_bytes) return false;
    tail->resize(tail_start);
    if (at < new_piece.size()) merge_tail(ranks, new_piece.substr(at), scratch, tail);
    // The one pair that meets at `at`; nothing meets at the piece's start,
    // and nothing merged after the last kept id leaves them as they are.
    const bool joins = count == 0 || tail->size() == tail_start ||
                       answers.compatible(tables, ranks.id(), old_ids[count - 1], (*tail)[tail_start]);
    if (joins) {
      *kept = count;
      return true;
    }
    step_back(stride == 1 ? 1 : stride / 2);
  }
}

}  // namespace flashtok::internal
