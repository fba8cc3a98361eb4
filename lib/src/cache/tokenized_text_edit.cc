// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// TokenizedText's edit path: a new text that differs anywhere, re-encoded
// only from each edit to the point where the old pieces come back, and
// spliced into the old ids and records in place.
#include <algorithm>
#include <cstring>

#include "cache/text_alignment.h"
#include "cache/tokenized_text.h"
#include "encoder/encoder_access.h"
#include "encoder/piece_walk.h"
#include "encoder/scratch.h"

namespace flashtok::internal {

// `count` elements that move from index `from` to index `to` of one vector
// (or string).
struct MovedRun {
  std::size_t from;
  std::size_t to;
  std::size_t count;
};

namespace {

template <typename T>
void reserve_at_least(std::vector<T>* v, std::size_t n) {
  if (n > v->capacity()) v->reserve(std::max(n, v->capacity() + v->capacity() / 2));
}

// Where the new scan may hand over to old pieces: old piece `piece` starts
// at the new scan's piece start shifted back into the old text, inside
// `region`, and every piece from there up to (not including) `end_piece`
// read only bytes of the region.
struct Resync {
  std::size_t region;
  std::size_t piece;
  std::size_t end_piece;
};

// Looks up resync points for the new scan's piece starts, which arrive in
// increasing order, so the region is found by a cursor.
class ResyncFinder {
 public:
  ResyncFinder(const std::vector<AlignedRegion>& regions, const PieceTable& old_pieces, std::size_t old_size,
               std::size_t new_size)
      : regions_(regions), old_pieces_(old_pieces), old_size_(old_size), new_size_(new_size) {}

  // Whether the new text's piece starting at new_begin is old piece
  // Resync::piece, and how many old pieces after it are the new text's too.
  bool find(std::size_t new_begin, Resync* out) {
    while (cursor_ < regions_.size() && regions_[cursor_].new_end() <= new_begin) ++cursor_;
    if (cursor_ == regions_.size() || new_begin < regions_[cursor_].new_begin) return false;
    const AlignedRegion& r = regions_[cursor_];
    const std::size_t piece = old_pieces_.find_begin(new_begin - r.new_begin + r.old_begin);
    if (piece == old_pieces_.size()) return false;
    // A piece at the end of both texts may have looked at the end: both end
    // there. Otherwise its scan must have stayed inside the region; max_reach
    // never decreases, so the pieces that did come first.
    const bool ends_both = r.old_end() == old_size_ && r.new_end() == new_size_;
    const std::size_t end = ends_both ? old_pieces_.size() : std::max(piece, first_reaching_end());
    if (end == piece) return false;
    *out = Resync{cursor_, piece, end};
    return true;
  }

 private:
  // The first old piece that reads past the cursor's region, looked up once
  // per region (a failed resync asks again at the next piece).
  std::size_t first_reaching_end() {
    if (reaching_region_ != cursor_) {
      reaching_region_ = cursor_;
      reaching_piece_ = old_pieces_.first_reaching(regions_[cursor_].old_end());
    }
    return reaching_piece_;
  }

  const std::vector<AlignedRegion>& regions_;
  const PieceTable& old_pieces_;
  const std::size_t old_size_;
  const std::size_t new_size_;
  std::size_t cursor_ = 0;
  std::size_t reaching_region_ = static_cast<std::size_t>(-1);
  std::size_t reaching_piece_ = 0;
};

// How far the edit walk lets the scanner see the new text. A scanner hands
// its pieces over in batches (up to 256) and scans a whole batch before the
// walk sees it, so a walk that stops at a resync point a few pieces in would
// have scanned up to a batch past it for nothing (more than the edit itself
// for a date line). The walk therefore scans a prefix of the new text, which
// ends a little past where a resync can first happen: the scan position
// itself if it is well inside an aligned region, else the start of the next
// region. A piece of the prefix whose scan stayed inside it (max_reach at
// most the prefix's end) is a piece of the whole text, with the same ids:
// the append argument (docs/ALGORITHM.md, "Edits anywhere", the walk).
class ScanWindow {
 public:
  // Bytes past the first possible resync point; grown fourfold each time a
  // window ends without a resync, so a long piece is scanned O(1) times.
  static constexpr std::size_t kFirstSpan = 64;

  ScanWindow(const std::vector<AlignedRegion>& regions, std::size_t text_size)
      : regions_(regions), text_size_(text_size) {}

  // The end of the prefix to scan from `from` with `span` bytes of margin.
  std::size_t end(std::size_t from, std::size_t span) {
    while (cursor_ < regions_.size() && regions_[cursor_].new_end() <= from + kFirstSpan) ++cursor_;
    if (cursor_ == regions_.size()) return text_size_;  // no resync ahead: to the end
    const std::size_t resync_from = std::max(from, regions_[cursor_].new_begin);
    return resync_from + std::min(span, text_size_ - resync_from);
  }

 private:
  const std::vector<AlignedRegion>& regions_;
  const std::size_t text_size_;
  std::size_t cursor_ = 0;
};

// A stretch of the new ids, wherever it lies before the splice: in the
// fresh ids or among the old ones.
struct IdSpan {
  const Rank* ids;
  std::size_t count;
};

// How many ids of `spans`, laid end to end from index `from`, equal old[from, ...).
// A span that is old ids at their own index is equal without a compare.
std::size_t common_head(const std::vector<IdSpan>& spans, const std::vector<Rank>& old, std::size_t from) {
  std::size_t pos = from;
  for (const IdSpan& s : spans) {
    const std::size_t left = old.size() - pos;
    if (s.ids == old.data() + pos && s.count <= left) {
      pos += s.count;
      continue;
    }
    const std::size_t same =
        static_cast<std::size_t>(std::mismatch(s.ids, s.ids + std::min(s.count, left), old.data() + pos).first - s.ids);
    pos += same;
    if (same < s.count) break;
  }
  return pos - from;
}

// How many trailing ids of `spans` equal the end of `old`, at most `limit`.
// A span that is old ids at their own distance from the end is equal
// without a compare.
std::size_t common_end(const std::vector<IdSpan>& spans, const std::vector<Rank>& old, std::size_t limit) {
  std::size_t n = 0;
  for (auto s = spans.rbegin(); s != spans.rend(); ++s) {
    const Rank* old_end = old.data() + old.size() - n;
    if (s->ids + s->count == old_end && n + s->count <= limit) {
      n += s->count;
      continue;
    }
    std::size_t same = 0;
    while (same < s->count && n < limit && s->ids[s->count - 1 - same] == *(old_end - 1 - same)) {
      ++same;
      ++n;
    }
    if (same < s->count) break;
  }
  return n;
}

// Moves each run to its place. Both the sources and the places are
// increasing and disjoint, so moving the runs bound for the front in order,
// then those bound for the back in reverse order, never overwrites a run not
// yet moved.
template <typename Container>
void move_runs(Container* v, const std::vector<MovedRun>& runs) {
  using T = typename Container::value_type;
  const auto move = [v](const MovedRun& r) { std::memmove(v->data() + r.to, v->data() + r.from, r.count * sizeof(T)); };
  for (const MovedRun& r : runs) {
    if (r.to < r.from) move(r);
  }
  for (auto r = runs.rbegin(); r != runs.rend(); ++r) {
    if (r->to > r->from) move(*r);
  }
}

}  // namespace

// The new ids from the first re-encoded piece on, as spans of the fresh and
// the old ids, where the kept old ids move, and the new piece list as
// segments of the old and the fresh records.
struct EditLayout {
  std::vector<IdSpan> spans;
  std::vector<MovedRun> id_runs;
  std::vector<PieceSegment> pieces;
  std::size_t ids = 0;  // the new number of ids
};

namespace {

EditLayout layout_of(const std::vector<EditStretch>& stretches, const std::vector<Rank>& fresh,
                     const PieceTable& old_pieces, const std::vector<Rank>& old_ids, std::size_t first) {
  EditLayout layout;
  layout.spans.reserve(2 * stretches.size());  // a fresh and a kept span per stretch
  layout.id_runs.reserve(stretches.size());
  layout.pieces.reserve(2 * stretches.size() + 1);
  layout.ids = first < old_pieces.size() ? old_pieces[first].first_token : old_ids.size();
  layout.pieces.push_back({true, 0, first});
  std::size_t fresh_from = 0;
  std::size_t fresh_pieces_from = 0;
  for (const EditStretch& s : stretches) {
    layout.spans.push_back({fresh.data() + fresh_from, s.fresh_ids_end - fresh_from});
    // The fresh records' first_token indexes the fresh ids.
    layout.pieces.push_back({false, fresh_pieces_from, s.fresh_pieces_end, 0, layout.ids - fresh_from});
    layout.ids += s.fresh_ids_end - fresh_from;
    fresh_from = s.fresh_ids_end;
    fresh_pieces_from = s.fresh_pieces_end;
    if (s.kept_end == s.kept_piece) continue;
    const std::size_t kept_first = old_pieces[s.kept_piece].first_token;
    const std::size_t kept_last = s.kept_end == old_pieces.size() ? old_ids.size() : old_pieces[s.kept_end].first_token;
    layout.spans.push_back({old_ids.data() + kept_first, kept_last - kept_first});
    layout.id_runs.push_back({kept_first, layout.ids, kept_last - kept_first});
    layout.pieces.push_back({true, s.kept_piece, s.kept_end, s.byte_shift, layout.ids - kept_first});
    layout.ids += kept_last - kept_first;
  }
  return layout;
}

}  // namespace

std::vector<TokenSplice> TokenizedText::edit_to(std::string_view new_text, EditCost* cost, SpliceShape shape) {
  const bool one_range = shape != SpliceShape::kPerStretch;
  EditCost ignored;
  if (cost == nullptr) cost = &ignored;
  const std::size_t prefix = common_prefix_length(text_, new_text);
  cost->prefix_bytes = prefix;
  cost->encoded_bytes = 0;
  // An extension, a cut, or a scanner that cannot say what it read (no
  // reach, no resync): the prefix path.
  if (prefix == text_.size() || prefix == new_text.size() || !pretokenizer_of(*encoder_).tracks_reads()) {
    cost->encoded_bytes = new_text.size() - first_piece_start(prefix);
    std::vector<TokenSplice> splices;
    splices.reserve(1);  // before the change: nothing allocates after it
    TokenSplice splice = splice_of(replace_from(prefix, new_text.substr(prefix)));
    if (one_range || splice.replaced_tokens > 0 || !splice.replacement.empty()) splices.push_back(std::move(splice));
    return splices;
  }
  long_run_.forget();  // the text changes inside: what it knew of a run may not hold
  return resync_rewrite(first_piece_reaching(prefix), new_text, align_texts(text_, new_text, prefix), cost, shape);
}

TokenSplice TokenizedText::splice_to(std::string_view new_text, EditCost* cost, bool room_for_kept) {
  return std::move(
      edit_to(new_text, cost, room_for_kept ? SpliceShape::kOneRangeRoomForKept : SpliceShape::kOneRange).front());
}

std::vector<TokenSplice> TokenizedText::splices_to(std::string_view new_text, EditCost* cost) {
  return edit_to(new_text, cost, SpliceShape::kPerStretch);
}

TokenDelta TokenizedText::replace_all(std::string_view new_text, EditCost* cost) {
  return delta_of(splice_to(new_text, cost, /*room_for_kept=*/true));
}

std::size_t TokenizedText::first_piece_start(std::size_t pos) const {
  const std::size_t first = first_piece_reaching(pos);
  return first < pieces_.size() ? std::min(pieces_[first].begin, pos) : pos;
}

std::vector<EditStretch> TokenizedText::encode_stretches(std::size_t first, std::string_view new_text,
                                                        const std::vector<AlignedRegion>& regions,
                                                        EditCost* cost) const {
  Scratch& scratch = Scratch::of_this_thread();
  std::vector<Rank>& fresh = scratch.ids;
  std::vector<PieceRecord>& fresh_pieces = scratch.pieces;
  fresh.clear();
  fresh_pieces.clear();
  std::vector<EditStretch> stretches;
  stretches.reserve(regions.size());  // at most one per aligned region, and one to the end
  ResyncFinder finder(regions, pieces_, text_.size(), new_text.size());
  ScanWindow window(regions, new_text.size());
  std::size_t span = ScanWindow::kFirstSpan;
  std::size_t scan_from = first < pieces_.size() ? pieces_[first].begin : text_.size();
  std::size_t reach = first > 0 ? pieces_[first - 1].max_reach : 0;
  while (true) {
    Resync resync{};
    bool resynced = false;
    bool window_left = false;  // a piece's scan looked past the window's end
    const std::size_t scan_start = scan_from;
    const std::size_t pieces_before = fresh_pieces.size();
    const std::size_t limit = window.end(scan_from, span);
    // Records keep the walk's first_token: an index into the fresh ids.
    encode_pieces(*encoder_, scratch, new_text.substr(0, limit), scan_from, reach, &fresh,
                  [&](const PieceRecord& p) {
                    // p.begin is right even when the piece itself is not:
                    // the pieces before it were.
                    if (finder.find(p.begin, &resync)) {
                      resynced = true;
                    } else if (p.max_reach > limit && limit < new_text.size()) {
                      window_left = true;
                    } else {
                      fresh_pieces.push_back(p);
                      return true;
                    }
                    scan_from = p.begin;
                    return false;
                  });
    // Every piece of the window passed: the next one starts at its end.
    if (!resynced && !window_left) scan_from = limit;
    cost->encoded_bytes += scan_from - scan_start;
    if (fresh_pieces.size() > pieces_before) reach = fresh_pieces.back().max_reach;
    if (!resynced && scan_from < new_text.size()) {  // the window ended first: a wider one
      span *= 4;
      continue;
    }
    EditStretch stretch{fresh.size(), fresh_pieces.size()};
    if (!resynced) {
      stretches.push_back(stretch);
      return stretches;
    }
    span = ScanWindow::kFirstSpan;
    // Old pieces [piece, end_piece) are the new text's next pieces, shifted.
    const AlignedRegion& r = regions[resync.region];
    stretch.kept_piece = resync.piece;
    stretch.kept_end = resync.end_piece;
    stretch.byte_shift = r.new_begin - r.old_begin;  // modulo 2^64, as every shift below
    stretches.push_back(stretch);
    // max_reach is a running maximum: the run's last record holds the run's.
    reach = std::max(reach, pieces_[stretch.kept_end - 1].max_reach + stretch.byte_shift);
    // The next piece of the new text starts where the kept ones end; the
    // old text may end there while the new one goes on.
    const bool last_old = stretch.kept_end == pieces_.size();
    scan_from = (last_old ? text_.size() : pieces_[stretch.kept_end].begin) + stretch.byte_shift;
    if (scan_from == new_text.size()) return stretches;
  }
}

namespace {

// The splices of one edit, one per stretch of ids that changed, in order;
// each first_changed counts the new ids before it. Splice k covers the old
// ids [old_starts[k], old_ends[k]).
struct SpliceList {
  std::vector<TokenSplice> splices;
  std::vector<std::size_t> old_starts;
  std::vector<std::size_t> old_ends;

  // Old ids [old_from, old_to) become fresh[0, count), which start at new
  // index new_from: a splice of the ids that differ, if any.
  void add(const std::vector<Rank>& old, std::size_t old_from, std::size_t old_to, const Rank* fresh,
           std::size_t count, std::size_t new_from) {
    const Rank* old_begin = old.data() + old_from;
    const std::size_t old_count = old_to - old_from;
    const std::size_t head = static_cast<std::size_t>(
        std::mismatch(fresh, fresh + std::min(count, old_count), old_begin).first - fresh);
    std::size_t tail = 0;
    while (tail < count - head && tail < old_count - head &&
           fresh[count - 1 - tail] == old_begin[old_count - 1 - tail]) {
      ++tail;
    }
    if (head + tail == count && head + tail == old_count) return;
    TokenSplice splice;
    splice.first_changed = new_from + head;
    splice.replaced_tokens = old_count - head - tail;
    splice.replacement.assign(fresh + head, fresh + count - tail);
    splices.push_back(std::move(splice));
    old_starts.push_back(old_from + head);
    old_ends.push_back(old_to - tail);
  }

  void reserve(std::size_t n) {
    splices.reserve(n);
    old_starts.reserve(n);
    old_ends.reserve(n);
  }

  // Each splice keeps the old ids up to the next one, the last to the end.
  void finish(std::size_t old_size) {
    for (std::size_t k = 0; k < splices.size(); ++k) {
      splices[k].kept_tokens = (k + 1 < splices.size() ? old_starts[k + 1] : old_size) - old_ends[k];
    }
  }
};

// The splices of an edit: each stretch's fresh ids against the old ids they
// replace (from the end of the kept run before it to the start of the one
// after it), trimmed to the ids that differ. The kept runs are not read:
// they are the old ids (docs/ALGORITHM.md, "Edits anywhere").
SpliceList list_splices(const std::vector<EditStretch>& stretches, const std::vector<Rank>& fresh,
                        const PieceTable& old_pieces, const std::vector<Rank>& old_ids, std::size_t first) {
  const auto old_token = [&](std::size_t piece) {
    return piece < old_pieces.size() ? old_pieces[piece].first_token : old_ids.size();
  };
  SpliceList list;
  list.reserve(stretches.size() + 1);
  std::size_t old_at = old_token(first);
  std::size_t new_at = old_at;
  std::size_t fresh_from = 0;
  for (const EditStretch& s : stretches) {
    const bool resynced = s.kept_end != s.kept_piece;  // else the last stretch, to the end
    const std::size_t old_to = resynced ? old_token(s.kept_piece) : old_ids.size();
    list.add(old_ids, old_at, old_to, fresh.data() + fresh_from, s.fresh_ids_end - fresh_from, new_at);
    new_at += s.fresh_ids_end - fresh_from;
    fresh_from = s.fresh_ids_end;
    old_at = resynced ? old_token(s.kept_end) : old_ids.size();
    new_at += old_at - old_to;
  }
  // The new text may end inside the old one: the old ids after the last
  // kept run go.
  list.add(old_ids, old_at, old_ids.size(), fresh.data(), 0, new_at);
  list.finish(old_ids.size());
  return list;
}

}  // namespace

std::vector<TokenSplice> TokenizedText::resync_rewrite(std::size_t first, std::string_view new_text,
                                                       const std::vector<AlignedRegion>& regions, EditCost* cost,
                                                       SpliceShape shape) {
  const bool one_range = shape != SpliceShape::kPerStretch;
  const std::vector<EditStretch> stretches = encode_stretches(first, new_text, regions, cost);
  const Scratch& scratch = Scratch::of_this_thread();
  const EditLayout layout = layout_of(stretches, scratch.ids, pieces_, tokens_, first);
  SpliceList list;
  TokenSplice merged;
  std::size_t merged_count = 0;
  if (one_range) {
    // One range: from the first id that differs to the last, compared span
    // by span across the kept runs (so as tight as the ids allow), the ids
    // between copied once they are in place.
    const std::size_t first_token = first < pieces_.size() ? pieces_[first].first_token : tokens_.size();
    merged.first_changed = first_token + common_head(layout.spans, tokens_, first_token);
    const std::size_t same_end =
        common_end(layout.spans, tokens_, std::min(layout.ids, tokens_.size()) - merged.first_changed);
    merged.replaced_tokens = tokens_.size() - merged.first_changed - same_end;
    merged.kept_tokens = same_end;
    merged_count = layout.ids - merged.first_changed - same_end;
    // delta_of() appends the kept ids: room for them now saves a
    // reallocation that would copy the replacement again.
    merged.replacement.reserve(merged_count + (shape == SpliceShape::kOneRangeRoomForKept ? same_end : 0));
  } else {
    list = list_splices(stretches, scratch.ids, pieces_, tokens_, first);
  }
  std::vector<TokenSplice> result(one_range ? 1 : 0);
  reserve_at_least(&tokens_, layout.ids);
  text_.reserve(new_text.size());
  std::vector<MovedRun> text_runs;  // the aligned regions that change place
  text_runs.reserve(regions.size());
  for (const AlignedRegion& r : regions) {
    if (r.old_begin != r.new_begin) text_runs.push_back({r.old_begin, r.new_begin, r.length});
  }
  PieceTable::Staged staged = pieces_.stage(layout.pieces, scratch.pieces);

  // Nothing below allocates or throws (compact() merges less if it cannot).
  splice_ids_in(first, stretches, layout);
  pieces_.commit(std::move(staged));
  if (pieces_.fragmented()) pieces_.compact();
  edit_text_in_place(new_text, regions, text_runs);
  if (!one_range) return std::move(list.splices);
  const auto from = tokens_.begin() + static_cast<std::ptrdiff_t>(merged.first_changed);
  merged.replacement.assign(from, from + static_cast<std::ptrdiff_t>(merged_count));  // within its capacity
  result.front() = std::move(merged);
  return result;
}

void TokenizedText::edit_text_in_place(std::string_view new_text, const std::vector<AlignedRegion>& regions,
                                       const std::vector<MovedRun>& runs) noexcept {
  // The aligned regions are the old text's bytes at new places: move those
  // that change place (increasing and disjoint in both texts, as the kept
  // runs of ids), then copy the bytes between them from the new text. Bytes
  // that stay (the common prefix, and everything before the first change of
  // length) are not written.
  if (new_text.size() > text_.size()) text_.resize(new_text.size());  // within the reserved capacity
  move_runs(&text_, runs);
  std::size_t at = 0;
  for (const AlignedRegion& r : regions) {
    std::memcpy(text_.data() + at, new_text.data() + at, r.new_begin - at);
    at = r.new_end();
  }
  std::memcpy(text_.data() + at, new_text.data() + at, new_text.size() - at);
  text_.resize(new_text.size());
}

void TokenizedText::splice_ids_in(std::size_t first, const std::vector<EditStretch>& stretches,
                                  const EditLayout& layout) noexcept {
  const Scratch& scratch = Scratch::of_this_thread();
  std::size_t at_id = first < pieces_.size() ? pieces_[first].first_token : tokens_.size();
  // Grow first, move the kept runs, then fill the gaps between them.
  if (layout.ids > tokens_.size()) tokens_.resize(layout.ids);
  move_runs(&tokens_, layout.id_runs);
  std::size_t fresh_from = 0;
  auto run = layout.id_runs.begin();
  for (const EditStretch& s : stretches) {
    std::copy(scratch.ids.begin() + static_cast<std::ptrdiff_t>(fresh_from),
              scratch.ids.begin() + static_cast<std::ptrdiff_t>(s.fresh_ids_end),
              tokens_.begin() + static_cast<std::ptrdiff_t>(at_id));
    at_id += s.fresh_ids_end - fresh_from;
    fresh_from = s.fresh_ids_end;
    if (s.kept_end == s.kept_piece) continue;
    at_id += run->count;
    ++run;
  }
  tokens_.resize(layout.ids);
}

}  // namespace flashtok::internal
