// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// TokenizedText's append to a text that ends inside a long piece
// (docs/ALGORITHM.md, "Appending inside a long piece"); the rest of the class
// is in tokenized_text.cc and tokenized_text_edit.cc.
#include <algorithm>
#include <limits>

#include "bpe/extended_piece.h"
#include "bpe/small_piece_merge.h"
#include "cache/tokenized_text.h"
#include "encoder/piece_walk.h"
#include "encoder/scratch.h"

namespace flashtok::internal {

bool TokenizedText::append_bounded(std::string_view tail, TokenDelta* delta) {
  // No look back over the run (LongRun::find), no buffer of the text grown
  // (growing one copies all of it); the rest is checked where it is known.
  if (tail.size() > kBoundedAppend || text_.capacity() - text_.size() < tail.size() ||
      !long_run_.ends_at(text_.size())) {
    return false;
  }
  return append_in_long_piece(tail, delta, AppendWork::kBounded);
}

bool TokenizedText::append_in_long_piece(std::string_view tail, TokenDelta* delta, AppendWork work) {
  const bool bounded = work == AppendWork::kBounded;  // see append_bounded()
  const std::size_t old_size = text_.size();
  if (tail.empty() || pieces_.empty()) return false;
  // The pieces that may change: from the first that looked at the end on.
  // That must be the last piece (the usual case), or the one before a last
  // piece of at most kCutCharacter bytes: a stream cut inside a multi-byte
  // letter leaves its first bytes as a piece of their own, which the next
  // chunk then joins to the letters before (a line break or a mark after the
  // piece is the same case). Either way the changing piece must be long: a
  // shorter one takes the small merge, which needs no backtracking tables and
  // costs little to repeat. The lengths are tested before the search for the
  // first piece that looked at the end, which most appends then skip.
  constexpr std::size_t kCutCharacter = 3;
  const std::size_t last = pieces_.size() - 1;
  const PieceRecord last_piece = pieces_[last];
  const bool cut_after = last > 0 && old_size - last_piece.begin <= kCutCharacter;
  const std::size_t first_changed = cut_after ? last - 1 : last;
  const PieceRecord piece = cut_after ? pieces_[first_changed] : last_piece;
  const std::size_t piece_end = cut_after ? last_piece.begin : old_size;
  const std::size_t piece_tokens_end = cut_after ? last_piece.first_token : tokens_.size();
  if (piece_end - piece.begin <= kSmallPiece) return false;
  // first_piece_reaching(old_size) == first_changed, from the records at
  // hand (a search of the table was a tenth of such an append): max_reach is
  // a running maximum, so the first piece reaching past old_size is
  // first_changed exactly when it does and the one before does not. The
  // pieces before it are kept as they are, which is exact only because none
  // of them looked at the end; the built-in scanners never give a long piece
  // such a neighbour, so no test reaches this return, but it is what the
  // code below relies on.
  const std::size_t reach_before = first_changed > 0 ? pieces_[first_changed - 1].max_reach : 0;
  if (reach_before > old_size || piece.max_reach <= old_size) return false;
  const Pretokenizer& pretokenizer = pretokenizer_of(*encoder_);
  if (!pretokenizer.tracks_reads()) return false;
  // A long run in the piece (the one that ends the text, or the remembered
  // one: the text may end just after it in a character cut short) is cut,
  // its middle left out of the scan; any other long piece is scanned whole,
  // which is cheap next to merging it.
  std::size_t run_begin = 0;
  std::size_t run_end = 0;
  std::size_t margin = 0;
  const RunClasses& classes = pretokenizer.run_classes();
  const bool in_run = long_run_.find(text_, piece.begin, classes, &run_begin, &run_end, &margin);
  const RankTable& ranks = ranks_of(encoder_->encoding());
  const BacktrackTables& tables = long_run_.tables(ranks);
  const std::size_t cut = in_run ? run_begin + margin : piece.begin;
  const std::size_t removed = in_run ? run_end - margin - cut : 0;

  Scratch& scratch = Scratch::of_this_thread();
  std::vector<Rank>& fresh = scratch.ids;  // the new ids after the kept ones
  std::vector<PieceRecord>& fresh_pieces = scratch.pieces;
  fresh.clear();
  fresh_pieces.clear();
  std::size_t base = 0;  // where fresh[0] goes in tokens_
  std::size_t common = 0;
  bool only_reach = false;  // the long piece is still the last: only its reach changes
  bool in_place = false;    // the new records fit in the block of the long piece
  bool lengthened = false;  // the append only lengthened the run that ended the text
  PieceTable::Staged staged;
  text_.append(tail);
  try {
    // The long piece as the scan of the new text sees it: without a scan
    // if the append only lengthened a run, else from a window without the
    // run's middle (the whole piece when it holds no run); then its ids from
    // the old ones.
    Piece first{};
    std::size_t kept = 0;
    lengthened = in_run && !cut_after && run_end == old_size &&
                 lengthened_run_piece(text_, old_size, run_begin, classes, piece, reach_before, &first);
    if (bounded && !lengthened) {  // the window's scan and the pieces after it are not bounded
      text_.resize(old_size);
      return false;
    }
    const bool scanned =
        in_run ? lengthened || pumped_first_piece(pretokenizer, text_, piece.begin, cut, removed, scratch.text, &first)
               : first_piece_of_window(pretokenizer, std::string_view(text_).substr(piece.begin), piece.begin,
                                       piece.begin, 0, &first);
    if (!scanned) {
      text_.resize(old_size);
      return false;
    }
    if (!extend_piece_ids(ranks, tables, scratch.merge, tokens_.data() + piece.first_token,
                          piece_tokens_end - piece.first_token, piece_end - piece.begin,
                          std::string_view(text_).substr(piece.begin, first.end - piece.begin), &kept, &fresh,
                          bounded ? kBoundedMerge : std::numeric_limits<std::size_t>::max())) {
      text_.resize(old_size);
      return false;
    }
    base = piece.first_token + kept;
    const std::size_t reach = std::max(reach_before, first.reach);
    fresh_pieces.push_back(PieceRecord{piece.begin, piece.first_token, reach});
    // The pieces after it lie in the last few bytes of the run and the tail.
    if (first.end < text_.size()) {
      encode_pieces(*encoder_, scratch, text_, first.end, reach, &fresh, [&](const PieceRecord& p) {
        fresh_pieces.push_back(PieceRecord{p.begin, base + p.first_token, p.max_reach});
        return true;
      });
    }
    // A lengthened run stays one record (only its reach changes, below),
    // so only the ids could grow a buffer.
    if (bounded && base + fresh.size() > tokens_.capacity()) {
      text_.resize(old_size);
      return false;
    }
    reserve_geometrically(&tokens_, base + fresh.size());
    // Most appends inside a run only lengthen its piece: one record, the same
    // but for its reach.
    only_reach = fresh_pieces.size() == 1 && !cut_after;
    in_place = only_reach || pieces_.reserve_tail(first_changed, fresh_pieces.size());
    if (!in_place) staged = pieces_.stage({{true, 0, first_changed}, {false, 0, fresh_pieces.size()}}, fresh_pieces);
    const auto old_tail = tokens_.begin() + static_cast<std::ptrdiff_t>(base);
    common = static_cast<std::size_t>(std::mismatch(old_tail, tokens_.end(), fresh.begin(), fresh.end()).first -
                                      old_tail);
    set_delta(base + common, tokens_.size() - base - common, fresh.data() + common, fresh.data() + fresh.size(),
              delta);
  } catch (...) {
    text_.resize(old_size);  // within the capacity: cannot throw
    throw;
  }

  // Capacity is reserved: nothing below allocates or throws.
  tokens_.resize(base + common);
  tokens_.insert(tokens_.end(), delta->tokens_to_append.begin(), delta->tokens_to_append.end());
  if (only_reach) {
    pieces_.set_last_reach(fresh_pieces[0].max_reach);
  } else if (in_place) {
    pieces_.replace_tail(first_changed, fresh_pieces.data(), fresh_pieces.size(), 0);
  } else {
    pieces_.commit(std::move(staged));
  }
  if (pieces_.fragmented()) pieces_.compact();  // as rewrite() does: blocks stay at least half full
  if (lengthened) {
    long_run_.lengthened_to(text_.size());
  } else {
    long_run_.rewritten(old_size, text_);
  }
  return true;
}

}  // namespace flashtok::internal
