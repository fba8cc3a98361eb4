// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_CACHE_LONG_RUN_PREFIX_H_
#define FLASHTOK_SRC_CACHE_LONG_RUN_PREFIX_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "flashtok/encoder.h"

namespace flashtok::internal {

class BacktrackTables;

// A fixed prefix whose unstable text (FixedPrefixTokenCache) is one piece that
// ends in a long run (cache/long_piece_append.h): a log padded with a
// megabyte of spaces, a line of '-', a long word. Encoding unstable text +
// suffix again for every suffix costs the run; extend() gives the same ids
// from the unstable text's own, at the cost of the suffix and a few of the
// run's last tokens (docs/ALGORITHM.md, "A fixed prefix that ends in a long
// run").
//
// Immutable after construction; extend() may be called from any thread (it
// works in the calling thread's scratch).
class LongRunPrefix {
 public:
  // The unstable text `unstable` (one piece, of ids `unstable_ids`) as a
  // long-run piece, or null when it is none: no run of kMinRun bytes of one
  // run class at its end, more than kMaxHead bytes before the run, a
  // pre-tokenizer that is not hand-written or ranks without usable
  // backtracking tables. Then the caller re-encodes, as for short texts.
  static std::shared_ptr<const LongRunPrefix> of(const Encoder& encoder, std::string_view unstable,
                                                 const std::vector<Rank>& unstable_ids);

  // The ids of unstable + suffix (suffix not empty) start with the first
  // *kept of unstable_ids; appends the others to *fresh. False, with *fresh
  // as it was, when the shortcut does not apply to this suffix (the caller
  // then encodes unstable + suffix).
  bool extend(const Encoder& encoder, const std::vector<Rank>& unstable_ids, std::string_view suffix,
              std::size_t* kept, std::vector<Rank>* fresh) const;

  // Bytes of the piece before its run: copied with each call, so bounded.
  static constexpr std::size_t kMaxHead = 64;

 private:
  LongRunPrefix() = default;

  // The unstable text u with the run's middle left out: u[0, cut_) followed
  // by u[size_ - kMargin, size_). The window scanned with each suffix.
  std::string head_;
  std::size_t cut_ = 0;      // the run's start + LongRun::kMargin
  std::size_t removed_ = 0;  // bytes of the run left out of head_
  std::size_t size_ = 0;     // of u
  // The first sub_count_ unstable ids end at byte sub_at_, inside the run a
  // few tokens before its end: only the ids after them are handed to
  // extend_piece_ids, with the bytes after sub_at_.
  std::size_t sub_count_ = 0;
  std::size_t sub_at_ = 0;
  std::string run_end_;  // u[sub_at_, size_): a few tokens' bytes
  std::shared_ptr<const BacktrackTables> tables_;
};

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_CACHE_LONG_RUN_PREFIX_H_
