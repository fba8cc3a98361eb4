// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "cache_replay.h"

#include <algorithm>

namespace flashtok::cli {

using workloads::Request;
using workloads::RequestKind;

const char* cache_name(RequestKind kind) {
  switch (kind) {
    case RequestKind::kAppend: return "append-only";
    case RequestKind::kPrompt:
    case RequestKind::kOutput: return "session";
    case RequestKind::kFixedPrefix: return "fixed-prefix";
    case RequestKind::kText: return "shared-prefix";
  }
  return "?";
}

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
           {{"lookups", p.lookups}, {"hits", p.hits}, {"hit_rate", ratio(static_cast<double>(p.hits), static_cast<double>(p.lookups))},
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

std::size_t CacheReplay::apply(const Request& r) {
  switch (r.kind) {
    case RequestKind::kAppend:
      return append_cache(r.session).append_ordinary(r.text).rollback_tokens;
    case RequestKind::kPrompt:
      session_texts_[r.session] = r.text;
      return session_delta(r.session, sessions_.update(r.session, r.text));
    case RequestKind::kOutput:
      session_texts_[r.session] += r.text;
      return session_delta(r.session, sessions_.append_output(r.session, r.text));
    case RequestKind::kFixedPrefix:
      prefix_cache(r.prefix).encode_tail(r.text, &last_ids_);
      return 0;
    case RequestKind::kText:
      last_ids_ = shared_.encode_ordinary(r.text);
      return 0;
  }
  return 0;
}

std::size_t CacheReplay::session_delta(const std::string& session, const TokenDelta& delta) {
  if (!track_deltas_) return delta.rollback_tokens;
  std::vector<Rank>& ids = session_ids_[session];
  if (delta.restart) ids.clear();
  ids.resize(ids.size() - std::min(delta.rollback_tokens, ids.size()));  // more would show as a mismatch
  ids.insert(ids.end(), delta.tokens_to_append.begin(), delta.tokens_to_append.end());
  return delta.rollback_tokens;
}

std::string_view CacheReplay::full_text(const Request& r) {
  switch (r.kind) {
    case RequestKind::kAppend: return append_cache(r.session).text();
    case RequestKind::kPrompt:
    case RequestKind::kOutput: return session_texts_[r.session];
    case RequestKind::kFixedPrefix:
      joined_ = r.prefix + r.text;
      return joined_;
    case RequestKind::kText: return r.text;
  }
  return {};
}

std::vector<Rank> CacheReplay::cache_ids(const Request& r) const {
  switch (r.kind) {
    case RequestKind::kAppend: return appends_.at(r.session)->tokens();
    case RequestKind::kPrompt:
    case RequestKind::kOutput: return track_deltas_ ? session_ids_.at(r.session) : sessions_.tokens(r.session);
    case RequestKind::kFixedPrefix: {
      std::vector<Rank> ids = prefixes_.at(r.prefix)->stable_tokens();
      ids.insert(ids.end(), last_ids_.begin(), last_ids_.end());
      return ids;
    }
    case RequestKind::kText: return last_ids_;
  }
  return {};
}

std::size_t CacheReplay::history_tokens(const Request& r) const {
  if (r.kind == RequestKind::kPrompt || r.kind == RequestKind::kOutput) return sessions_.tokens(r.session).size();
  if (r.kind != RequestKind::kAppend) return 0;
  const auto it = appends_.find(r.session);
  return it == appends_.end() ? 0 : it->second->size();
}

}  // namespace flashtok::cli
