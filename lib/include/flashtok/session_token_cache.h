// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SESSION_TOKEN_CACHE_H_
#define FLASHTOK_SESSION_TOKEN_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "flashtok/encoder.h"
#include "flashtok/export.h"
#include "flashtok/token_delta.h"

namespace flashtok {

// Thrown by a SessionTokenCache call on a session that an OutputStream of
// the calling thread holds: the call would wait for that stream forever. A
// std::logic_error (a misuse, not a failure of the input), of its own type
// so that a caller, such as the C API, can tell it from others.
class FLASHTOK_EXPORT SessionHeldError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

// The tokens of many conversations at once, for a server that receives each
// session's whole prompt every turn.
//
// update(id, prompt) compares the prompt with the text the session holds.
// If it extends it byte for byte, only the new bytes are encoded. Otherwise
// (a date line that changes every turn, a think block stripped from an older
// answer, a swapped passage, a regenerated turn, a history cut short) only
// the edited stretches are re-encoded, each from the first piece the edit can
// affect to the first piece boundary after it where the old pieces provably
// come back (docs/ALGORITHM.md, "Edits anywhere"); the old ids before the
// first edit and between and after the edits are kept. The cost is a compare
// of the two texts plus the encoding of those stretches. Either way the
// session's ids equal a full encode of the prompt, and the delta names the
// one range of ids that changed (TokenDelta's splice view).
//
// Session ids are opaque byte strings compared exactly: a session named
// "user" is unrelated to any role or field called "user".
//
// Bounded, as any thread observes it: session_count() never exceeds
// max_sessions and memory_bytes() (text, ids and piece records of the kept
// sessions) never exceeds max_bytes. A new session evicts the least recently
// used ones (of its shard, when there are several) before it is added, and
// an update evicts others before its bytes count. An evicted session starts
// again cold (TokenDelta::restart) and stays exact. A session whose own bytes
// exceed max_bytes (its shard's share of it) is not kept: its update still
// returns the exact delta, then the session is dropped (Stats::oversized),
// so its next update is a cold restart. (Each thread that calls it also
// holds the encoder's per-thread working memory: see encoder.h.)
//
// A stream of model output into one session (a few bytes at a time) can go
// through an OutputStream (open_output below), which holds the session for
// the whole stream rather than for each append. From several threads at
// once it is the way to stream: each per-call append_output takes a lock
// twice and writes state other threads share (the shard's clock and counts;
// the LRU order is a stamp in the session, sorted only when evicting). An
// append that only lengthens a long run the session ends in (spaces, a
// letter held down, a long word) and that no other thread holds takes the
// lock once and appends under it: its work is bounded (at most 64 bytes
// appended, a few hundred merged, no buffer grown), so other sessions'
// calls wait no longer for it than for the lock's other work.
// With one lock (Options::shards = 1) two threads appending per call do less
// together than one alone; split into shards they take turns only on the
// sessions of one shard, but still do little more than one thread; streams
// scale with the cores (docs/PERFORMANCE.md, "Two threads, one cache").
//
// Thread-safe: updates of different sessions run in parallel; updates of the
// same session are serialized, in the order they come.
class FLASHTOK_EXPORT SessionTokenCache {
 public:
  struct Options {
    std::size_t max_sessions = 4096;
    std::size_t max_bytes = std::size_t{1} << 30;
    // Parts the cache is split into, each with its own lock, the sessions
    // whose ids hash to it, an equal share of both bounds (max_sessions /
    // shards sessions, max_bytes / shards bytes) and its own least recently
    // used order. One (the default) keeps one order for all sessions. More
    // let threads that call per call on different sessions (append_output,
    // short updates) run side by side instead of taking turns on one lock
    // (docs/PERFORMANCE.md, "Two threads, one cache"); a session alone over
    // its part's max_bytes is then not kept. Clamped to [1, min(max_sessions,
    // kMaxShards)]: a mistaken count allocates no more than that.
    std::size_t shards = 1;
    static constexpr std::size_t kMaxShards = 1024;
  };

  struct Stats {
    std::uint64_t updates = 0;        // update() and append_output() calls
    std::uint64_t hits = 0;           // the new text extended the cached one
    std::uint64_t partial_hits = 0;   // an edit: part of the old text was reused
    std::uint64_t misses = 0;         // nothing reused: new, evicted, or nothing in common
    std::uint64_t bytes_reused = 0;   // bytes whose old pieces and ids were kept
    std::uint64_t bytes_encoded = 0;  // bytes that went through the encoder
    std::uint64_t evictions = 0;
    std::uint64_t oversized = 0;      // sessions dropped after an update or append: over max_bytes alone
  };

  class OutputStream;

  explicit SessionTokenCache(std::shared_ptr<const Encoder> encoder, Options options);
  explicit SessionTokenCache(std::shared_ptr<const Encoder> encoder)
      : SessionTokenCache(std::move(encoder), Options()) {}
  ~SessionTokenCache();

  // The session's prompt is now `full_prompt`.
  TokenDelta update(std::string_view session, std::string_view full_prompt);
  // The same change as a splice, for a caller that edits its ids in place:
  // the old ids kept after the edits are not copied, so the result is the
  // size of what changed (a 100-200 KB prompt edited at its start and in the
  // middle returns the ids between the two edits, not the whole tail).
  TokenSplice update_splice(std::string_view session, std::string_view full_prompt);
  // The same change as one splice per stretch of ids that changed, in order,
  // for a caller that edits its ids in place at each: apply them front to
  // back (each first_changed counts the ids before it with the earlier
  // splices applied; its kept_tokens old ids, up to the next splice or the
  // end, stay). The unchanged ids between two edits are not copied, so a
  // date line at the start and a turn at the end return a few ids, not the
  // prompt between them. Empty if no id changed; a restart (a session the
  // cache did not hold) is one splice with every id.
  std::vector<TokenSplice> update_splices(std::string_view session, std::string_view full_prompt);
  // Model output (decoded text) appended to the session, so that the next
  // prompt, which contains it, extends the cached text.
  TokenDelta append_output(std::string_view session, std::string_view text);
  // The same into *delta, replacing its contents and reusing its capacity
  // (a stream of outputs through one TokenDelta allocates no ids once it
  // has grown). If an exception escapes, *delta is unspecified.
  void append_output(std::string_view session, std::string_view text, TokenDelta* delta);
  // Holds the session (found or created) for a stream of appends from the
  // calling thread, until the stream closes. See OutputStream.
  OutputStream open_output(std::string_view session);

  // A copy of the session's ids (empty for an unknown session).
  std::vector<Rank> tokens(std::string_view session) const;
  // Forgets a session's text but keeps the session (its next update is cold).
  bool reset(std::string_view session);
  // Forgets a session entirely.
  bool erase(std::string_view session);

  // With more than one shard these sum the shards one lock at a time: each
  // shard's part is a snapshot, the sum is not one instant's (the bounds
  // still hold for it, each part being within its share).
  Stats stats() const;
  std::size_t session_count() const;
  std::size_t memory_bytes() const;
  const Options& options() const noexcept { return options_; }

 private:
  struct FLASHTOK_NO_EXPORT Session;
  // A part of the cache with its own lock, sessions, order and counts
  // (Options::shards; session_token_cache.cc).
  struct FLASHTOK_NO_EXPORT Shard;
  // A claim released on every way out (session_token_cache.cc).
  class Claim;
  // A caller's session id, hashed when first needed (session_token_cache.cc).
  class CallerId;

  FLASHTOK_NO_EXPORT Shard& shard_of(CallerId& id) const noexcept;
  // Applies a full prompt and returns the splices (one_range: exactly one);
  // with as_delta (needs one_range), puts the change there in the
  // rollback/append view instead (copying the kept ids) and returns none.
  FLASHTOK_NO_EXPORT std::vector<TokenSplice> change(std::string_view id, std::string_view full_prompt,
                                                     bool one_range, TokenDelta* as_delta);

  std::shared_ptr<const Encoder> encoder_;
  Options options_;
  std::vector<std::unique_ptr<Shard>> shards_;  // options_.shards of them, each on its own cache lines
};

// A session held for a stream of appends: model output arriving a few bytes
// at a time. Each append is append_output's, exact in the same way, without
// the two passes through the cache's lock that every call of append_output
// takes (one to find and hold the session, one to count it and let it go):
// on a stream of 10-byte chunks into a run of spaces that is a quarter of
// an append's time, on real chat text 5-11%.
//
// While it is open, the session is held: other threads' calls on it wait
// until it closes; a call on it from the stream's own thread (the one that
// opened it, or last appended through it) would wait forever, so it throws
// SessionHeldError (a std::logic_error) instead. The stream's appends reach
// stats() when it closes. Its growth counts toward memory_bytes() as it
// happens, so the bounds hold while it streams: the session's buffers grow
// in steps (a vector doubles, a block of piece records starts), and each
// step takes the cache's lock once, evicting others if need be. The session
// may itself be evicted meanwhile, or dropped when it alone outgrows
// max_bytes: the stream's deltas stay exact, and the session's next update
// after the stream closes is a cold restart, as after any eviction.
//
// Movable, not copyable. Not thread-safe: used by one thread at a time and
// closed (by close() or the destructor) before the cache is destroyed. It
// may move to another thread (an async server resuming a response
// elsewhere): the thread that last appended through it is the one whose
// calls on the session throw; the others' wait.
class FLASHTOK_EXPORT SessionTokenCache::OutputStream {
 public:
  OutputStream(OutputStream&& other) noexcept;
  OutputStream& operator=(OutputStream&& other) noexcept;
  OutputStream(const OutputStream&) = delete;
  OutputStream& operator=(const OutputStream&) = delete;
  ~OutputStream();

  // `text` appended to the session, as SessionTokenCache::append_output.
  // Throws std::logic_error once the stream is closed.
  TokenDelta append_output(std::string_view text);
  void append_output(std::string_view text, TokenDelta* delta);

  // Lets the session go now (the destructor does otherwise). Idempotent.
  void close();
  bool is_open() const noexcept { return session_ != nullptr; }

 private:
  friend class SessionTokenCache;
  explicit OutputStream(Session* session) noexcept : session_(session) {}

  Session* session_;  // nullptr once closed or moved from
  Stats counts_;      // of the appends so far, added to the cache's stats on close
  // The session's bytes as the cache last counted them; SIZE_MAX once it
  // no longer counts them (the session was evicted, erased or oversized).
  std::size_t accounted_ = 0;
};

}  // namespace flashtok

#endif  // FLASHTOK_SESSION_TOKEN_CACHE_H_
