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
#include "flashtok/pretokenizer.h"
#include "pretokenizer/regex_pattern.h"
#include "unicode/utf8.h"

namespace flashtok::internal {
namespace {

std::unique_ptr<RE2> compile(const std::vector<std::string>& alternatives, std::size_t first,
                             std::string_view original) {
  std::string joined;
  for (std::size_t i = first; i < alternatives.size(); ++i) {
    joined += (i == first ? "(" : "|(") + alternatives[i] + ")";
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
  while (pos > begin && (static_cast<unsigned char>(s[pos]) & 0xC0) == 0x80) --pos;
  return pos;
}

class RegexPretokenizer final : public Pretokenizer {
 public:
  explicit RegexPretokenizer(std::string_view pattern) {
    Re2Pattern rewritten = rewrite_for_re2(pattern);
    lookahead_ = std::move(rewritten.is_whitespace_lookahead);
    full_ = compile(rewritten.alternatives, 0, pattern);
    // After a failed lookahead, the engine goes on with the alternatives that follow.
    tails_.resize(lookahead_.size());
    for (std::size_t i = 0; i + 1 < lookahead_.size(); ++i) {
      if (lookahead_[i]) tails_[i] = compile(rewritten.alternatives, i + 1, pattern);
    }
  }

  void split(std::string_view text, std::size_t pos, PieceBatchCallback on_batch) const override {
    const Re2Input input(text);
    const std::string_view s = input.view();
    std::vector<Piece> batch;
    std::vector<re2::StringPiece> groups(lookahead_.size() + 1);
    for (std::size_t at = input.from_original(pos); at < s.size();) {
      std::size_t begin = 0, end = 0;
      if (!find(s, at, groups, &begin, &end)) break;  // like tiktoken, unmatched text yields nothing
      at = end;
      if (end == begin) {  // an empty match gives no piece
        at = begin + char_length_at(s, begin);
        continue;
      }
      batch.push_back(Piece{input.to_original(begin), input.to_original(end), kUnknownReach});
      if (batch.size() == 256) {
        if (!on_batch(batch.data(), batch.size())) return;
        batch.clear();
      }
    }
    if (!batch.empty()) on_batch(batch.data(), batch.size());
  }

  bool tracks_reads() const noexcept override { return false; }
  std::string_view kind() const noexcept override { return "regex"; }

 private:
  // The leftmost match at or after `from`, with the lookahead applied.
  bool find(std::string_view s, std::size_t from, std::vector<re2::StringPiece>& groups,
            std::size_t* begin, std::size_t* end) const {
    while (from < s.size()) {
      if (!full_->Match(s, from, s.size(), RE2::UNANCHORED, groups.data(), static_cast<int>(groups.size()))) {
        return false;
      }
      *begin = static_cast<std::size_t>(groups[0].data() - s.data());
      if (resolve(s, *begin, groups, 0, end)) return true;
      from = *begin + char_length_at(s, *begin);
    }
    return false;
  }

  // Given the groups of a match at `begin` among alternatives numbered from
  // `first`, the match's end once `\s+(?!\S)` is honoured; false if none.
  bool resolve(std::string_view s, std::size_t begin, std::vector<re2::StringPiece>& groups,
               std::size_t first, std::size_t* end) const {
    for (;;) {
      std::size_t alt = first;
      while (groups[alt - first + 1].data() == nullptr) ++alt;
      *end = begin + groups[0].size();
      if (!lookahead_[alt] || *end == s.size()) return true;
      // A non-space follows the run: give back its last character if one remains.
      const std::size_t last = last_char_start(s, begin, *end);
      if (last > begin) {
        *end = last;
        return true;
      }
      if (!tails_[alt]) return false;
      const int n = static_cast<int>(lookahead_.size() - alt);
      if (!tails_[alt]->Match(s, begin, s.size(), RE2::ANCHOR_START, groups.data(), n)) return false;
      first = alt + 1;
    }
  }

  std::unique_ptr<RE2> full_;
  std::vector<std::unique_ptr<RE2>> tails_;
  std::vector<bool> lookahead_;
};

}  // namespace

std::unique_ptr<Pretokenizer> make_regex_pretokenizer(std::string_view pattern) {
  return std::make_unique<RegexPretokenizer>(pattern);
}

}  // namespace flashtok::internal
