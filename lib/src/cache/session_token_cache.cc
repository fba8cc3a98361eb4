// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "flashtok/session_token_cache.h"

#include <algorithm>
#include <condition_variable>
#include <iterator>
#include <limits>
#include <stdexcept>
#include <thread>
#include <utility>

#include "cache/tokenized_text.h"

namespace flashtok {

struct SessionTokenCache::Session {
  Session(std::string key, std::shared_ptr<const Encoder> encoder) : id(std::move(key)), text(std::move(encoder)) {}
  const std::string id;
  // Touched only by the thread that holds the session, outside mutex_.
  internal::TokenizedText text;
  bool cold = true;  // the caller holds no ids of this session yet
  // The rest is guarded by the cache's mutex_.
  std::size_t accounted_bytes = 0;
  std::list<Session*>::iterator lru_position;  // valid while in sessions_
  // False once drop() took it out of sessions_ (drop() is the only way out),
  // so that account() need not look the id up again.
  bool cached = true;
  // Claims are served in the order they came (a ticket each), so that a
  // thread that updates the session in a loop cannot starve one waiting for
  // it. Tickets below `serving` are done; `serving` holds the session if it
  // is below `tickets`, and the tickets after it wait. The session lives
  // while any claim does.
  std::uint64_t tickets = 0;
  std::uint64_t serving = 0;
  // The thread that holds it now (none while no one does): for an
  // OutputStream, the thread that last appended through it. Written under
  // mutex_; its holder also reads it outside.
  std::thread::id holder;
  // Signalled when a claim ends and another waits: only this session's
  // waiters wake. It lives while they wait, since each holds a ticket.
  std::condition_variable released;
  bool claimed() const noexcept { return serving != tickets; }
  // What the bounds count of it; read by its holder, outside mutex_.
  std::size_t bytes() const noexcept { return text.memory_bytes() + id.size(); }
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
  } else if (const auto it = sessions_.find(key_of(id)); it != sessions_.end()) {
    session = it->second.get();
    lru_.splice(lru_.begin(), lru_, session->lru_position);
  } else {
    evict(options_.max_sessions - 1, options_.max_bytes, nullptr);  // room first: the count never exceeds the bound
    auto owned = std::make_unique<Session>(std::string(id), encoder_);
    session = owned.get();
    lru_.push_front(session);
    try {
      sessions_.emplace(key_of(session->id), std::move(owned));
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
  const auto it = sessions_.find(key_of(id));
  if (it == sessions_.end()) return nullptr;
  // Not it->second after the hold: the wait lets go of mutex_, and an
  // eviction meanwhile erases the entry `it` points to.
  Session* const session = it->second.get();
  hold(session, lock);
  return session;
}

void SessionTokenCache::hold(Session* session, std::unique_lock<std::mutex>& lock) const {
  const std::thread::id self = std::this_thread::get_id();
  if (session->holder == self) {  // only an open OutputStream holds it between calls
    throw SessionHeldError("flashtok::SessionTokenCache: the session is held by an OutputStream of this thread");
  }
  // From here on it is not deleted, even if evicted while this thread waits.
  const std::uint64_t ticket = session->tickets++;
  session->released.wait(lock, [session, ticket] { return session->serving == ticket; });
  session->holder = self;
}

void SessionTokenCache::release(Session* session) const {
  session->holder = std::thread::id();
  ++session->serving;
  if (session->claimed()) {
    session->released.notify_all();  // rare: two threads on one session (each waiter checks its ticket)
  } else if (!session->cached) {
    delete session;  // drop() left it to its last claim
  }
}

void SessionTokenCache::account(Session* session, std::size_t bytes) {
  if (!session->cached) return;  // evicted or erased meanwhile
  if (bytes > options_.max_bytes) {  // no eviction could make room for it
    drop(sessions_.find(key_of(session->id)));
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
    drop(sessions_.find(key_of((*candidate)->id)));  // erases only the candidate: `next` stays valid
    ++stats_.evictions;
  }
}

// A claimed session, released on every way out: by release_locked() under
// the lock the caller takes anyway, by finish() after dismiss(), or, if the
// work on the session throws, by the destructor under a lock of its own.
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
  Session* dismiss() noexcept { return std::exchange(session_, nullptr); }  // the caller releases it

 private:
  const SessionTokenCache& cache_;
  Session* session_;  // nullptr: nothing claimed, or released
};

void SessionTokenCache::drop(SessionMap::iterator it) {
  Session* session = it->second.get();
  session->cached = false;
  bytes_ -= session->accounted_bytes;
  lru_.erase(session->lru_position);
  if (session->claimed()) it->second.release();  // the last claim's release() deletes it
  sessions_.erase(it);
}

namespace {

// Adds one update or append to *counts: a hit if it extended the old text,
// a partial hit if it kept some of it, else a miss.
void count_change(bool restart, std::size_t old_size, std::size_t new_size,
                  const internal::TokenizedText::EditCost& cost, SessionTokenCache::Stats* counts) {
  const std::size_t reused = new_size - std::min(cost.encoded_bytes, new_size);
  ++counts->updates;
  if (!restart && cost.prefix_bytes == old_size && old_size > 0) {
    ++counts->hits;
  } else if (!restart && reused > 0) {
    ++counts->partial_hits;
  } else {
    ++counts->misses;
  }
  counts->bytes_reused += reused;
  counts->bytes_encoded += cost.encoded_bytes;
}

// The splices of a change for a caller that holds no ids of the session
// (a cold one): one restart with every id. The session's text was empty, so
// its one splice usually holds every id already: marked, rather than the
// ids copied again.
void as_restart(const internal::TokenizedText& state, std::vector<TokenSplice>* splices) {
  const bool covers_all = splices->size() == 1 && splices->front().first_changed == 0 &&
                          splices->front().replacement.size() == state.tokens().size();
  if (!covers_all) {
    splices->assign(1, TokenSplice{});
    splices->front().replacement = state.tokens();
  }
  splices->front().restart = true;
}

}  // namespace

std::vector<TokenSplice> SessionTokenCache::change(std::string_view id, std::string_view text, bool is_full_prompt,
                                                  bool one_range, TokenDelta* as_delta) {
  Claim claimed(*this, claim(id));
  Stats counts;
  std::vector<TokenSplice> splices = edit(claimed.session(), text, is_full_prompt, one_range, as_delta, &counts);
  finish(claimed.dismiss(), counts);
  return splices;
}

std::vector<TokenSplice> SessionTokenCache::edit(Session* session, std::string_view text, bool is_full_prompt,
                                                bool one_range, TokenDelta* as_delta, Stats* counts) {
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
    as_restart(state, &splices);
    session->cold = false;
  }
  if (!splices.empty()) {
    restart = splices.front().restart;
    // The rollback/append view copies the kept ids: while the session is held.
    if (as_delta) *as_delta = state.delta_of(std::move(splices.front()));
  }
  count_change(restart, old_size, state.text().size(), cost, counts);
  if (as_delta) splices.clear();
  return splices;
}

void SessionTokenCache::finish(Session* session, const Stats& counts) {
  const std::size_t bytes = session->bytes();
  std::lock_guard<std::mutex> lock(mutex_);
  account(session, bytes);
  release(session);
  stats_.updates += counts.updates;
  stats_.hits += counts.hits;
  stats_.partial_hits += counts.partial_hits;
  stats_.misses += counts.misses;
  stats_.bytes_reused += counts.bytes_reused;
  stats_.bytes_encoded += counts.bytes_encoded;
}

void SessionTokenCache::move_hold(Session* session) {
  std::lock_guard<std::mutex> lock(mutex_);
  session->holder = std::this_thread::get_id();
}

std::size_t SessionTokenCache::account_growth(Session* session, std::size_t bytes) {
  std::lock_guard<std::mutex> lock(mutex_);
  account(session, bytes);
  return session->cached ? bytes : std::numeric_limits<std::size_t>::max();
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

SessionTokenCache::OutputStream SessionTokenCache::open_output(std::string_view session) {
  return OutputStream(this, claim(session));
}

SessionTokenCache::OutputStream::OutputStream(OutputStream&& other) noexcept
    : cache_(other.cache_),
      session_(std::exchange(other.session_, nullptr)),
      counts_(other.counts_),
      accounted_(other.accounted_) {}

SessionTokenCache::OutputStream& SessionTokenCache::OutputStream::operator=(OutputStream&& other) noexcept {
  if (this != &other) {
    close();
    cache_ = other.cache_;
    session_ = std::exchange(other.session_, nullptr);
    counts_ = other.counts_;
    accounted_ = other.accounted_;
  }
  return *this;
}

SessionTokenCache::OutputStream::~OutputStream() { close(); }

TokenDelta SessionTokenCache::OutputStream::append_output(std::string_view text) {
  TokenDelta delta;
  append_output(text, &delta);
  return delta;
}

void SessionTokenCache::OutputStream::append_output(std::string_view text, TokenDelta* delta) {
  if (session_ == nullptr) throw std::logic_error("flashtok::SessionTokenCache::OutputStream: append after close");
  if (session_->holder != std::this_thread::get_id()) cache_->move_hold(session_);
  cache_->edit(session_, text, /*is_full_prompt=*/false, /*one_range=*/true, delta, &counts_);
  // The bytes are capacities: they change only when a buffer grows (a
  // vector doubles, a block of 256 piece records starts), so the lock is
  // taken about once per hundred pieces or less, not once per append.
  const std::size_t bytes = session_->bytes();
  if (bytes > accounted_) accounted_ = cache_->account_growth(session_, bytes);
}

void SessionTokenCache::OutputStream::close() {
  if (session_ == nullptr) return;
  cache_->finish(std::exchange(session_, nullptr), counts_);
  counts_ = Stats{};
  accounted_ = 0;
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
  finish(claimed.dismiss(), Stats{});
  return true;
}

bool SessionTokenCache::erase(std::string_view id) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = sessions_.find(key_of(id));
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
