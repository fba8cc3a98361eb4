// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "cache/long_piece_prefix.h"

#include <algorithm>

#include "bpe/backtrack_tables.h"
#include "bpe/extended_piece.h"
#include "cache/long_piece_append.h"
#include "encoder/encoder_access.h"
#include "encoder/piece_walk.h"
#include "encoder/scratch.h"
#include "vocab/encoding_access.h"

namespace flashtok::internal {
namespace {

// How far back from the end the ids handed to extend_piece_ids start: at
// least this many ids and bytes, so that the boundary it finds (nearly always
// one or two ids back) lies inside them. If it does not, the whole piece is
// encoded again: exact either way.
constexpr std::size_t kSubIds = 4;
constexpr std::size_t kSubBytes = 128;

}  // namespace

std::shared_ptr<const LongPiecePrefix> LongPiecePrefix::of(const Encoder& encoder, std::string_view unstable,
                                                           const std::vector<Rank>& unstable_ids) {
  const std::size_t size = unstable.size();
  if (size < kMinPiece) return nullptr;
  auto tables = tables_of(ranks_of(encoder.encoding()));
  if (!tables->usable()) return nullptr;

  std::shared_ptr<LongPiecePrefix> prefix(new LongPiecePrefix());
  prefix->sub_count_ = unstable_ids.size();
  prefix->sub_at_ = size;
  while (prefix->sub_count_ > 0 &&
         (unstable_ids.size() - prefix->sub_count_ < kSubIds || size - prefix->sub_at_ < kSubBytes)) {
    prefix->sub_at_ -= tables->length(unstable_ids[--prefix->sub_count_]);
  }
  prefix->piece_end_.assign(unstable.substr(prefix->sub_at_));
  prefix->size_ = size;
  prefix->tables_ = std::move(tables);
  if (!prefix->leave_out_run_middle(encoder, unstable)) prefix->head_.assign(unstable);  // scanned whole
  return prefix;
}

bool LongPiecePrefix::leave_out_run_middle(const Encoder& encoder, std::string_view u) {
  const std::size_t size = u.size();
  // The pumping claim (first_piece_of_window) holds for the hand-written
  // scanners and runs of characters of one class.
  if (size < LongRun::kMinRun || !pretokenizer_of(encoder).tracks_reads()) return false;
  const RunClasses& classes = pretokenizer_of(encoder).run_classes();
  const RunChar last = classes.before(u, 0, size);
  if (last.len == 0) return false;
  const std::size_t run_begin = classes.start_of_run(u, 0, size, last.cls);
  const std::size_t margin = LongRun::kMargin * last.len;
  // Its margins: kMargin characters of the run on each side of the bytes
  // left out, all before sub_at_, where the ids handed on start.
  if (size - run_begin < LongRun::kMinRun || run_begin > kMaxHead || sub_at_ < run_begin + margin) return false;
  cut_ = run_begin + margin;
  removed_ = size - margin - cut_;
  run_class_ = last.cls;
  head_.assign(u.substr(0, cut_));
  head_.append(u.substr(size - margin));
  return true;
}

bool LongPiecePrefix::extend(const Encoder& encoder, const std::vector<Rank>& unstable_ids, std::string_view suffix,
                             std::size_t* kept, std::vector<Rank>* fresh) const {
  Scratch& scratch = Scratch::of_this_thread();
  // A suffix of the run's own class only lengthens the one piece u is, as an
  // append into a run does (lengthened_run_piece: the pumping claim, cut
  // kMargin characters before u's end): it ends at the suffix's end, and no
  // piece follows. Else the window: head_ + suffix is unstable + suffix, or
  // that with the run's middle left out: positions in unstable + suffix past
  // the cut are removed_ bytes further on than in the window.
  const bool lengthens =
      removed_ > 0 && pretokenizer_of(encoder).run_classes().end_of_run(suffix, 0, run_class_) == suffix.size();
  std::string& window = scratch.text;
  Piece first{};
  if (lengthens) {
    first.end = size_ + suffix.size();
  } else {
    window.assign(head_);
    window.append(suffix);
    if (!first_piece_of_window(pretokenizer_of(encoder), window, 0, cut_, removed_, &first)) return false;
  }
  if (first.end < sub_at_) return false;
  // The grown (or cut) piece from byte sub_at_ on: the old piece's end up to
  // the unstable text's end, then what the piece took of the suffix.
  std::string& sub_piece = scratch.piece;
  sub_piece.assign(piece_end_, 0, std::min(first.end, size_) - sub_at_);
  if (first.end > size_) sub_piece.append(suffix.substr(0, first.end - size_));
  const RankTable& ranks = ranks_of(encoder.encoding());
  const std::size_t fresh_start = fresh->size();
  std::size_t sub_kept = 0;
  if (!extend_piece_ids(ranks, *tables_, scratch.merge, unstable_ids.data() + sub_count_,
                        unstable_ids.size() - sub_count_, size_ - sub_at_, sub_piece, &sub_kept, fresh)) {
    return false;
  }
  // extend_piece_ids keeps the first of the ids it was given without a test
  // (nothing came before them there); here an id may, so test that pair.
  if (sub_kept == 0 && sub_count_ > 0 && fresh->size() > fresh_start &&
      !tables_->compatible(unstable_ids[sub_count_ - 1], (*fresh)[fresh_start])) {
    fresh->resize(fresh_start);
    return false;
  }
  *kept = sub_count_ + sub_kept;
  // The pieces after it lie in the piece's last bytes and the suffix, all in
  // the window.
  if (!lengthens && first.end - removed_ < window.size()) {
    encode_pieces(encoder, scratch, window, first.end - removed_, 0, fresh, [](const PieceRecord&) { return true; });
  }
  return true;
}

}  // namespace flashtok::internal
