// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_PRETOKENIZER_H_
#define FLASHTOK_PRETOKENIZER_H_

#include <cstddef>
#include <memory>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace flashtok {

// One pre-tokenizer match: the bytes [begin, end) of the scanned text.
//
// reach is one past the last byte the scan looked at to find this match
// (failed alternatives and lookahead included); having to know whether text
// continues at the end counts as looking at byte text.size(). So a piece is
// unchanged by any edit at or after `reach`: appending to the text keeps every
// piece with reach <= old size, and replacing the text from byte k on keeps
// every piece with reach <= k. This is what makes the prefix caches exact
// (docs/ALGORITHM.md).
struct Piece {
  std::size_t begin;
  std::size_t end;
  std::size_t reach;

  // Whether appending anything to a text of text_size bytes could change it.
  bool touched_end(std::size_t text_size) const noexcept { return reach > text_size; }
};

// The reach the general regex path reports: it cannot know what RE2 read.
inline constexpr std::size_t kUnknownReach = static_cast<std::size_t>(-1);

// A non-owning reference to a callable, so that split() can take a lambda
// without std::function's possible heap allocation on every call.
template <typename Signature>
class FunctionRef;

template <typename R, typename... Args>
class FunctionRef<R(Args...)> {
 public:
  template <typename F>
  FunctionRef(F&& f) noexcept  // NOLINT(google-explicit-constructor): used like a lambda
      : object_(const_cast<void*>(static_cast<const void*>(&f))),
        call_([](void* object, Args... args) -> R {
          return (*static_cast<std::remove_reference_t<F>*>(object))(std::forward<Args>(args)...);
        }) {}
  R operator()(Args... args) const { return call_(object_, std::forward<Args>(args)...); }

 private:
  void* object_;
  R (*call_)(void*, Args...);
};

// Receives consecutive batches of pieces; returns false to stop the scan.
using PieceBatchCallback = FunctionRef<bool(const Piece* pieces, std::size_t count)>;

// Splits text into pieces exactly as tiktoken's regex does, except that text
// no match covers (a user's pattern may skip bytes; the built-in ones never
// do) is a piece of its own where tiktoken drops it: the pieces always tile
// the text.
//
// Invalid UTF-8 is never dropped: each byte that does not start a valid
// sequence is scanned as one character of its own that is neither a letter, a
// mark, a number nor white space (the class U+FFFD has), so BPE sees every byte.
// Implementations are immutable and thread-safe.
class Pretokenizer {
 public:
  virtual ~Pretokenizer() = default;

  // Scans text from byte `pos` (which must be where a piece starts, e.g. 0 or
  // the end of an earlier piece) to its end, handing the pieces to `on_batch`
  // in order, a few hundred at a time, until it returns false.
  virtual void split(std::string_view text, std::size_t pos, PieceBatchCallback on_batch) const = 0;

  // True when Piece::reach is exact. The general regex path cannot know what
  // the regex engine read, so it reports kUnknownReach on every piece and the
  // caches fall back to re-encoding from the start (still exact, just slow).
  virtual bool tracks_reads() const noexcept = 0;

  // "cl100k", "o200k", "gpt2" (r50k/p50k) or "regex".
  virtual std::string_view kind() const noexcept = 0;

  // All pieces of text from `pos` on. Convenient; allocates.
  std::vector<Piece> split(std::string_view text, std::size_t pos = 0) const;
};

enum class PretokenizerChoice {
  kFastest,  // the hand-written scanner when the pattern is a known one, else RE2
  kRegex,    // always RE2 (the reference the scanners are tested against)
};

// Throws Error(kUnsupportedPattern) for a pattern RE2 cannot run even after
// flashtok's rewriting (see regex_pretokenizer.cc for what is supported).
std::unique_ptr<Pretokenizer> make_pretokenizer(std::string_view pattern,
                                                PretokenizerChoice choice = PretokenizerChoice::kFastest);

}  // namespace flashtok

#endif  // FLASHTOK_PRETOKENIZER_H_
