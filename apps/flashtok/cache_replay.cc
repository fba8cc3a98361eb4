// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "cache_replay.h"

#include <algorithm>

namespace flashtok::cli {

using workloads::Request;
using workloads::RequestKind;

namespace {

CacheReplay::Change change_of(const TokenDelta& delta) {
  return {delta.rollback_tokens, delta.tokens_to_append.size(), delta.replacement_tokens};
}

}  // namespace

CacheReplay::CacheReplay(std::shared_ptr<const Encoder> encoder, Options options)
    : encoder_(encoder),
      backtrack_(options.backtrack),
      sessions_(encoder, options.sessions),
      track_deltas_(options.track_deltas),
      shared_(encoder, options.shared) {}

nlohmann::json CacheReplay::stats() const {
  const auto ratio = [](double part, double whole) { return whole > 0 ? part / whole : 0.0; };
  const SessionTokenCache::Stats s = sessions_.stats();
  const SharedPrefixTokenCache::Stats p = shared_.stats();
  return {{"session",
           {{"updates", s.updates}, {"hits", s.hits}, {"partial_hits", s.partial_hits}, {"misses", s.misses},
            {"evictions", s.evictions},
            {"reuse_ratio", ratio(static_cast<double>(s.bytes_reused),
                                  static_cast<double>(s.bytes_reused + s.bytes_encoded))}}},
          {"shared-prefix",
           {{"lookups", p.lookups}, {"hits", p.hits}, {"partial_hits", p.partial_hits},
            {"hit_rate", ratio(static_cast<double>(p.hits), static_cast<double>(p.lookups))},
            {"bytes_reused", p.bytes_reused},
            {"tokens_reused", p.tokens_reused}, {"blocks_inserted", p.blocks_inserted}, {"evictions", p.evictions},
            {"blocks", shared_.block_count()}, {"short_texts", p.short_texts}, {"blocks_deferred", p.blocks_deferred}}}};
}

AppendOnlyTokenCache& CacheReplay::append_cache(const std::string& session) {
  auto& slot = appends_[session];
  if (!slot) slot = std::make_unique<AppendOnlyTokenCache>(encoder_, std::string_view(), backtrack_);
  return *slot;
}

const FixedPrefixTokenCache& CacheReplay::prefix_cache(const std::string& prefix) {
  auto& slot = prefixes_[prefix];
  if (!slot) slot = std::make_unique<FixedPrefixTokenCache>(encoder_, prefix);
  return *slot;
}

CacheReplay::Home CacheReplay::home_of(const std::string& session) const {
  const auto it = homes_.find(session);
  return it == homes_.end() ? Home::kNone : it->second;
}

CacheReplay::Home CacheReplay::settle(const Request& r) {
  Home& home = homes_[r.session];
  if (home == Home::kNone) home = r.kind == RequestKind::kAppend ? Home::kAppendOnly : Home::kSessionCache;
  if (home == Home::kAppendOnly && r.kind == RequestKind::kPrompt) {
    appends_.erase(r.session);  // the prompt is the whole text now: the session cache takes it from here
    home = Home::kSessionCache;
  }
  return home;
}

const char* CacheReplay::cache_of(const Request& r) const {
  switch (r.kind) {
    case RequestKind::kFixedPrefix: return "fixed-prefix";
    case RequestKind::kText: return "shared-prefix";
    case RequestKind::kAppend: return home_of(r.session) == Home::kSessionCache ? "session" : "append-only";
    case RequestKind::kPrompt:
    case RequestKind::kOutput: return home_of(r.session) == Home::kAppendOnly ? "append-only" : "session";
  }
  return "?";
}

CacheReplay::Change CacheReplay::apply(const Request& r) {
  if (is_session_line(r.kind)) {
    if (settle(r) == Home::kAppendOnly) return change_of(append_cache(r.session).append_ordinary(r.text));
    if (r.kind != RequestKind::kPrompt) return append_to_session(r.session, r.text);
    SessionText& now = session_texts_[r.session];
    now.prompt = &r.text;
    now.outputs.clear();
    return session_splices(r.session, sessions_.update_splices(r.session, r.text));
  }
  if (r.kind == RequestKind::kFixedPrefix) {
    prefix_cache(r.prefix).encode_tail(r.text, &last_ids_);
  } else {
    last_ids_ = shared_.encode_ordinary(r.text);
  }
  return {};
}

CacheReplay::Change CacheReplay::append_to_session(const std::string& session, const std::string& text) {
  session_texts_[session].outputs += text;
  return session_delta(session, sessions_.append_output(session, text));
}

CacheReplay::Change CacheReplay::session_delta(const std::string& session, const TokenDelta& delta) {
  if (!track_deltas_) return change_of(delta);
  std::vector<Rank>& ids = session_ids_[session];
  if (delta.restart) ids.clear();
  ids.resize(ids.size() - std::min(delta.rollback_tokens, ids.size()));  // more would show as a mismatch
  ids.insert(ids.end(), delta.tokens_to_append.begin(), delta.tokens_to_append.end());
  return change_of(delta);
}

CacheReplay::Change CacheReplay::session_splices(const std::string& session, const std::vector<TokenSplice>& splices) {
  if (splices.empty()) return {};
  std::vector<Rank>* ids = track_deltas_ ? &session_ids_[session] : nullptr;
  if (ids && splices.front().restart) ids->clear();
  Change change;
  std::size_t old_after = 0;  // old ids from the first changed one on
  std::size_t new_after = 0;
  for (const TokenSplice& splice : splices) {  // front to back, as a caller applies them
    old_after += splice.replaced_tokens + splice.kept_tokens;
    new_after += splice.replacement.size() + splice.kept_tokens;
    change.changed_tokens += splice.replacement.size();
    if (!ids) continue;
    const std::size_t at = std::min(splice.first_changed, ids->size());  // more would show as a mismatch
    const auto from = ids->begin() + static_cast<std::ptrdiff_t>(at);
    ids->erase(from, from + static_cast<std::ptrdiff_t>(std::min(splice.replaced_tokens, ids->size() - at)));
    ids->insert(ids->begin() + static_cast<std::ptrdiff_t>(at), splice.replacement.begin(), splice.replacement.end());
  }
  change.rollback_tokens = old_after;
  change.reencoded_tokens = new_after;
  return change;
}

std::string_view CacheReplay::full_text(const Request& r) {
  if (is_session_line(r.kind)) {
    if (home_of(r.session) == Home::kAppendOnly) return append_cache(r.session).text();
    SessionText& now = session_texts_[r.session];
    if (now.outputs.empty()) return now.prompt ? std::string_view(*now.prompt) : std::string_view();
    now.joined.assign(now.prompt ? *now.prompt : std::string());
    now.joined += now.outputs;
    return now.joined;
  }
  if (r.kind == RequestKind::kFixedPrefix) {
    joined_ = r.prefix + r.text;
    return joined_;
  }
  return r.text;
}

std::vector<Rank> CacheReplay::cache_ids(const Request& r) const {
  if (is_session_line(r.kind)) {
    if (home_of(r.session) == Home::kAppendOnly) return appends_.at(r.session)->tokens();
    return track_deltas_ ? session_ids_.at(r.session) : sessions_.tokens(r.session);
  }
  if (r.kind == RequestKind::kText) return last_ids_;
  std::vector<Rank> ids = prefixes_.at(r.prefix)->stable_tokens();
  ids.insert(ids.end(), last_ids_.begin(), last_ids_.end());
  return ids;
}

std::size_t CacheReplay::history_tokens(const Request& r) const {
  if (!is_session_line(r.kind)) return 0;
  switch (home_of(r.session)) {
    case Home::kSessionCache: return sessions_.tokens(r.session).size();
    case Home::kAppendOnly: return appends_.at(r.session)->size();
    case Home::kNone: return 0;
  }
  return 0;
}

}  // namespace flashtok::cli
