// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_CACHE_LONG_PIECE_APPEND_H_
#define FLASHTOK_SRC_CACHE_LONG_PIECE_APPEND_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "encoder/piece_record.h"
#include "pretokenizer/pretokenizer.h"
#include "vocab/rank_table.h"

namespace flashtok::internal {

class BacktrackTables;

// What TokenizedText remembers so that an append to a text that ends inside
// a long run (a megabyte of spaces, a letter held down, a line of '-', a long
// word, a long number under r50k) costs the appended bytes, not the run
// (docs/ALGORITHM.md, "Appending inside a long piece"): where the run is, so
// that finding it is not a scan of the run per append, and the backtracking
// tables of the encoder's ranks.
//
// A run is a stretch of characters of one run class of the pre-tokenizer
// (pretokenizer/run_classes.h: one byte repeated, or characters its loops
// cannot tell apart, such as the letters of a word, Han text or a line of
// box-drawing characters). The claim is about the text: text[begin, end) is
// such a stretch. The owner must call rewritten() after
// every change of its text (or forget()).
// Not thread-safe (a member of one TokenizedText).
class LongRun {
 public:
  // Runs this long or longer are remembered and cut; shorter ones cost
  // little to scan.
  static constexpr std::size_t kMinRun = 256;
  // Characters of the run kept on each side of the cut (see
  // pumped_first_piece): kMargin bytes of ASCII, up to 4 * kMargin of others.
  static constexpr std::size_t kMargin = 8;

  // A run [*begin, *end) of at least kMinRun bytes of one class of `classes`
  // inside text[from, text.size()): the run that ends the text (found by
  // looking back once, then remembered and extended by rewritten()), else
  // the remembered one if it lies there. *margin: the bytes of kMargin of
  // its characters. False if there is none. `classes` must outlive the run
  // (the pre-tokenizer's own).
  bool find(std::string_view text, std::size_t from, const RunClasses& classes, std::size_t* begin,
            std::size_t* end, std::size_t* margin);

  // The text changed from byte `from` on and is now `text`.
  void rewritten(std::size_t from, std::string_view text) noexcept;
  // The remembered run, which ended the text, now runs on to its new end
  // `end` (lengthened_run_piece found so): rewritten() without the scan.
  void lengthened_to(std::size_t end) noexcept { end_ = end; }
  void forget() noexcept { begin_ = end_ = 0; }
  // Whether a run is remembered and ends at byte n: find() on a text of n
  // bytes then does not look back over the run.
  bool ends_at(std::size_t n) const noexcept { return begin_ != end_ && end_ == n; }

  // The backtracking tables of `ranks` (kept here: tables_of takes a lock).
  const BacktrackTables& tables(const RankTable& ranks);

 private:
  std::size_t begin_ = 0;
  std::size_t end_ = 0;  // begin_ == end_: nothing remembered
  std::uint32_t class_ = 0;
  std::size_t char_len_ = 1;
  const RunClasses* classes_ = nullptr;
  std::uint64_t tables_id_ = 0;
  std::shared_ptr<const BacktrackTables> tables_;
};

// The first piece a scan of `text` from `from` finds, computed from a short
// window: text[from, cut) followed by text[cut + removed, ...), where
// [cut - m, cut + removed + m) lies in a run of one class of
// pretokenizer.run_classes() and m is kMargin of its characters (the caller
// checks). `window` is a buffer. Its
// begin is `from`; end and reach are mapped back to `text`. False when the piece ends at or before
// the cut (the caller then scans the text itself).
//
// Exact for the three hand-written scanners (docs/ALGORITHM.md): every loop
// of theirs either takes all of a run of one class or stops at its first
// character, and every other read lies within four characters of where a
// match starts or a loop stopped, so removing whole characters from the
// middle of a long run shifts what comes after by that many bytes and
// changes nothing else.
bool pumped_first_piece(const Pretokenizer& pretokenizer, std::string_view text, std::size_t from,
                        std::size_t cut, std::size_t removed, std::string& window, Piece* piece);
// The same from a window the caller built (window == text[from, cut) followed
// by text[cut + removed, ...)), for a text that is not in one buffer.
bool first_piece_of_window(const Pretokenizer& pretokenizer, std::string_view window, std::size_t from,
                           std::size_t cut, std::size_t removed, Piece* piece);

// The last piece of `text` (the old text of old_size bytes, then appended
// bytes) without a scan, when the append only lengthened the run
// [run_begin, old_size) of one class of `classes` that ended the old text,
// kMinRun bytes or more: what streaming spaces into a run of spaces, or
// letters into a long word, does. `last` is the old last piece, reach_before
// the max_reach of the pieces before it. Both texts are the same up to
// kMargin characters before the old end and runs of the class from there on, so
// pumped_first_piece's claim, cut there, gives the new piece: the old one's
// end and, if past the cut, its reach moved on by the bytes appended. The old
// piece's own reach is known only when reach_before is at or before the cut.
// False when any of this does not hold.
bool lengthened_run_piece(std::string_view text, std::size_t old_size, std::size_t run_begin,
                          const RunClasses& classes, const PieceRecord& last, std::size_t reach_before, Piece* piece);

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_CACHE_LONG_PIECE_APPEND_H_
