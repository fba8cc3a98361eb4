// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_CACHE_LONG_PIECE_PREFIX_H_
#define FLASHTOK_SRC_CACHE_LONG_PIECE_PREFIX_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bpe/small_piece_merge.h"
#include "flashtok/encoder.h"

namespace flashtok::internal {

class BacktrackTables;

// A fixed prefix whose unstable text (FixedPrefixTokenCache) is one long
// piece: a log padded with a megabyte of spaces, a line of '-' or of
// box-drawing characters, a long word or URL. Encoding unstable text + suffix
// again for every suffix merges the whole piece; extend() gives the same ids
// from the unstable text's own, at the cost of the suffix, a few of the
// piece's last tokens and a scan of the piece to find where it ends now
// (docs/ALGORITHM.md, "A fixed prefix that ends in a long piece"). When the
// piece ends in a long run (cache/long_piece_append.h), the scan leaves the
// run's middle out, so a megabyte of spaces costs what a line does.
//
// Immutable after construction; extend() may be called from any thread (it
// works in the calling thread's scratch).
class LongPiecePrefix {
 public:
  // The unstable text `unstable` (one piece, of ids `unstable_ids`) as a
  // long piece, or null when it is none: shorter than kMinPiece bytes, or
  // ranks without usable backtracking tables. Then the caller re-encodes, as
  // for short texts.
  static std::shared_ptr<const LongPiecePrefix> of(const Encoder& encoder, std::string_view unstable,
                                                   const std::vector<Rank>& unstable_ids);

  // The ids of unstable + suffix (suffix not empty) start with the first
  // *kept of unstable_ids; appends the others to *fresh. False, with *fresh
  // as it was, when the shortcut does not apply to this suffix (the caller
  // then encodes unstable + suffix).
  bool extend(const Encoder& encoder, const std::vector<Rank>& unstable_ids, std::string_view suffix,
              std::size_t* kept, std::vector<Rank>* fresh) const;

  // Whether each call scans the piece with its run's middle left out (a
  // megabyte run then costs what a short one does), not the whole piece.
  bool leaves_out_run_middle() const noexcept { return removed_ > 0; }

  // Shorter pieces take the small merge, which needs no backtracking
  // tables; extending them would build those (tens of milliseconds and
  // megabytes, once per vocabulary) to save about a microsecond a request.
  static constexpr std::size_t kMinPiece = kSmallPiece + 1;
  // The run's middle is left out of the scan only with at most this many
  // bytes of the piece before the run (copied with each call).
  static constexpr std::size_t kMaxHead = 64;

 private:
  LongPiecePrefix() = default;

  // Whether u ends in a run whose middle the scan may leave out; sets the
  // window's fields below if so.
  bool leave_out_run_middle(const Encoder& encoder, std::string_view u);

  // The window scanned with each suffix: the unstable text u, or, when it
  // ends in a long run, u with the run's middle left out: u[0, cut_)
  // followed by the run's last LongRun::kMargin characters.
  std::string head_;
  std::size_t cut_ = 0;      // the run's start + kMargin characters; 0 with nothing left out
  std::size_t removed_ = 0;  // bytes of the run left out of head_
  std::uint32_t run_class_ = 0;  // of the run's characters (RunClasses), when removed_ > 0
  std::size_t size_ = 0;     // of u
  // The first sub_count_ unstable ids end at byte sub_at_, a few tokens
  // before the piece's end: only the ids after them are handed to
  // extend_piece_ids, with the bytes after sub_at_.
  std::size_t sub_count_ = 0;
  std::size_t sub_at_ = 0;
  std::string piece_end_;  // u[sub_at_, size_): a few tokens' bytes
  std::shared_ptr<const BacktrackTables> tables_;
};

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_CACHE_LONG_PIECE_PREFIX_H_
