// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "flashtok/session_token_cache.h"

#include <algorithm>
#include <condition_variable>
#include <functional>
#include <iterator>
#include <limits>
#include <set>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <utility>

#include "cache/tokenized_text.h"

namespace flashtok {

namespace {

// A session's id as a key of its shard's map: a view of the id the session
// owns (the value owns it and goes with it), so that a lookup by a caller's
// id builds no string. The views stay valid: a Session is never moved (it
// lives behind its pointer) and its id is const. Each key carries its hash,
// computed at most once per call (CallerId; it also picks the shard) and kept
// in the session for the lookups of evictions: with
// std::hash<std::string_view> itself libstdc++ compares the caller's id with
// every key of a map of up to 20 sessions instead of hashing it.
struct SessionKey {
  std::string_view id;
  std::size_t hash;
};
struct SessionKeyHash {
  std::size_t operator()(const SessionKey& key) const noexcept { return key.hash; }
};
struct SessionKeyEqual {
  bool operator()(const SessionKey& a, const SessionKey& b) const noexcept { return a.hash == b.hash && a.id == b.id; }
};

// Adds every count of `more` to *sum.
void add_counts(const SessionTokenCache::Stats& more, SessionTokenCache::Stats* sum) {
  sum->updates += more.updates;
  sum->hits += more.hits;
  sum->partial_hits += more.partial_hits;
  sum->misses += more.misses;
  sum->bytes_reused += more.bytes_reused;
  sum->bytes_encoded += more.bytes_encoded;
  sum->evictions += more.evictions;
  sum->oversized += more.oversized;
}

}  // namespace

// Hashed when first asked: with one shard, a call on the most recently used
// session (a stream of appends into one session) hashes nothing.
class SessionTokenCache::CallerId {
 public:
  explicit CallerId(std::string_view id) noexcept : id_(id) {}
  std::string_view id() const noexcept { return id_; }
  std::size_t hash() noexcept {
    if (!hashed_) {
      hash_ = std::hash<std::string_view>{}(id_);
      hashed_ = true;
    }
    return hash_;
  }
  SessionKey key() noexcept { return SessionKey{id_, hash()}; }

 private:
  std::string_view id_;
  std::size_t hash_ = 0;
  bool hashed_ = false;
};

struct SessionTokenCache::Session {
  Session(std::string key, std::size_t key_hash, std::shared_ptr<const Encoder> encoder, Shard& owner)
      : id(std::move(key)), hash(key_hash), shard(owner), text(std::move(encoder)) {}
  const std::string id;
  const std::size_t hash;  // of id
  Shard& shard;            // the part of the cache that holds it
  // Touched by the thread that holds the session, outside the lock, or
  // while no one does by a bounded append under it (append_or_claim()).
  internal::TokenizedText text;
  bool cold = true;  // the caller holds no ids of this session yet
  // The rest is guarded by its shard's mutex.
  std::size_t accounted_bytes = 0;
  // Its place in the least-recently-used order: the shard's clock when it
  // was last claimed, and the key it has in the shard's order, which may
  // be older (order_key <= last_use; evict() catches the order up).
  std::uint64_t last_use = 0;
  std::uint64_t order_key = 0;
  // False once drop() took it out of its shard (drop() is the only way out),
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
  // the lock; its holder also reads it outside.
  std::thread::id holder;
  // Signalled when a claim ends and another waits: only this session's
  // waiters wake. It lives while they wait, since each holds a ticket.
  std::condition_variable released;
  bool claimed() const noexcept { return serving != tickets; }
  // What the bounds count of it; read by its holder, outside the lock.
  std::size_t bytes() const noexcept { return text.memory_bytes() + id.size(); }
  // Applies a prompt (or, if !is_full_prompt, an appended output) to the
  // text of a session the caller holds, outside the lock, and returns the
  // splices (one_range: exactly one); with as_delta (needs one_range), puts
  // the change there in the rollback/append view instead (copying the kept
  // ids) and returns none. Adds what it did to *counts (updates, hits, ...
  // bytes_encoded).
  std::vector<TokenSplice> apply(std::string_view new_text, bool is_full_prompt, bool one_range,
                                 TokenDelta* as_delta, Stats* counts);
  // An appended output into *delta, as per-call appends and streams do it:
  // a cold session through apply() (the caller gets every id), any other
  // through append().
  void append_output(std::string_view tail, TokenDelta* delta, Stats* counts) {
    if (cold) {
      apply(tail, /*is_full_prompt=*/false, /*one_range=*/true, delta, counts);
    } else {
      append(tail, delta, counts);
    }
  }
  // apply() of an appended output into *delta, for a session that is not
  // cold: the delta is the change itself, with no splice to build or
  // convert. What a stream does per chunk, so it is kept this short.
  void append(std::string_view tail, TokenDelta* delta, Stats* counts);
  // append() if the session is not cold and the append's work is bounded
  // whatever the length of the text (TokenizedText::append_bounded), for a
  // caller that holds the shard's lock and no claim; else false with
  // nothing changed.
  bool append_bounded(std::string_view tail, TokenDelta* delta, Stats* counts);
};

// One lock and what it guards: the sessions whose ids hash here, their
// least-recently-used order, their bytes and counts, within this part's
// share of the bounds. A call takes the lock of its session's shard only,
// so that calls on sessions of different shards do not meet. Aligned to a
// cache line: two shards' locks never share one.
struct alignas(64) SessionTokenCache::Shard {
  using SessionMap = std::unordered_map<SessionKey, std::unique_ptr<Session>, SessionKeyHash, SessionKeyEqual>;

  Shard(std::size_t max_count, std::size_t max_byte_count) : max_sessions(max_count), max_bytes(max_byte_count) {}

  // Claims the session for the calling thread, waiting while other threads
  // hold it or wait for it (first come, first served): until release(), only
  // this thread touches its text, and it is not deleted even if evicted
  // meanwhile (a claim is a ticket under the lock, not a second lock and a
  // shared pointer per call). claim() finds or creates it (evicting first to
  // make room) and marks it most recently used; claim_existing() returns
  // nullptr for an unknown id and leaves the order alone.
  Session* claim(CallerId& id, const std::shared_ptr<const Encoder>& encoder);
  Session* claim_existing(CallerId& id);
  // A per-call append_output: appends under the lock and returns nullptr if
  // the session is not claimed and the append's work is bounded (a run of
  // spaces streamed per call: no second lock, no ticket), else claim().
  Session* append_or_claim(CallerId& id, const std::shared_ptr<const Encoder>& encoder, std::string_view tail,
                           TokenDelta* delta);
  // What claim() does before the hold: finds or creates the session and
  // marks it most recently used. Needs mutex. Inline for a stream of calls
  // on one session (it is the most recent already), the rest out of line.
  Session* find_or_create(CallerId& id, const std::shared_ptr<const Encoder>& encoder) {
    if (most_recent != nullptr && most_recent->id == id.id()) return most_recent;
    return find_other_or_create(id, encoder);
  }
  Session* find_other_or_create(CallerId& id, const std::shared_ptr<const Encoder>& encoder);
  // Waits for the session's turn, then holds it; throws SessionHeldError if
  // the calling thread holds it already (an open OutputStream). Needs mutex.
  static void hold(Session* session, std::unique_lock<std::mutex>& lock);
  // Ends a claim; deletes the session if it was dropped meanwhile and no
  // other thread waits for it. Needs mutex.
  static void release(Session* session);
  // Re-accounts the session's bytes and evicts others while over the limits;
  // drops the session itself when it alone is over max_bytes. Needs mutex.
  void account(Session* session, std::size_t bytes);
  // Evicts least recently used sessions other than `keep` while there are
  // more than max_count or more than max_byte_count. Needs mutex.
  void evict(std::size_t max_count, std::size_t max_byte_count, const Session* keep);
  // Forgets a session and its bytes (a claimed one is deleted by its last
  // claim's release). Needs mutex.
  void drop(SessionMap::iterator it);
  // Forgets the session `id`; false if this shard does not hold it.
  bool erase(CallerId& id);
  // Ends a hold after edits: accounts the session's bytes, releases it and
  // adds `counts` to the stats, under one lock.
  void finish(Session* session, const Stats& counts);
  // Accounts the grown bytes of a session an OutputStream holds; what the
  // stream then counts as accounted (SIZE_MAX: the session is no longer kept).
  std::size_t account_growth(Session* session, std::size_t bytes);
  // Makes the calling thread the holder of a session an OutputStream holds:
  // the stream was moved to it (an async server resuming on another thread),
  // so its calls on the session now throw and the old thread's wait.
  void move_hold(Session* session);

  const std::size_t max_sessions;  // this shard's share of the bounds
  const std::size_t max_bytes;
  // Guards everything below and its sessions' claims. Held while encoding
  // only for an append whose work is bounded (append_or_claim()).
  std::mutex mutex;
  // The least-recently-used order, kept without writing any session but the
  // one used: a claim stamps the session with the shard's clock, and the
  // order (by a key at most that stamp) is caught up only when evicting.
  // With two threads, a list spliced on every claim wrote the list nodes of
  // the sessions around the one used, which the other thread was using, so
  // their cache lines moved between the cores on most calls.
  std::set<std::pair<std::uint64_t, Session*>> lru;  // by order_key; each also in sessions
  std::uint64_t clock = 0;          // stamps claims: the newest claim has the largest
  Session* most_recent = nullptr;   // the session of the newest claim, while kept
  SessionMap sessions;
  std::size_t bytes = 0;
  Stats stats;
};

SessionTokenCache::SessionTokenCache(std::shared_ptr<const Encoder> encoder, Options options)
    : encoder_(std::move(encoder)), options_(options) {
  options_.max_sessions = std::max<std::size_t>(options_.max_sessions, 1);
  options_.shards = std::clamp<std::size_t>(options_.shards, 1, std::min(options_.max_sessions, Options::kMaxShards));
  shards_.reserve(options_.shards);
  for (std::size_t i = 0; i < options_.shards; ++i) {
    shards_.push_back(std::make_unique<Shard>(options_.max_sessions / options_.shards,
                                              options_.max_bytes / options_.shards));
  }
}

SessionTokenCache::~SessionTokenCache() = default;

SessionTokenCache::Shard& SessionTokenCache::shard_of(CallerId& id) const noexcept {
  if (shards_.size() == 1) return *shards_.front();
  // The map's buckets take the hash modulo a prime; the shards its top bits.
  return *shards_[(id.hash() >> 32) % shards_.size()];
}

SessionTokenCache::Session* SessionTokenCache::Shard::claim(CallerId& id,
                                                            const std::shared_ptr<const Encoder>& encoder) {
  std::unique_lock<std::mutex> lock(mutex);
  Session* const session = find_or_create(id, encoder);
  hold(session, lock);
  return session;
}

SessionTokenCache::Session* SessionTokenCache::Shard::append_or_claim(CallerId& id,
                                                                      const std::shared_ptr<const Encoder>& encoder,
                                                                      std::string_view tail, TokenDelta* delta) {
  std::unique_lock<std::mutex> lock(mutex);
  Session* const session = find_or_create(id, encoder);
  // Unclaimed, the session's text is touched by no one but the holder of
  // this lock; the append's work is bounded, so other sessions' calls wait
  // for it no longer than for the lock's other work; and it grows no buffer,
  // so the session's bytes need no accounting.
  if (!session->claimed() && session->append_bounded(tail, delta, &stats)) return nullptr;
  hold(session, lock);
  return session;
}

SessionTokenCache::Session* SessionTokenCache::Shard::find_other_or_create(
    CallerId& id, const std::shared_ptr<const Encoder>& encoder) {
  Session* session = nullptr;
  if (const auto it = sessions.find(id.key()); it != sessions.end()) {
    session = it->second.get();
    session->last_use = ++clock;
  } else {
    evict(max_sessions - 1, max_bytes, nullptr);  // room first: the count never exceeds the bound
    auto owned = std::make_unique<Session>(std::string(id.id()), id.hash(), encoder, *this);
    session = owned.get();
    session->last_use = session->order_key = ++clock;
    const auto placed = lru.emplace(session->order_key, session).first;
    try {
      sessions.emplace(SessionKey{session->id, session->hash}, std::move(owned));
    } catch (...) {
      lru.erase(placed);
      throw;
    }
  }
  most_recent = session;
  return session;
}

SessionTokenCache::Session* SessionTokenCache::Shard::claim_existing(CallerId& id) {
  std::unique_lock<std::mutex> lock(mutex);
  const auto it = sessions.find(id.key());
  if (it == sessions.end()) return nullptr;
  // Not it->second after the hold: the wait lets go of the lock, and an
  // eviction meanwhile erases the entry `it` points to.
  Session* const session = it->second.get();
  hold(session, lock);
  return session;
}

void SessionTokenCache::Shard::hold(Session* session, std::unique_lock<std::mutex>& lock) {
  const std::thread::id self = std::this_thread::get_id();
  if (session->holder == self) {  // only an open OutputStream holds it between calls
    throw SessionHeldError("flashtok::SessionTokenCache: the session is held by an OutputStream of this thread");
  }
  // From here on it is not deleted, even if evicted while this thread waits.
  const std::uint64_t ticket = session->tickets++;
  session->released.wait(lock, [session, ticket] { return session->serving == ticket; });
  session->holder = self;
}

void SessionTokenCache::Shard::release(Session* session) {
  session->holder = std::thread::id();
  ++session->serving;
  if (session->claimed()) {
    session->released.notify_all();  // rare: two threads on one session (each waiter checks its ticket)
  } else if (!session->cached) {
    delete session;  // drop() left it to its last claim
  }
}

void SessionTokenCache::Shard::account(Session* session, std::size_t new_bytes) {
  if (!session->cached) return;  // evicted or erased meanwhile
  if (new_bytes > max_bytes) {  // no eviction could make room for it
    drop(sessions.find(SessionKey{session->id, session->hash}));
    ++stats.oversized;
    return;
  }
  bytes = bytes - session->accounted_bytes + new_bytes;
  session->accounted_bytes = new_bytes;
  evict(max_sessions, max_bytes, session);
}

// Exact LRU: every key is at most its session's last_use, so once the first
// candidate's key is its last_use, every other session's last claim is newer.
// A candidate claimed since it was placed moves to its last_use (a node
// moved within the set: nothing allocates), once per claim at most.
void SessionTokenCache::Shard::evict(std::size_t max_count, std::size_t max_byte_count, const Session* keep) {
  auto over = [&] { return sessions.size() > max_count || bytes > max_byte_count; };
  // Every call of a session ends here (account()); almost all are within
  // the bounds, and then the order is not read at all.
  if (!over()) return;
  auto first_candidate = [&] {
    auto it = lru.begin();
    return it != lru.end() && it->second == keep ? std::next(it) : it;
  };
  for (auto candidate = first_candidate(); over() && candidate != lru.end(); candidate = first_candidate()) {
    Session* const session = candidate->second;
    if (session->order_key != session->last_use) {
      auto node = lru.extract(candidate);
      node.value().first = session->order_key = session->last_use;
      lru.insert(std::move(node));
    } else {
      drop(sessions.find(SessionKey{session->id, session->hash}));  // erases only the candidate
      ++stats.evictions;
    }
  }
}

void SessionTokenCache::Shard::drop(SessionMap::iterator it) {
  Session* session = it->second.get();
  session->cached = false;
  bytes -= session->accounted_bytes;
  lru.erase({session->order_key, session});
  if (most_recent == session) most_recent = nullptr;
  if (session->claimed()) it->second.release();  // the last claim's release() deletes it
  sessions.erase(it);
}

bool SessionTokenCache::Shard::erase(CallerId& id) {
  std::lock_guard<std::mutex> lock(mutex);
  const auto it = sessions.find(id.key());
  if (it == sessions.end()) return false;
  drop(it);
  return true;
}

void SessionTokenCache::Shard::finish(Session* session, const Stats& counts) {
  const std::size_t new_bytes = session->bytes();
  std::lock_guard<std::mutex> lock(mutex);
  // Most appends grow no buffer (the bytes are capacities): the shard is
  // then still within its bounds, which every change that grew kept.
  if (new_bytes != session->accounted_bytes) account(session, new_bytes);
  release(session);
  add_counts(counts, &stats);
}

std::size_t SessionTokenCache::Shard::account_growth(Session* session, std::size_t new_bytes) {
  std::lock_guard<std::mutex> lock(mutex);
  account(session, new_bytes);
  return session->cached ? new_bytes : std::numeric_limits<std::size_t>::max();
}

void SessionTokenCache::Shard::move_hold(Session* session) {
  std::lock_guard<std::mutex> lock(mutex);
  session->holder = std::this_thread::get_id();
}

// A claimed session, released on every way out: by release_locked() under
// the lock the caller takes anyway, by its shard's finish() after dismiss(),
// or, if the work on the session throws, by the destructor under a lock of
// its own.
class SessionTokenCache::Claim {
 public:
  explicit Claim(Session* session) noexcept : session_(session) {}
  Claim(const Claim&) = delete;
  Claim& operator=(const Claim&) = delete;
  ~Claim() {
    if (session_ == nullptr) return;
    std::lock_guard<std::mutex> lock(session_->shard.mutex);
    Shard::release(session_);
  }
  Session* session() const noexcept { return session_; }
  void release_locked() { Shard::release(std::exchange(session_, nullptr)); }  // needs the shard's mutex
  Session* dismiss() noexcept { return std::exchange(session_, nullptr); }  // the caller releases it

 private:
  Session* session_;  // nullptr: nothing claimed, or released
};

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

// count_change() of an append of `appended` bytes to old_size.
void count_append(bool restart, std::size_t old_size, std::size_t appended, SessionTokenCache::Stats* counts) {
  internal::TokenizedText::EditCost cost;
  cost.prefix_bytes = old_size;
  cost.encoded_bytes = appended;
  count_change(restart, old_size, old_size + appended, cost, counts);
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

void SessionTokenCache::Session::append(std::string_view tail, TokenDelta* delta, Stats* counts) {
  const std::size_t old_size = text.text().size();
  text.replace_from(old_size, tail, delta);
  count_append(delta->restart, old_size, tail.size(), counts);
}

bool SessionTokenCache::Session::append_bounded(std::string_view tail, TokenDelta* delta, Stats* counts) {
  const std::size_t old_size = text.text().size();
  if (cold || !text.append_bounded(tail, delta)) return false;
  count_append(delta->restart, old_size, tail.size(), counts);
  return true;
}

std::vector<TokenSplice> SessionTokenCache::Session::apply(std::string_view new_text, bool is_full_prompt,
                                                          bool one_range, TokenDelta* as_delta, Stats* counts) {
  internal::TokenizedText& state = text;
  const std::size_t old_size = state.text().size();
  internal::TokenizedText::EditCost cost;
  std::vector<TokenSplice> splices;
  bool restart = false;
  if (is_full_prompt && !one_range) {
    splices = state.splices_to(new_text, &cost);
  } else if (is_full_prompt) {
    splices.push_back(state.splice_to(new_text, &cost, /*room_for_kept=*/as_delta != nullptr));
  } else {
    cost.prefix_bytes = old_size;
    splices.push_back(internal::splice_of(state.replace_from(old_size, new_text)));
    cost.encoded_bytes = new_text.size();
  }
  if (cold) {  // the caller starts from nothing: everything is new
    as_restart(state, &splices);
    cold = false;
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

std::vector<TokenSplice> SessionTokenCache::change(std::string_view id, std::string_view full_prompt, bool one_range,
                                                  TokenDelta* as_delta) {
  CallerId caller(id);
  Claim claimed(shard_of(caller).claim(caller, encoder_));
  Stats counts;
  std::vector<TokenSplice> splices =
      claimed.session()->apply(full_prompt, /*is_full_prompt=*/true, one_range, as_delta, &counts);
  Session* const session = claimed.dismiss();
  session->shard.finish(session, counts);
  return splices;
}

TokenDelta SessionTokenCache::update(std::string_view session, std::string_view full_prompt) {
  TokenDelta delta;
  change(session, full_prompt, /*one_range=*/true, &delta);
  return delta;
}

TokenSplice SessionTokenCache::update_splice(std::string_view session, std::string_view full_prompt) {
  return std::move(change(session, full_prompt, /*one_range=*/true, nullptr).front());
}

std::vector<TokenSplice> SessionTokenCache::update_splices(std::string_view session, std::string_view full_prompt) {
  return change(session, full_prompt, /*one_range=*/false, nullptr);
}

TokenDelta SessionTokenCache::append_output(std::string_view session, std::string_view text) {
  TokenDelta delta;
  append_output(session, text, &delta);
  return delta;
}

// Not through change(): no splices to build, since this runs once per chunk
// for a caller streaming per call.
void SessionTokenCache::append_output(std::string_view id, std::string_view text, TokenDelta* delta) {
  CallerId caller(id);
  Session* const held = shard_of(caller).append_or_claim(caller, encoder_, text, delta);
  if (held == nullptr) return;  // appended under the shard's lock
  Claim claimed(held);
  Session* const session = claimed.session();
  Stats counts;
  session->append_output(text, delta, &counts);
  session->shard.finish(claimed.dismiss(), counts);
}

SessionTokenCache::OutputStream SessionTokenCache::open_output(std::string_view session) {
  CallerId caller(session);
  return OutputStream(shard_of(caller).claim(caller, encoder_));
}

SessionTokenCache::OutputStream::OutputStream(OutputStream&& other) noexcept
    : session_(std::exchange(other.session_, nullptr)), counts_(other.counts_), accounted_(other.accounted_) {}

SessionTokenCache::OutputStream& SessionTokenCache::OutputStream::operator=(OutputStream&& other) noexcept {
  if (this != &other) {
    close();
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
  if (session_->holder != std::this_thread::get_id()) session_->shard.move_hold(session_);
  session_->append_output(text, delta, &counts_);
  // The bytes are capacities: they change only when a buffer grows (a
  // vector doubles, a block of 256 piece records starts), so the lock is
  // taken about once per hundred pieces or less, not once per append.
  const std::size_t bytes = session_->bytes();
  if (bytes > accounted_) accounted_ = session_->shard.account_growth(session_, bytes);
}

void SessionTokenCache::OutputStream::close() {
  if (session_ == nullptr) return;
  Session* const session = std::exchange(session_, nullptr);
  session->shard.finish(session, counts_);
  counts_ = Stats{};
  accounted_ = 0;
}

std::vector<Rank> SessionTokenCache::tokens(std::string_view id) const {
  CallerId caller(id);
  Shard& shard = shard_of(caller);
  Claim claimed(shard.claim_existing(caller));
  if (claimed.session() == nullptr) return {};
  std::vector<Rank> tokens = claimed.session()->text.tokens();
  std::lock_guard<std::mutex> lock(shard.mutex);
  claimed.release_locked();
  return tokens;
}

bool SessionTokenCache::reset(std::string_view id) {
  CallerId caller(id);
  Shard& shard = shard_of(caller);
  Claim claimed(shard.claim_existing(caller));
  Session* const session = claimed.session();
  if (session == nullptr) return false;
  session->text.replace_from(0, {});
  session->cold = true;
  shard.finish(claimed.dismiss(), Stats{});
  return true;
}

bool SessionTokenCache::erase(std::string_view id) {
  CallerId caller(id);
  return shard_of(caller).erase(caller);
}

// The sums below lock one shard at a time: with more than one, each is the
// sum of snapshots taken one after another, not one snapshot.
SessionTokenCache::Stats SessionTokenCache::stats() const {
  Stats sum;
  for (const auto& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard->mutex);
    add_counts(shard->stats, &sum);
  }
  return sum;
}

std::size_t SessionTokenCache::session_count() const {
  std::size_t count = 0;
  for (const auto& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard->mutex);
    count += shard->sessions.size();
  }
  return count;
}

std::size_t SessionTokenCache::memory_bytes() const {
  std::size_t bytes = 0;
  for (const auto& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard->mutex);
    bytes += shard->bytes;
  }
  return bytes;
}

}  // namespace flashtok
