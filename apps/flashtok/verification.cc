// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "verification.h"

#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>

#include "cache_replay.h"
#include "cli_support.h"
#include "measure_options.h"

extern "C" const unsigned char flashtok_golden_jsonl[];
extern "C" const unsigned long long flashtok_golden_jsonl_size;

namespace flashtok::cli {
namespace {

// A few ids on either side of index `at`.
std::vector<Rank> around(const std::vector<Rank>& ids, std::size_t at) {
  const std::size_t begin = std::min(ids.size(), at >= 2 ? at - 2 : 0);
  const std::size_t end = std::min(ids.size(), at + 6);
  return std::vector<Rank>(ids.begin() + static_cast<std::ptrdiff_t>(begin),
                           ids.begin() + static_cast<std::ptrdiff_t>(end));
}

// Where two id lists first differ, described for a person.
Mismatch describe_mismatch(const Encoder& encoder, std::string_view text, const std::vector<Rank>& expected,
                           const std::vector<Rank>& got) {
  std::size_t i = 0;
  while (i < expected.size() && i < got.size() && expected[i] == got[i]) ++i;
  Mismatch m;
  m.encoding = encoder.encoding().name();
  m.token_index = i;
  m.byte_offset = encoder.decode_bytes(expected.data(), std::min(i, expected.size())).size();
  m.excerpt = std::string(text.substr(m.byte_offset >= 20 ? m.byte_offset - 20 : 0, 60));
  m.expected = around(expected, i);
  m.got = around(got, i);
  return m;
}

// Counts a mismatch of `tally`, keeping it if it is among the first.
void record(Verification* v, CacheChecks* tally, Mismatch m) {
  ++tally->mismatches;
  if (!tally->first) tally->first = m;
  if (v->first_mismatches.size() < kMaxReportedMismatches) v->first_mismatches.push_back(std::move(m));
}

std::size_t sum(const std::vector<CacheChecks>& rows, std::size_t CacheChecks::*field) {
  std::size_t n = 0;
  for (const auto& row : rows) n += row.*field;
  return n;
}

void check_golden(const std::vector<std::shared_ptr<const Encoder>>& encoders, Verification* v) {
  for (const auto& encoder : encoders) {
    v->golden.push_back({"golden", encoder->encoding().name(), "none (encoder vs tiktoken)", 0, 0, std::nullopt});
  }
  std::string_view lines(reinterpret_cast<const char*>(flashtok_golden_jsonl),
                         static_cast<std::size_t>(flashtok_golden_jsonl_size));
  while (!lines.empty()) {
    const std::size_t eol = lines.find('\n');
    const nlohmann::json line = nlohmann::json::parse(lines.substr(0, eol));
    lines.remove_prefix(eol == std::string_view::npos ? lines.size() : eol + 1);
    for (std::size_t e = 0; e < encoders.size(); ++e) {
      const Encoder& encoder = *encoders[e];
      if (encoder.encoding().name() != line.at("encoding")) continue;
      const std::string text = line.at("text");
      const auto expected = line.at("ids").get<std::vector<Rank>>();
      const auto got = encoder.encode_ordinary(text);
      CacheChecks& tally = v->golden[e];
      ++tally.checks;
      if (got == expected) continue;
      Mismatch m = describe_mismatch(encoder, text, expected, got);
      m.workload = "golden:" + line.at("name").get<std::string>();
      m.cache = tally.cache;
      record(v, &tally, std::move(m));
    }
  }
}

// Sessions are checked as a caller sees them, through their deltas.
void check_workload(const workloads::Workload& workload, const std::shared_ptr<const Encoder>& encoder,
                    const CacheReplay::Options& options, Verification* v) {
  CacheReplay replay(encoder, options);
  std::map<std::string, CacheChecks> per_cache;
  for (std::size_t i = 0; i < workload.requests.size(); ++i) {
    const auto& request = workload.requests[i];
    replay.apply(request);
    const std::string_view text = replay.full_text(request);
    const auto expected = encoder->encode_ordinary(text);
    const auto got = replay.cache_ids(request);
    const std::string cache = replay.cache_of(request);
    CacheChecks& tally = per_cache[cache];
    ++tally.checks;
    if (got == expected) continue;
    Mismatch m = describe_mismatch(*encoder, text, expected, got);
    m.workload = workload.name;
    m.cache = cache;
    m.request = i + 1;
    m.session = request.session;
    record(v, &tally, std::move(m));
  }
  for (auto& [cache, tally] : per_cache) {
    tally.workload = workload.name;
    tally.encoding = encoder->encoding().name();
    tally.cache = cache;
    v->caches.push_back(tally);
  }
}

}  // namespace

std::size_t Verification::golden_checks() const { return sum(golden, &CacheChecks::checks); }
std::size_t Verification::golden_mismatches() const { return sum(golden, &CacheChecks::mismatches); }
std::size_t Verification::checks() const { return golden_checks() + sum(caches, &CacheChecks::checks); }
std::size_t Verification::mismatches() const { return golden_mismatches() + sum(caches, &CacheChecks::mismatches); }

Verification verify_all(const std::vector<std::shared_ptr<const Encoder>>& encoders,
                        const std::vector<workloads::Workload>& workloads, Backtrack backtrack,
                        const SharedPrefixTokenCache::Options& shared) {
  Verification v;
  check_golden(encoders, &v);
  Progress steps("verify", workloads.size() * encoders.size());
  for (const auto& workload : workloads) {
    for (const auto& encoder : encoders) {
      steps.step(workload.name + " " + encoder->encoding().name());
      check_workload(workload, encoder, CacheReplay::Options{backtrack, {}, shared, /*track_deltas=*/true}, &v);
    }
  }
  return v;
}

}  // namespace flashtok::cli
