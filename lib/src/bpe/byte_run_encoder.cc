// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "bpe/byte_run_encoder.h"

#include <utility>

#include "bpe/small_piece_merge.h"

namespace flashtok::internal {
namespace {

// The BPE of `bytes` into *ids (replacing them).
void merge_into(const RankTable& ranks, std::string_view bytes, LargePieceBuffers& merge, std::vector<Rank>* ids) {
  ids->clear();
  auto keep = [ids](Rank rank) { ids->push_back(rank); };
  if (bytes.size() <= kSmallPiece) {
    merge_small_piece(ranks, bytes, keep);
  } else {
    merge_large_piece(ranks, bytes, merge, keep);
  }
}

// The compatibility test: whether BPE turns the bytes of `left` then `right`
// into exactly those two tokens.
bool compatible(const RankTable& ranks, Rank left, Rank right, ByteRunBuffers& buffers) {
  buffers.bytes.assign(ranks.bytes_of(left));
  buffers.bytes.append(ranks.bytes_of(right));
  std::vector<Rank> ids;
  merge_into(ranks, buffers.bytes, buffers.merge, &ids);
  return ids == std::vector<Rank>{left, right};
}

bool has_every_rank(const std::vector<Rank>& ids) {
  for (Rank id : ids) {
    if (id == kNoRank) return false;
  }
  return true;
}

// The token a long run of `byte` repeats: the first token of the BPE of a run
// of four times the longest token, if BPE turns two of it into two of it;
// else kNoRank. (That BPE turns its bytes into itself needs no test: every
// token of a BPE result is the BPE of its own bytes.)
Rank find_period(const RankTable& ranks, char byte, ByteRunBuffers& buffers) {
  const std::string sample(4 * ranks.max_token_bytes(), byte);
  merge_into(ranks, sample, buffers.merge, &buffers.tail);
  if (buffers.tail.empty() || !has_every_rank(buffers.tail)) return kNoRank;
  const Rank token = buffers.tail.front();
  return compatible(ranks, token, token, buffers) ? token : kNoRank;
}

Rank period_of(const RankTable& ranks, char byte, ByteRunBuffers& buffers) {
  auto& period = buffers.periods[static_cast<std::uint8_t>(byte)];
  if (period.table_id != ranks.id()) period = {ranks.id(), find_period(ranks, byte, buffers)};
  return period.token;
}

// The run of one byte value that covers all of `piece` but for at most
// kMaxBytesAroundRun bytes: [begin, end), or an empty range.
std::pair<std::size_t, std::size_t> find_run(std::string_view piece) {
  const std::size_t middle = piece.size() / 2;
  std::size_t begin = middle;
  std::size_t end = middle + 1;
  while (begin > 0 && piece[begin - 1] == piece[middle]) --begin;
  while (end < piece.size() && piece[end] == piece[middle]) ++end;
  if (piece.size() - (end - begin) > kMaxBytesAroundRun) return {0, 0};
  return {begin, end};
}

// Where the guess for head and tail comes from: the BPE of the bytes up to a
// few T-widths into the run, cut before its first T; the BPE of the bytes from
// a few T-widths before the run's end (on the grid of T-widths from the
// head's cut), cut after its last T that leaves a whole number of T between
// the two. By the segment property (a run of whole
// tokens of a BPE result is the BPE of its bytes), the head is then the BPE
// of the bytes before it and the tail of those after it.
constexpr std::size_t kWindowWidths = 3;

// The head: buffers.head cut before its first `period` inside the run (from
// run_begin on: the bytes before the run may hold the run's byte too); where
// the cut is, or npos when there is none.
std::size_t cut_head(const RankTable& ranks, std::string_view piece, std::size_t run_begin, std::size_t window_end,
                     Rank period, ByteRunBuffers& buffers) {
  merge_into(ranks, piece.substr(0, window_end), buffers.merge, &buffers.head);
  std::size_t offset = 0;
  for (std::size_t i = 0; i < buffers.head.size(); ++i) {
    if (buffers.head[i] == period && offset >= run_begin) {
      buffers.head.resize(i);
      return offset;
    }
    offset += ranks.bytes_of(buffers.head[i]).size();
  }
  return std::string_view::npos;
}

// The tail: buffers.tail from after its last `period` inside the run (up to
// run_end) that ends a whole number of T-widths after head_end; where the
// tail begins, or npos.
std::size_t cut_tail(const RankTable& ranks, std::string_view piece, std::size_t window_begin, std::size_t run_end,
                     std::size_t head_end, Rank period, ByteRunBuffers& buffers) {
  merge_into(ranks, piece.substr(window_begin), buffers.merge, &buffers.tail);
  const std::size_t width = ranks.bytes_of(period).size();
  std::size_t offset = window_begin;
  std::size_t cut = std::string_view::npos;
  std::size_t cut_index = 0;
  for (std::size_t i = 0; i < buffers.tail.size(); ++i) {
    offset += ranks.bytes_of(buffers.tail[i]).size();
    if (buffers.tail[i] == period && offset <= run_end && (offset - head_end) % width == 0) {
      cut = offset;
      cut_index = i + 1;
    }
  }
  buffers.tail.erase(buffers.tail.begin(), buffers.tail.begin() + static_cast<std::ptrdiff_t>(cut_index));
  return cut;
}

}  // namespace

bool encode_byte_run(const RankTable& ranks, std::string_view piece, ByteRunBuffers& buffers) {
  const auto [begin, end] = find_run(piece);
  if (begin == end) return false;
  const Rank period = period_of(ranks, piece[begin], buffers);
  if (period == kNoRank) return false;
  const std::size_t width = ranks.bytes_of(period).size();
  if (end - begin < 2 * kWindowWidths * width + width) return false;
  const std::size_t head_end = cut_head(ranks, piece, begin, begin + kWindowWidths * width, period, buffers);
  if (head_end == std::string_view::npos) return false;
  // The tail's window starts a whole number of T-widths after head_end, so
  // that its own T's fall on the same grid.
  const std::size_t window_begin = head_end + (end - kWindowWidths * width - head_end) / width * width;
  const std::size_t tail_begin = cut_tail(ranks, piece, window_begin, end, head_end, period, buffers);
  if (tail_begin == std::string_view::npos) return false;
  // Head and tail were each next to a T in a BPE result, so those junctions
  // pass the compatibility test already; T against T passed in period_of.
  if (!has_every_rank(buffers.head) || !has_every_rank(buffers.tail)) return false;
  buffers.repeated = period;
  buffers.repeats = (tail_begin - head_end) / width;
  return true;
}

}  // namespace flashtok::internal
