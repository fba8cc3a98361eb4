// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_ENCODER_SCRATCH_H_
#define FLASHTOK_SRC_ENCODER_SCRATCH_H_

#include <string>
#include <vector>

#include "bpe/byte_pair_encode.h"
#include "encoder/piece_record.h"
#include "flashtok/rank.h"

namespace flashtok::internal {

// The working memory of encoding, one per thread that encodes, in one place.
//
// Per thread rather than per call because it pays: the memo is worth what it
// remembers across calls (a word seen again is a copy, not a merge), and the
// buffers let a long piece, an append to a history or a fixed-prefix request
// run without allocating once they have grown. Per thread rather than per
// object because a server holds thousands of caches and encoders are shared:
// the memory is bounded by the threads, not the objects (about 2.5 MB each,
// most of it the memo, whose pages are touched only as it fills: a pool's
// new worker does not clear 2.5 MB on its first request). Nothing in it is
// shared, so no locks.
//
// Fetched once per public call (Scratch::of_this_thread()) and passed down.
// Each part has one user at a time: a user may call something that uses
// another part (a fixed-prefix request's `text` is encoded through `merge`),
// never one that uses its own.
struct Scratch {
  // The calling thread's; built on its first use, freed when the thread ends.
  static Scratch& of_this_thread();

  MergeScratch merge;               // the piece memo and the long-piece merge's buffers
  std::vector<Rank> ids;            // TokenizedText: the ids of a rewritten tail; FixedPrefixTokenCache: the fresh ids after the kept ones
  std::vector<PieceRecord> pieces;  // TokenizedText: the pieces of a rewritten tail; SharedPrefixTokenCache: of new blocks
  std::string text;                 // FixedPrefixTokenCache: the unstable prefix text + the suffix
  std::string piece;                // FixedPrefixTokenCache: the end of a long run's piece grown by a suffix
};

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_ENCODER_SCRATCH_H_
