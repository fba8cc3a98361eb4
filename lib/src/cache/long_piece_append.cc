// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "cache/long_piece_append.h"

#include <algorithm>

#include "bpe/backtrack_tables.h"

namespace flashtok::internal {

bool LongRun::find(std::string_view text, std::size_t from, const RunClasses& classes, std::size_t* begin,
                   std::size_t* end, std::size_t* margin) {
  const std::size_t n = text.size();
  if (end_ != n && n > from) {
    // Look back over the run that ends the text: a short one costs little,
    // a long one is remembered, so this is paid once per run.
    const RunChar last = classes.before(text, from, n);
    const std::size_t start = last.len != 0 ? classes.start_of_run(text, from, n, last.cls) : n;
    if (n - start >= kMinRun) {
      begin_ = start;
      end_ = n;
      class_ = last.cls;
      char_len_ = last.len;
      classes_ = &classes;
    }
  }
  if (begin_ == end_ || end_ > n) return false;
  *begin = std::max(begin_, from);  // a piece starts there: a character of the run
  *end = end_;
  *margin = kMargin * char_len_;
  return *end > *begin && *end - *begin >= kMinRun;
}

void LongRun::rewritten(std::size_t from, std::string_view text) noexcept {
  if (begin_ == end_) return;
  if (from < end_) return forget();
  // Into the new bytes; also over a character the old text cut short at the
  // run's end, now complete. Anything else at end_ stops this at once.
  end_ = classes_->end_of_run(text, end_, class_);
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

bool lengthened_run_piece(std::string_view text, std::size_t old_size, std::size_t run_begin,
                          const RunClasses& classes, const PieceRecord& last, std::size_t reach_before, Piece* piece) {
  if (old_size - run_begin < LongRun::kMinRun || last.begin > run_begin || old_size == text.size()) return false;
  const RunChar last_char = classes.before(text, run_begin, old_size);
  if (last_char.len == 0 || classes.at(text, run_begin) != last_char) return false;
  const std::size_t cut = old_size - LongRun::kMargin * last_char.len;
  if (reach_before > cut || classes.end_of_run(text, old_size, last_char.cls) != text.size()) return false;
  const std::size_t appended = text.size() - old_size;
  piece->begin = last.begin;
  piece->end = text.size();
  piece->reach = last.max_reach > cut ? last.max_reach + appended : last.max_reach;
  return true;
}

}  // namespace flashtok::internal
