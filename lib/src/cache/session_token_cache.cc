// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "flashtok/session_token_cache.h"

#include <algorithm>
#include <iterator>

#include "cache/tokenized_text.h"

namespace flashtok {

struct SessionTokenCache::Session {
  Session(std::string key, std::shared_ptr<const Encoder> encoder) : id(std::move(key)), text(std::move(encoder)) {}
  const std::string id;
  std::mutex mutex;  // serializes work on this session
  internal::TokenizedText text;
  std::size_t accounted_bytes = 0;  // guarded by the cache's mutex_
  std::list<Session*>::iterator lru_position;  // guarded by mutex_; valid while in sessions_
  bool cold = true;  // the caller holds no ids of this session yet
  // Guarded by mutex_: false once drop() took it out of sessions_ (drop() is
  // the only way out), so that account() need not look the id up again.
  bool cached = true;
};

SessionTokenCache::SessionTokenCache(std::shared_ptr<const Encoder> encoder, Options options)
    : encoder_(std::move(encoder)), options_(options) {
  options_.max_sessions = std::max<std::size_t>(options_.max_sessions, 1);
}

SessionTokenCache::SessionPtr SessionTokenCache::acquire(std::string_view id, bool* created) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = sessions_.find(id);
  *created = it == sessions_.end();
  if (*created) {
    evict(options_.max_sessions - 1, options_.max_bytes, nullptr);  // room first: the count never exceeds the bound
    auto session = std::make_shared<Session>(std::string(id), encoder_);
    it = sessions_.emplace(session->id, session).first;
    try {
      lru_.push_front(session.get());
    } catch (...) {
      sessions_.erase(it);
      throw;
    }
    session->lru_position = lru_.begin();
  } else {
    lru_.splice(lru_.begin(), lru_, it->second->lru_position);
  }
  return it->second;
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

void SessionTokenCache::drop(SessionMap::iterator it) {
  it->second->cached = false;
  bytes_ -= it->second->accounted_bytes;
  lru_.erase(it->second->lru_position);
  sessions_.erase(it);
}

std::vector<TokenSplice> SessionTokenCache::change(std::string_view id, std::string_view text, bool is_full_prompt,
                                                  bool one_range, TokenDelta* as_delta) {
  bool created = false;
  const SessionPtr session = acquire(id, &created);
  std::unique_lock<std::mutex> session_lock(session->mutex);
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
    // The rollback/append view copies the kept ids: under the session's lock.
    if (as_delta) *as_delta = state.delta_of(std::move(splices.front()));
  }
  const std::size_t bytes = state.memory_bytes() + id.size();
  const std::size_t reused = state.text().size() - std::min(cost.encoded_bytes, state.text().size());
  session_lock.unlock();

  std::lock_guard<std::mutex> lock(mutex_);
  account(session.get(), bytes);
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
  SessionPtr session;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = sessions_.find(id);
    if (it == sessions_.end()) return {};
    session = it->second;
  }
  std::lock_guard<std::mutex> session_lock(session->mutex);
  return session->text.tokens();
}

bool SessionTokenCache::reset(std::string_view id) {
  SessionPtr session;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = sessions_.find(id);
    if (it == sessions_.end()) return false;
    session = it->second;
  }
  std::size_t bytes = 0;
  {
    std::lock_guard<std::mutex> session_lock(session->mutex);
    session->text.replace_from(0, {});
    session->cold = true;
    bytes = session->text.memory_bytes() + id.size();
  }
  std::lock_guard<std::mutex> lock(mutex_);
  account(session.get(), bytes);
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
