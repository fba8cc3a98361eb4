// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// TokenizedText's edit path: a new text that differs anywhere, re-encoded
// only from each edit to the point where the old pieces come back.
#include <algorithm>

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

// The number of equal trailing elements of a[from_a, end) and b[from_b, end),
// given that the last `known` of them are equal.
std::size_t common_tail(const std::vector<Rank>& a, std::size_t from_a, const std::vector<Rank>& b,
                        std::size_t from_b, std::size_t known) {
  const std::size_t most = std::min(a.size() - from_a, b.size() - from_b);
  std::size_t n = std::min(known, most);
  while (n < most && a[a.size() - 1 - n] == b[b.size() - 1 - n]) ++n;
  return n;
}

}  // namespace

TokenDelta TokenizedText::replace_all(std::string_view new_text, EditCost* cost) {
  EditCost ignored;
  if (cost == nullptr) cost = &ignored;
  const std::size_t prefix = common_prefix_length(text_, new_text);
  cost->prefix_bytes = prefix;
  cost->encoded_bytes = 0;
  // An extension, a cut, or a scanner that cannot say what it read (no
  // reach, no resync): the prefix path.
  if (prefix == text_.size() || prefix == new_text.size() || !pretokenizer_of(*encoder_).tracks_reads()) {
    cost->encoded_bytes = new_text.size() - first_piece_start(prefix);
    return replace_from(prefix, new_text.substr(prefix));
  }
  return resync_rewrite(first_piece_reaching(prefix), new_text, align_texts(text_, new_text), cost);
}

std::size_t TokenizedText::first_piece_start(std::size_t pos) const {
  const std::size_t first = first_piece_reaching(pos);
  return first < pieces_.size() ? std::min(pieces_[first].begin, pos) : pos;
}

TokenDelta TokenizedText::resync_rewrite(std::size_t first, std::string_view new_text,
                                         const std::vector<AlignedRegion>& regions, EditCost* cost) {
  const std::size_t old_pieces = pieces_.size();
  const std::size_t first_token = first < old_pieces ? pieces_[first].first_token : tokens_.size();
  // The new ids and pieces are built whole in the thread's scratch, then
  // swapped in: the session keeps the buffer, the scratch the old one, so a
  // turn copies each id and record once and allocates nothing once warm.
  Scratch& scratch = Scratch::of_this_thread();
  std::vector<Rank>& ids = scratch.ids;
  std::vector<PieceRecord>& records = scratch.pieces;
  reserve_at_least(&ids, tokens_.size() + new_text.size() / 4 + 16);
  reserve_at_least(&records, old_pieces + new_text.size() / 4 + 16);
  text_.reserve(new_text.size());  // the commit below then cannot throw
  ids.assign(tokens_.begin(), tokens_.begin() + static_cast<std::ptrdiff_t>(first_token));
  records.assign(pieces_.begin(), pieces_.begin() + static_cast<std::ptrdiff_t>(first));

  ResyncFinder finder(regions, pieces_, text_.size(), new_text.size());
  std::size_t scan_from = first < old_pieces ? pieces_[first].begin : text_.size();
  std::size_t reach = first > 0 ? pieces_[first - 1].max_reach : 0;
  std::size_t kept_tail = 0;  // trailing ids known equal: the old ones up to the end
  while (true) {
    Resync resync{};
    bool resynced = false;
    const std::size_t scan_start = scan_from;
    encode_pieces(*encoder_, scratch, new_text, scan_from, reach, &ids, [&](const PieceRecord& p) {
      if (finder.find(p.begin, &resync)) {
        resynced = true;
        scan_from = p.begin;
        return false;
      }
      records.push_back(p);
      return true;
    });
    cost->encoded_bytes += (resynced ? scan_from : new_text.size()) - scan_start;
    if (!resynced) break;
    if (!records.empty()) reach = records.back().max_reach;
    // Old pieces [piece, end_piece) are the new text's next pieces, shifted.
    const AlignedRegion& r = regions[resync.region];
    const std::size_t byte_shift = r.new_begin - r.old_begin;  // modulo 2^64, as every shift below
    const std::size_t token_shift = ids.size() - pieces_[resync.piece].first_token;
    const std::size_t at = records.size();
    records.resize(at + (resync.end_piece - resync.piece));
    PieceRecord* out = records.data() + at;
    for (std::size_t i = resync.piece; i < resync.end_piece; ++i, ++out) {
      const PieceRecord& p = pieces_[i];
      reach = std::max(reach, p.max_reach + byte_shift);
      *out = PieceRecord{p.begin + byte_shift, p.first_token + token_shift, reach};
    }
    const bool last_old = resync.end_piece == old_pieces;
    const std::size_t old_first = pieces_[resync.piece].first_token;
    const std::size_t old_last = last_old ? tokens_.size() : pieces_[resync.end_piece].first_token;
    ids.insert(ids.end(), tokens_.begin() + static_cast<std::ptrdiff_t>(old_first),
               tokens_.begin() + static_cast<std::ptrdiff_t>(old_last));
    // The next piece of the new text starts where the copied ones end; the
    // old text may end there while the new one goes on.
    scan_from = (last_old ? text_.size() : pieces_[resync.end_piece].begin) + byte_shift;
    if (scan_from == new_text.size()) {
      // The copied ids end both lists only if the old ones ran out too.
      if (last_old) kept_tail = old_last - old_first;
      break;
    }
  }

  // The delta: one splice from the first id that differs to the last.
  const auto old_from = tokens_.begin() + static_cast<std::ptrdiff_t>(first_token);
  const auto new_from = ids.begin() + static_cast<std::ptrdiff_t>(first_token);
  const std::size_t same_head =
      first_token + static_cast<std::size_t>(std::mismatch(old_from, tokens_.end(), new_from, ids.end()).first - old_from);
  const std::size_t same_tail = common_tail(tokens_, same_head, ids, same_head, kept_tail);
  TokenDelta delta;
  delta.first_changed = same_head;
  delta.rollback_tokens = tokens_.size() - same_head;
  delta.replaced_tokens = tokens_.size() - same_head - same_tail;
  delta.replacement_tokens = ids.size() - same_head - same_tail;
  delta.tokens_to_append.assign(ids.begin() + static_cast<std::ptrdiff_t>(same_head), ids.end());

  // Nothing below allocates or throws.
  text_.assign(new_text.data(), new_text.size());
  tokens_.swap(ids);
  pieces_.swap(records);
  return delta;
}

}  // namespace flashtok::internal
