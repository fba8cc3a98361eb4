// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "flashtok/session_token_cache.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "cache/tokenized_text.h"

namespace flashtok {

struct SessionTokenCache::Session {
  Session(std::string key, std::shared_ptr<const Encoder> encoder) : id(std::move(key)), text(std::move(encoder)) {}
  const std::string id;
  // Touched only by the thread that holds the session (`held`), outside mutex_.
  internal::TokenizedText text;
  bool cold = true;  // the caller holds no ids of this session yet
  // The rest is guarded by the cache's mutex_.
  std::size_t accounted_bytes = 0;
  std::list<Session*>::iterator lru_position;  // valid while in sessions_
  // False once drop() took it out of sessions_ (drop() is the only way out),
  // so that account() need not look the id up again.
  bool cached = true;
  bool held = false;       // a thread works on `text`
  std::size_t claims = 0;  // threads that hold it or wait to: it lives while any do
};

SessionTokenCache::SessionTokenCache(std::shared_ptr<const Encoder> encoder, Options options)
    : encoder_(std::move(encoder)), options_(options) {
  options_.max_sessions = std::max<std::size_t>(options_.max_sessions, 1);
}

SessionTokenCache::~SessionTokenCache() = default;

SessionTokenCache::Session* SessionTokenCache::claim(std::string_view id) {
  std::unique_lock<std::mutex> lock(mutex_);
  Session* session = nullptr;
  if (!lru_.empty() && lru_.front()->id == id) {
    session = lru_.front();  // a stream of outputs into one session: no hash, nothing to move
  } else if (const auto it = sessions_.find(id); it != sessions_.end()) {
    session = it->second.get();
    lru_.splice(lru_.begin(), lru_, session->lru_position);
  } else {
    evict(options_.max_sessions - 1, options_.max_bytes, nullptr);  // room first: the count never exceeds the bound
    auto owned = std::make_unique<Session>(std::string(id), encoder_);
    session = owned.get();
    lru_.push_front(session);
    try {
      sessions_.emplace(session->id, std::move(owned));
    } catch (...) {
      lru_.pop_front();
      throw;
    }
    session->lru_position = lru_.begin();
  }
  hold(session, lock);
  return session;
}

SessionTokenCache::Session* SessionTokenCache::claim_existing(std::string_view id) const {
  std::unique_lock<std::mutex> lock(mutex_);
  const auto it = sessions_.find(id);
  if (it == sessions_.end()) return nullptr;
  hold(it->second.get(), lock);
  return it->second.get();
}

void SessionTokenCache::hold(Session* session, std::unique_lock<std::mutex>& lock) const {
  ++session->claims;  // from here on it is not deleted, even if evicted while this thread waits
  released_.wait(lock, [session] { return !session->held; });
  session->held = true;
}

void SessionTokenCache::release(Session* session) const {
  session->held = false;
  if (--session->claims > 0) {
    released_.notify_all();  // rare: two threads on one session (each waiter checks its own)
  } else if (!session->cached) {
    delete session;  // drop() left it to its last claim
  }
}

void SessionTokenCache::account(Session* session, std::size_t bytes) {
  if (!session->cached) return;  // evicted or erased meanwhile
  if (bytes > options_.max_bytes) {  // no eviction could make room for it
    drop(sessions_.find(session->id));
    ++stats_.oversized;
    return;
  }
  bytes_ = bytes_ - session->accounted_bytes + bytes;
  session->accounted_bytes = bytes;
  evict(options_.max_sessions, options_.max_bytes, session);
}

void SessionTokenCache::evict(std::size_t max_count, std::size_t max_bytes, const Session* keep) {
  auto next = lru_.end();  // the session after the candidate, toward the most recently used
  while ((sessions_.size() > max_count || bytes_ > max_bytes) && next != lru_.begin()) {
    const auto candidate = std::prev(next);
    if (*candidate == keep) {
      next = candidate;
      continue;
    }
    drop(sessions_.find((*candidate)->id));  // erases only the candidate: `next` stays valid
    ++stats_.evictions;
  }
}

// A claimed session, released on every way out: by release_locked() under
// the lock the caller takes for its accounting anyway, or, if the work on the
// session throws, by the destructor under a lock of its own.
class SessionTokenCache::Claim {
 public:
  Claim(const SessionTokenCache& cache, Session* session) noexcept : cache_(cache), session_(session) {}
  Claim(const Claim&) = delete;
  Claim& operator=(const Claim&) = delete;
  ~Claim() {
    if (session_ == nullptr) return;
    std::lock_guard<std::mutex> lock(cache_.mutex_);
    cache_.release(session_);
  }
  Session* session() const noexcept { return session_; }
  void release_locked() { cache_.release(std::exchange(session_, nullptr)); }  // needs mutex_

 private:
  const SessionTokenCache& cache_;
  Session* session_;  // nullptr: nothing claimed, or released
};

void SessionTokenCache::drop(SessionMap::iterator it) {
  Session* session = it->second.get();
  session->cached = false;
  bytes_ -= session->accounted_bytes;
  lru_.erase(session->lru_position);
  if (session->claims > 0) it->second.release();  // the last claim's release() deletes it
  sessions_.erase(it);
}

std::vector<TokenSplice> SessionTokenCache::change(std::string_view id, std::string_view text, bool is_full_prompt,
                                                  bool one_range, TokenDelta* as_delta) {
  Claim claimed(*this, claim(id));
  Session* const session = claimed.session();
  internal::TokenizedText& state = session->text;
  const std::size_t old_size = state.text().size();
  internal::TokenizedText::EditCost cost;
  std::vector<TokenSplice> splices;
  bool restart = false;
  if (!is_full_prompt && as_delta && !session->cold) {
    // An append in the rollback/append view (streaming output): the delta is
    // the change itself, with no splice to build and convert.
    cost.prefix_bytes = old_size;
    state.replace_from(old_size, text, as_delta);
    cost.encoded_bytes = text.size();
    restart = as_delta->restart;
  } else if (is_full_prompt && !one_range) {
    splices = state.splices_to(text, &cost);
  } else if (is_full_prompt) {
    splices.push_back(state.splice_to(text, &cost, /*room_for_kept=*/as_delta != nullptr));
  } else {
    cost.prefix_bytes = old_size;
    splices.push_back(internal::splice_of(state.replace_from(old_size, text)));
    cost.encoded_bytes = text.size();
  }
  if (session->cold) {  // the caller starts from nothing: everything is new
    // A cold session's text was empty, so its one splice usually holds every
    // id already: mark it, rather than copy the ids again.
    const bool covers_all = splices.size() == 1 && splices.front().first_changed == 0 &&
                            splices.front().replacement.size() == state.tokens().size();
    if (!covers_all) {
      splices.assign(1, TokenSplice{});
      splices.front().replacement = state.tokens();
    }
    splices.front().restart = true;
    session->cold = false;
  }
  if (!splices.empty()) {
    restart = splices.front().restart;
    // The rollback/append view copies the kept ids: while the session is held.
    if (as_delta) *as_delta = state.delta_of(std::move(splices.front()));
  }
  const std::size_t bytes = state.memory_bytes() + id.size();
  const std::size_t reused = state.text().size() - std::min(cost.encoded_bytes, state.text().size());

  std::lock_guard<std::mutex> lock(mutex_);
  account(session, bytes);
  claimed.release_locked();
  ++stats_.updates;
  const bool extended = !restart && cost.prefix_bytes == old_size && old_size > 0;
  if (extended) {
    ++stats_.hits;
  } else if (!restart && reused > 0) {
    ++stats_.partial_hits;
  } else {
    ++stats_.misses;
  }
  stats_.bytes_reused += reused;
  stats_.bytes_encoded += cost.encoded_bytes;
  if (as_delta) splices.clear();
  return splices;
}

TokenDelta SessionTokenCache::update(std::string_view session, std::string_view full_prompt) {
  TokenDelta delta;
  change(session, full_prompt, /*is_full_prompt=*/true, /*one_range=*/true, &delta);
  return delta;
}

TokenSplice SessionTokenCache::update_splice(std::string_view session, std::string_view full_prompt) {
  return std::move(change(session, full_prompt, /*is_full_prompt=*/true, /*one_range=*/true, nullptr).front());
}

std::vector<TokenSplice> SessionTokenCache::update_splices(std::string_view session, std::string_view full_prompt) {
  return change(session, full_prompt, /*is_full_prompt=*/true, /*one_range=*/false, nullptr);
}

TokenDelta SessionTokenCache::append_output(std::string_view session, std::string_view text) {
  TokenDelta delta;
  append_output(session, text, &delta);
  return delta;
}

void SessionTokenCache::append_output(std::string_view session, std::string_view text, TokenDelta* delta) {
  change(session, text, /*is_full_prompt=*/false, /*one_range=*/true, delta);
}

std::vector<Rank> SessionTokenCache::tokens(std::string_view id) const {
  Claim claimed(*this, claim_existing(id));
  if (claimed.session() == nullptr) return {};
  std::vector<Rank> tokens = claimed.session()->text.tokens();
  std::lock_guard<std::mutex> lock(mutex_);
  claimed.release_locked();
  return tokens;
}

bool SessionTokenCache::reset(std::string_view id) {
  Claim claimed(*this, claim_existing(id));
  Session* const session = claimed.session();
  if (session == nullptr) return false;
  session->text.replace_from(0, {});
  session->cold = true;
  const std::size_t bytes = session->text.memory_bytes() + id.size();
  std::lock_guard<std::mutex> lock(mutex_);
  account(session, bytes);
  claimed.release_locked();
  return true;
}

bool SessionTokenCache::erase(std::string_view id) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = sessions_.find(id);
  if (it == sessions_.end()) return false;
  drop(it);
  return true;
}

SessionTokenCache::Stats SessionTokenCache::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stats_;
}

std::size_t SessionTokenCache::session_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return sessions_.size();
}

std::size_t SessionTokenCache::memory_bytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return bytes_;
}

}  // namespace flashtok
