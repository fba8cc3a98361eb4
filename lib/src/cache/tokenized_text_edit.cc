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
  ResyncFinder(const std::vector<AlignedRegion>& regions, const std::vector<PieceRecord>& old_pieces,
               std::size_t old_size, std::size_t new_size)
      : regions_(regions), old_pieces_(old_pieces), old_size_(old_size), new_size_(new_size) {}

  // Whether the new text's piece starting at new_begin is old piece
  // Resync::piece, and how many old pieces after it are the new text's too.
  bool find(std::size_t new_begin, Resync* out) {
    while (cursor_ < regions_.size() && regions_[cursor_].new_end() <= new_begin) ++cursor_;
    if (cursor_ == regions_.size() || new_begin < regions_[cursor_].new_begin) return false;
    const AlignedRegion& r = regions_[cursor_];
    const std::size_t old_begin = new_begin - r.new_begin + r.old_begin;
    const auto it = std::lower_bound(old_pieces_.begin(), old_pieces_.end(), old_begin,
                                     [](const PieceRecord& p, std::size_t b) { return p.begin < b; });
    if (it == old_pieces_.end() || it->begin != old_begin) return false;
    // A piece at the end of both texts may have looked at the end: both end
    // there. Otherwise its scan must have stayed inside the region.
    const bool ends_both = r.old_end() == old_size_ && r.new_end() == new_size_;
    const auto end = ends_both ? old_pieces_.end()
                               : std::partition_point(it, old_pieces_.end(), [&r](const PieceRecord& p) {
                                   return p.max_reach <= r.old_end();
                                 });
    if (end == it) return false;
    *out = Resync{cursor_, static_cast<std::size_t>(it - old_pieces_.begin()),
                  static_cast<std::size_t>(end - old_pieces_.begin())};
    return true;
  }

 private:
  const std::vector<AlignedRegion>& regions_;
  const std::vector<PieceRecord>& old_pieces_;
  const std::size_t old_size_;
  const std::size_t new_size_;
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

// `count` elements that move from index `from` to index `to` of one vector.
struct Run {
  std::size_t from;
  std::size_t to;
  std::size_t count;
};

// Moves each run to its place. Both the sources and the places are
// increasing and disjoint, so moving the runs bound for the front in order,
// then those bound for the back in reverse order, never overwrites a run not
// yet moved.
template <typename T>
void move_runs(std::vector<T>* v, const std::vector<Run>& runs) {
  const auto move = [v](const Run& r) { std::memmove(v->data() + r.to, v->data() + r.from, r.count * sizeof(T)); };
  for (const Run& r : runs) {
    if (r.to < r.from) move(r);
  }
  for (auto r = runs.rbegin(); r != runs.rend(); ++r) {
    if (r->to > r->from) move(*r);
  }
}

}  // namespace

// The new ids from the first re-encoded piece on, as spans of the fresh and
// the old ids, and where the kept old ids and records move.
struct EditLayout {
  std::vector<IdSpan> spans;
  std::vector<Run> id_runs;
  std::vector<Run> piece_runs;
  std::size_t ids = 0;     // the new number of ids
  std::size_t pieces = 0;  // the new number of pieces
};

namespace {

EditLayout layout_of(const std::vector<EditStretch>& stretches, const std::vector<Rank>& fresh,
                     const std::vector<PieceRecord>& old_pieces, const std::vector<Rank>& old_ids,
                     std::size_t first) {
  EditLayout layout;
  layout.ids = first < old_pieces.size() ? old_pieces[first].first_token : old_ids.size();
  layout.pieces = first;
  std::size_t fresh_from = 0;
  std::size_t fresh_pieces_from = 0;
  for (const EditStretch& s : stretches) {
    layout.spans.push_back({fresh.data() + fresh_from, s.fresh_ids_end - fresh_from});
    layout.ids += s.fresh_ids_end - fresh_from;
    layout.pieces += s.fresh_pieces_end - fresh_pieces_from;
    fresh_from = s.fresh_ids_end;
    fresh_pieces_from = s.fresh_pieces_end;
    if (s.kept_end == s.kept_piece) continue;
    const std::size_t kept_first = old_pieces[s.kept_piece].first_token;
    const std::size_t kept_last = s.kept_end == old_pieces.size() ? old_ids.size() : old_pieces[s.kept_end].first_token;
    layout.spans.push_back({old_ids.data() + kept_first, kept_last - kept_first});
    layout.id_runs.push_back({kept_first, layout.ids, kept_last - kept_first});
    layout.piece_runs.push_back({s.kept_piece, layout.pieces, s.kept_end - s.kept_piece});
    layout.ids += kept_last - kept_first;
    layout.pieces += s.kept_end - s.kept_piece;
  }
  return layout;
}

}  // namespace

TokenSplice TokenizedText::splice_to(std::string_view new_text, EditCost* cost) {
  EditCost ignored;
  if (cost == nullptr) cost = &ignored;
  const std::size_t prefix = common_prefix_length(text_, new_text);
  cost->prefix_bytes = prefix;
  cost->encoded_bytes = 0;
  // An extension, a cut, or a scanner that cannot say what it read (no
  // reach, no resync): the prefix path.
  if (prefix == text_.size() || prefix == new_text.size() || !pretokenizer_of(*encoder_).tracks_reads()) {
    cost->encoded_bytes = new_text.size() - first_piece_start(prefix);
    return splice_of(replace_from(prefix, new_text.substr(prefix)));
  }
  long_run_.forget();  // the text changes inside: what it knew of a run may not hold
  return resync_rewrite(first_piece_reaching(prefix), new_text, align_texts(text_, new_text), cost);
}

TokenDelta TokenizedText::replace_all(std::string_view new_text, EditCost* cost) {
  return delta_of(splice_to(new_text, cost));
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
  ResyncFinder finder(regions, pieces_, text_.size(), new_text.size());
  std::size_t scan_from = first < pieces_.size() ? pieces_[first].begin : text_.size();
  std::size_t reach = first > 0 ? pieces_[first - 1].max_reach : 0;
  while (true) {
    Resync resync{};
    bool resynced = false;
    const std::size_t scan_start = scan_from;
    const std::size_t pieces_before = fresh_pieces.size();
    // Records keep the walk's first_token: an index into the fresh ids.
    encode_pieces(*encoder_, scratch, new_text, scan_from, reach, &fresh, [&](const PieceRecord& p) {
      if (finder.find(p.begin, &resync)) {
        resynced = true;
        scan_from = p.begin;
        return false;
      }
      fresh_pieces.push_back(p);
      return true;
    });
    cost->encoded_bytes += (resynced ? scan_from : new_text.size()) - scan_start;
    EditStretch stretch{fresh.size(), fresh_pieces.size()};
    if (!resynced) {
      stretches.push_back(stretch);
      return stretches;
    }
    if (fresh_pieces.size() > pieces_before) reach = fresh_pieces.back().max_reach;
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

TokenSplice TokenizedText::resync_rewrite(std::size_t first, std::string_view new_text,
                                          const std::vector<AlignedRegion>& regions, EditCost* cost) {
  const std::size_t first_token = first < pieces_.size() ? pieces_[first].first_token : tokens_.size();
  const std::vector<EditStretch> stretches = encode_stretches(first, new_text, regions, cost);
  const EditLayout layout = layout_of(stretches, Scratch::of_this_thread().ids, pieces_, tokens_, first);

  // The splice: from the first id that differs to the last.
  TokenSplice splice;
  splice.first_changed = first_token + common_head(layout.spans, tokens_, first_token);
  const std::size_t same_end =
      common_end(layout.spans, tokens_, std::min(layout.ids, tokens_.size()) - splice.first_changed);
  splice.replaced_tokens = tokens_.size() - splice.first_changed - same_end;
  splice.kept_tokens = same_end;
  const std::size_t replacement = layout.ids - splice.first_changed - same_end;
  splice.replacement.reserve(replacement);
  reserve_at_least(&tokens_, layout.ids);
  reserve_at_least(&pieces_, layout.pieces);
  text_.reserve(new_text.size());

  // Nothing below allocates or throws.
  splice_in(first, stretches, layout);
  text_.assign(new_text.data(), new_text.size());
  const auto from = tokens_.begin() + static_cast<std::ptrdiff_t>(splice.first_changed);
  splice.replacement.assign(from, from + static_cast<std::ptrdiff_t>(replacement));
  return splice;
}

void TokenizedText::splice_in(std::size_t first, const std::vector<EditStretch>& stretches,
                              const EditLayout& layout) noexcept {
  const Scratch& scratch = Scratch::of_this_thread();
  std::size_t at_id = first < pieces_.size() ? pieces_[first].first_token : tokens_.size();
  std::size_t at_piece = first;
  std::size_t reach = first > 0 ? pieces_[first - 1].max_reach : 0;
  // Grow first, move the kept runs, then fill the gaps between them.
  if (layout.ids > tokens_.size()) tokens_.resize(layout.ids);
  if (layout.pieces > pieces_.size()) pieces_.resize(layout.pieces);
  move_runs(&tokens_, layout.id_runs);
  move_runs(&pieces_, layout.piece_runs);
  std::size_t fresh_from = 0;
  std::size_t fresh_pieces_from = 0;
  auto run = layout.id_runs.begin();
  for (const EditStretch& s : stretches) {
    std::copy(scratch.ids.begin() + static_cast<std::ptrdiff_t>(fresh_from),
              scratch.ids.begin() + static_cast<std::ptrdiff_t>(s.fresh_ids_end),
              tokens_.begin() + static_cast<std::ptrdiff_t>(at_id));
    for (std::size_t i = fresh_pieces_from; i < s.fresh_pieces_end; ++i) {
      const PieceRecord& p = scratch.pieces[i];
      pieces_[at_piece++] = PieceRecord{p.begin, at_id + p.first_token - fresh_from, p.max_reach};
      reach = p.max_reach;
    }
    at_id += s.fresh_ids_end - fresh_from;
    fresh_from = s.fresh_ids_end;
    fresh_pieces_from = s.fresh_pieces_end;
    if (s.kept_end == s.kept_piece) continue;
    // The kept records, already in place: shift them, and carry the
    // running reach of the fresh pieces before them.
    const std::size_t token_shift = at_id - run->from;
    for (std::size_t end = at_piece + (s.kept_end - s.kept_piece); at_piece < end; ++at_piece) {
      PieceRecord& p = pieces_[at_piece];
      reach = std::max(reach, p.max_reach + s.byte_shift);
      p = PieceRecord{p.begin + s.byte_shift, p.first_token + token_shift, reach};
    }
    at_id += run->count;
    ++run;
  }
  tokens_.resize(layout.ids);
  pieces_.resize(layout.pieces);
}

}  // namespace flashtok::internal
