// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "cache/long_piece_append.h"

#include <algorithm>

#include "bpe/backtrack_tables.h"
#include "util/byte_run.h"

namespace flashtok::internal {

bool LongRun::find(std::string_view text, std::size_t from, std::size_t* begin, std::size_t* end) {
  const std::size_t n = text.size();
  if (end_ != n && n > from && static_cast<unsigned char>(text[n - 1]) < 0x80) {
    // Look back over the run that ends the text: a short one costs little,
    // a long one is remembered, so this is paid once per run.
    const char byte = text[n - 1];
    std::size_t start = n - 1;
    while (start > from && text[start - 1] == byte) --start;
    if (n - start >= kMinRun) {
      begin_ = start;
      end_ = n;
      byte_ = byte;
    }
  }
  if (begin_ == end_ || end_ > n) return false;
  *begin = std::max(begin_, from);
  *end = end_;
  return *end > *begin && *end - *begin >= kMinRun;
}

void LongRun::rewritten(std::size_t from, std::string_view text) noexcept {
  if (begin_ == end_) return;
  if (from < end_) return forget();
  if (from > end_) return;
  end_ = end_of_byte_run(text.data(), end_, text.size(), static_cast<unsigned char>(byte_));  // into the new bytes
}

const BacktrackTables& LongRun::tables(const RankTable& ranks) {
  if (tables_id_ != ranks.id()) {
    tables_ = tables_of(ranks);
    tables_id_ = ranks.id();
  }
  return *tables_;
}

bool pumped_first_piece(const Pretokenizer& pretokenizer, std::string_view text, std::size_t from,
                        std::size_t cut, std::size_t removed, std::string& window, Piece* piece) {
  window.assign(text.data() + from, cut - from);
  window.append(text.data() + cut + removed, text.size() - cut - removed);
  return first_piece_of_window(pretokenizer, window, from, cut, removed, piece);
}

bool first_piece_of_window(const Pretokenizer& pretokenizer, std::string_view window, std::size_t from,
                           std::size_t cut, std::size_t removed, Piece* piece) {
  bool found = false;
  pretokenizer.split(window, 0, [&](const Piece* pieces, std::size_t) {
    *piece = pieces[0];
    found = true;
    return false;
  });
  const std::size_t window_cut = cut - from;
  if (!found || piece->end <= window_cut) return false;
  piece->begin = from;
  piece->end += from + removed;
  piece->reach += from + (piece->reach > window_cut ? removed : 0);
  return true;
}

bool lengthened_run_piece(std::string_view text, std::size_t old_size, std::size_t run_begin, const PieceRecord& last,
                          std::size_t reach_before, Piece* piece) {
  if (old_size - run_begin < LongRun::kMinRun || last.begin > run_begin || old_size == text.size()) return false;
  const char byte = text[old_size - 1];
  const std::size_t cut = old_size - LongRun::kMargin;
  if (static_cast<unsigned char>(byte) >= 0x80 || text[run_begin] != byte || reach_before > cut ||
      end_of_byte_run(text.data(), old_size, text.size(), static_cast<unsigned char>(byte)) != text.size()) {
    return false;
  }
  const std::size_t appended = text.size() - old_size;
  piece->begin = last.begin;
  piece->end = text.size();
  piece->reach = last.max_reach > cut ? last.max_reach + appended : last.max_reach;
  return true;
}

}  // namespace flashtok::internal
