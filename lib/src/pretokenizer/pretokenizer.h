// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_PRETOKENIZER_PRETOKENIZER_H_
#define FLASHTOK_SRC_PRETOKENIZER_PRETOKENIZER_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "pretokenizer/run_classes.h"
#include "util/function_ref.h"

namespace flashtok::internal {

// One pre-tokenizer match: the bytes [begin, end) of the scanned text.
//
// reach is one past the last byte the scan looked at to find this match
// (failed alternatives and lookahead included); having to know whether text
// continues at the end counts as looking at byte text.size(). So a piece is
// unchanged by any edit at or after `reach`: appending to the text keeps every
// piece with reach <= old size, and replacing the text from byte k on keeps
// every piece with reach <= k. This is what makes the prefix caches exact
// (docs/ALGORITHM.md).
struct Piece {
  std::size_t begin;
  std::size_t end;
  std::size_t reach;

  // Whether appending anything to a text of text_size bytes could change it.
  bool touched_end(std::size_t text_size) const noexcept { return reach > text_size; }
};

// The reach the general regex path reports: it cannot know what RE2 read.
inline constexpr std::size_t kUnknownReach = static_cast<std::size_t>(-1);

// Receives consecutive batches of pieces; returns false to stop the scan.
using PieceBatchCallback = FunctionRef<bool(const Piece* pieces, std::size_t count)>;

// Splits text into pieces exactly as tiktoken's regex does, except that text
// no match covers (a user's pattern may skip bytes; the built-in ones never
// do) is a piece of its own where tiktoken drops it: the pieces always tile
// the text.
//
// Invalid UTF-8 is never dropped: each byte that does not start a valid
// sequence is scanned as one character of its own that is neither a letter, a
// mark, a number nor white space (the class U+FFFD has), so BPE sees every byte.
// Implementations are immutable and thread-safe.
class Pretokenizer {
 public:
  virtual ~Pretokenizer() = default;

  // Scans text from byte `pos` (which must be where a piece starts, e.g. 0 or
  // the end of an earlier piece) to its end, handing the pieces to `on_batch`
  // in order, a few hundred at a time, until it returns false.
  virtual void split(std::string_view text, std::size_t pos, PieceBatchCallback on_batch) const = 0;

  // The same pieces, each with reach kUnknownReach: for a caller that only
  // encodes them, which the scanners then spare the bookkeeping of reach.
  virtual void split_untracked(std::string_view text, std::size_t pos, PieceBatchCallback on_batch) const {
    split(text, pos, on_batch);
  }

  // True when Piece::reach is exact. The general regex path cannot know what
  // the regex engine read, so it reports kUnknownReach on every piece and the
  // caches fall back to re-encoding from the start (still exact, just slow).
  virtual bool tracks_reads() const noexcept = 0;

  // Which characters the scanner cannot tell apart in the middle of a long
  // run (pretokenizer/run_classes.h). Only meaningful where tracks_reads()
  // is true (the hand-written scanners); elsewhere every byte is a class of
  // its own and no longer character is in a run.
  virtual const RunClasses& run_classes() const noexcept;

  // "cl100k", "o200k", "gpt2" (r50k/p50k) or "regex".
  virtual std::string_view kind() const noexcept = 0;

  // All pieces of text from `pos` on. Convenient; allocates.
  std::vector<Piece> split(std::string_view text, std::size_t pos = 0) const;
};

// The hand-written scanner when the pattern is one of the built-in ones (byte
// for byte), else the RE2 path. Throws Error(kUnsupportedPattern) for a
// pattern RE2 cannot run even after flashtok's rewriting (regex_pattern.h).
std::unique_ptr<Pretokenizer> make_pretokenizer(std::string_view pattern);

// Always the RE2 path: the reference the scanners are tested against.
std::unique_ptr<Pretokenizer> make_regex_pretokenizer(std::string_view pattern);

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_PRETOKENIZER_PRETOKENIZER_H_
