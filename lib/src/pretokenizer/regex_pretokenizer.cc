// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// The general pre-tokenizer: any tiktoken pattern, run by RE2 after
// rewrite_for_re2(). It is the reference the hand-written scanners are tested
// against, and the path for users' own patterns.
#include <re2/re2.h>

#include <memory>
#include <string>
#include <vector>

#include "flashtok/error.h"
#include "pretokenizer/pretokenizer.h"
#include "pretokenizer/regex_pattern.h"
#include "unicode/utf8.h"

namespace flashtok::internal {
namespace {

// The alternatives [first, last) as one RE2.
std::unique_ptr<RE2> compile(const std::vector<std::string>& alternatives, std::size_t first, std::size_t last,
                             std::string_view original) {
  std::string joined;
  for (std::size_t i = first; i < last; ++i) {
    joined += (i == first ? "(?:" : "|(?:") + alternatives[i] + ")";
  }
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(std::int64_t{256} << 20);  // explicit Unicode classes make large programs
  auto re = std::make_unique<RE2>(joined, options);
  if (!re->ok()) {
    throw Error(ErrorCode::kUnsupportedPattern,
                "pattern '" + std::string(original) + "' does not compile with RE2: " + re->error());
  }
  return re;
}

// The text RE2 scans. RE2 cannot match a byte that is not valid UTF-8 (it
// would be silently skipped), so such text is scanned as a copy in which each
// invalid byte is U+FFFD, the class flashtok gives invalid bytes everywhere,
// and offsets are mapped back to the original bytes.
class Re2Input {
 public:
  explicit Re2Input(std::string_view text) : text_(text) {
    if (unicode::find_invalid_utf8(text) == std::string_view::npos) return;
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    for (std::size_t pos = 0; pos < text.size();) {
      const unicode::DecodedChar c = unicode::decode_utf8(s, text.size(), pos);
      const bool invalid = c.cp == unicode::kInvalidByte;
      const std::string_view bytes = invalid ? std::string_view("\xEF\xBF\xBD") : text.substr(pos, c.len);
      for (std::size_t i = 0; i < bytes.size(); ++i) original_.push_back(invalid ? pos : pos + i);
      mapped_ += bytes;
      pos += c.len;
    }
    original_.push_back(text.size());
  }

  std::string_view view() const { return mapped_.empty() && original_.empty() ? text_ : mapped_; }
  std::size_t to_original(std::size_t pos) const { return original_.empty() ? pos : original_[pos]; }
  std::size_t from_original(std::size_t pos) const {
    if (original_.empty()) return pos;
    std::size_t i = 0;
    while (i < original_.size() && original_[i] < pos) ++i;
    return i;
  }

 private:
  std::string_view text_;
  std::string mapped_;
  std::vector<std::size_t> original_;
};

std::size_t char_length_at(std::string_view s, std::size_t pos) {
  return unicode::decode_utf8(reinterpret_cast<const unsigned char*>(s.data()), s.size(), pos).len;
}

// Where the last character of s[begin, end) starts.
std::size_t last_char_start(std::string_view s, std::size_t begin, std::size_t end) {
  std::size_t pos = end - 1;
  while (pos > begin && is_utf8_continuation(s[pos])) --pos;
  return pos;
}

// Matching asks RE2 for spans only (one submatch): it then stays on its
// DFAs. Asking for the alternatives' groups makes it run a submatch engine
// that allocates and clears a bitmap of program size x match length for
// every match, which made this path slower than tiktoken.
class RegexPretokenizer final : public Pretokenizer {
 public:
  explicit RegexPretokenizer(std::string_view pattern) {
    Re2Pattern rewritten = rewrite_for_re2(pattern);
    lookahead_ = std::move(rewritten.is_whitespace_lookahead);
    const auto& alternatives = rewritten.alternatives;
    full_ = compile(alternatives, 0, alternatives.size(), pattern);
    for (std::size_t i = 0; i < alternatives.size(); ++i) {
      alternatives_.push_back(compile(alternatives, i, i + 1, pattern));
    }
  }

  // Text no match covers (a user's pattern may skip bytes) becomes a piece of
  // its own: tiktoken drops it, but decode(encode(x)) must give x back.
  void split(std::string_view text, std::size_t pos, PieceBatchCallback on_batch) const override {
    const Re2Input input(text);
    const std::string_view s = input.view();
    std::vector<Piece> batch;
    // Adds a piece; false when the callback asked to stop.
    const auto emit = [&](std::size_t begin, std::size_t end) {
      batch.push_back(Piece{input.to_original(begin), input.to_original(end), kUnknownReach});
      if (batch.size() < 256) return true;
      const bool more = on_batch(batch.data(), batch.size());
      batch.clear();
      return more;
    };
    std::size_t gap = input.from_original(pos);  // where the text no piece covers yet starts
    for (std::size_t at = gap; at < s.size();) {
      std::size_t begin = 0, end = 0;
      if (!find(s, at, &begin, &end)) break;
      if (end == begin) {  // an empty match gives no piece
        at = begin + char_length_at(s, begin);
        continue;
      }
      if (gap < begin && !emit(gap, begin)) return;
      if (!emit(begin, end)) return;
      gap = at = end;
    }
    if (gap < s.size() && !emit(gap, s.size())) return;
    if (!batch.empty()) on_batch(batch.data(), batch.size());
  }

  bool tracks_reads() const noexcept override { return false; }
  std::string_view kind() const noexcept override { return "regex"; }

 private:
  // The leftmost match at or after `from`, with the lookahead applied.
  bool find(std::string_view s, std::size_t from, std::size_t* begin, std::size_t* end) const {
    re2::StringPiece match;
    while (from < s.size()) {
      if (!full_->Match(s, from, s.size(), RE2::UNANCHORED, &match, 1)) return false;
      *begin = static_cast<std::size_t>(match.data() - s.data());
      if (resolve(s, *begin, end)) return true;
      from = *begin + char_length_at(s, *begin);
    }
    return false;
  }

  // The end of the match at `begin` as a backtracking engine finds it: the
  // first alternative, in order, that matches there, except that where
  // `\s+(?!\S)` fails (a non-space follows and giving back the run's last
  // character leaves nothing) the engine goes on with the alternatives after
  // it. False if none matches.
  bool resolve(std::string_view s, std::size_t begin, std::size_t* end) const {
    re2::StringPiece match;
    for (std::size_t alt = 0; alt < alternatives_.size(); ++alt) {
      if (!alternatives_[alt]->Match(s, begin, s.size(), RE2::ANCHOR_START, &match, 1)) continue;
      *end = begin + match.size();
      if (!lookahead_[alt] || *end == s.size()) return true;
      const std::size_t last = last_char_start(s, begin, *end);
      if (last > begin) {
        *end = last;
        return true;
      }
    }
    return false;
  }

  std::unique_ptr<RE2> full_;                       // every alternative: where the next match starts
  std::vector<std::unique_ptr<RE2>> alternatives_;  // each alternative alone: which one matches, and its end
  std::vector<bool> lookahead_;
};

}  // namespace

std::unique_ptr<Pretokenizer> make_regex_pretokenizer(std::string_view pattern) {
  return std::make_unique<RegexPretokenizer>(pattern);
}

}  // namespace flashtok::internal
