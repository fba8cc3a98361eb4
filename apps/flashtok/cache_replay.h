// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_APPS_CACHE_REPLAY_H_
#define FLASHTOK_APPS_CACHE_REPLAY_H_

#include <map>
#include <nlohmann/json.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "flashtok/flashtok.h"
#include "flashtok/workloads/request.h"

namespace flashtok::cli {

// Whether a request is a line of a session (an append, a prompt or an output).
inline bool is_session_line(workloads::RequestKind kind) {
  return kind == workloads::RequestKind::kAppend || kind == workloads::RequestKind::kPrompt ||
         kind == workloads::RequestKind::kOutput;
}

// Replays requests through flashtok's caches. A session is one text, whatever
// mix of append, output and prompt lines builds it: a session whose first
// line is an append lives in an AppendOnlyTokenCache of its own (its outputs
// are appended to it too) until a prompt replaces its text, which moves it to
// the SessionTokenCache; a session that starts with a prompt or an output
// lives in the SessionTokenCache (its appends are appended outputs).
// Fixed-prefix requests go through one FixedPrefixTokenCache per prefix,
// whole texts through a SharedPrefixTokenCache. apply() is the work a
// benchmark times; full_text() and cache_ids() are for checking it, and do
// the bookkeeping a caller would not (apply() keeps a pointer to a prompt's
// text, not a copy: the requests must outlive the replay).
class CacheReplay {
 public:
  struct Options {
    Backtrack backtrack = Backtrack::automatic();
    SessionTokenCache::Options sessions;
    SharedPrefixTokenCache::Options shared;
    // Keep each session's ids as a caller does, from the deltas (verify):
    // cache_ids() then checks the deltas themselves, and a session the cache
    // dropped (evicted, or larger than its whole budget) restarts instead of
    // looking empty.
    bool track_deltas = false;
  };

  CacheReplay(std::shared_ptr<const Encoder> encoder, Options options);
  CacheReplay(std::shared_ptr<const Encoder> encoder, Backtrack backtrack)
      : CacheReplay(std::move(encoder), Options{backtrack, {}, {}}) {}

  // Warms the shared prefix cache (SharedPrefixTokenCache::prebuild).
  void prebuild_shared(const std::vector<std::string>& prefixes) { shared_.prebuild(prefixes); }
  // Cache statistics for the report: reuse ratios and hit rates per cache.
  nlohmann::json stats() const;

  // What a request changed in its session's ids (all 0 for requests that do
  // not keep a token list: fixed-prefix and shared-prefix ones).
  struct Change {
    std::size_t rollback_tokens = 0;   // old ids the caller drops
    std::size_t reencoded_tokens = 0;  // ids from the first changed one on: KV-cache positions to recompute
    std::size_t changed_tokens = 0;    // new ids that replace old ones (TokenDelta::replacement_tokens, or
                                       // the replacements of a prompt's splices); the others are kept
  };

  // Applies the request; returns what it changed.
  Change apply(const workloads::Request& request);

  // The cache that serves the request: "append-only", "session",
  // "fixed-prefix" or "shared-prefix". For a session's line, the cache its
  // session lives in (after apply(), the one that served it).
  const char* cache_of(const workloads::Request& request) const;

  // Puts an append-only history right: its ids become a full encode of
  // `text` (sweep, after a wrong turn of a fixed backtrack_pieces).
  void reset_history(const workloads::Request& append, const std::string& text) { append_cache(append.session).reset(text); }

  // The whole text the request's cache now stands for (after apply()).
  std::string_view full_text(const workloads::Request& request);
  // The cache's ids for that text (after apply()). May copy.
  std::vector<Rank> cache_ids(const workloads::Request& request) const;

  // The number of ids the request's session holds now (append-only or
  // session cache; 0 for other requests). May copy.
  std::size_t history_tokens(const workloads::Request& request) const;

  const SessionTokenCache& sessions() const { return sessions_; }
  const SharedPrefixTokenCache& shared() const { return shared_; }

 private:
  // Where a session's text lives.
  enum class Home { kNone, kAppendOnly, kSessionCache };
  Home home_of(const std::string& session) const;
  // Sends the request's session to its cache, moving an append-only session
  // to the session cache when a prompt replaces its text.
  Home settle(const workloads::Request& request);
  Change append_to_session(const std::string& session, const std::string& text);

  AppendOnlyTokenCache& append_cache(const std::string& session);
  const FixedPrefixTokenCache& prefix_cache(const std::string& prefix);
  // What the delta changes; with track_deltas, applies it to the session's ids.
  Change session_delta(const std::string& session, const TokenDelta& delta);
  // The same for the splices of a prompt (one per edited stretch): the kept
  // ids are not copied.
  Change session_splices(const std::string& session, const std::vector<TokenSplice>& splices);

  std::shared_ptr<const Encoder> encoder_;
  Backtrack backtrack_;
  std::map<std::string, Home> homes_;
  std::map<std::string, std::unique_ptr<AppendOnlyTokenCache>> appends_;
  SessionTokenCache sessions_;
  bool track_deltas_;
  std::map<std::string, std::vector<Rank>> session_ids_;  // with track_deltas: what the caller holds
  // What each session's text is now: its last prompt (the request's own
  // text), then the outputs appended since; full_text() joins them.
  struct SessionText {
    const std::string* prompt = nullptr;
    std::string outputs;
    std::string joined;
  };
  std::map<std::string, SessionText> session_texts_;
  std::map<std::string, std::unique_ptr<FixedPrefixTokenCache>> prefixes_;
  SharedPrefixTokenCache shared_;
  std::vector<Rank> last_ids_;  // the last fixed-prefix tail or shared-prefix ids
  std::string joined_;          // the last prefix + suffix
};

}  // namespace flashtok::cli

#endif  // FLASHTOK_APPS_CACHE_REPLAY_H_
