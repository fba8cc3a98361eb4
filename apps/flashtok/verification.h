// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_APPS_VERIFICATION_H_
#define FLASHTOK_APPS_VERIFICATION_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "flashtok/flashtok.h"
#include "flashtok/workloads/request.h"

namespace flashtok::cli {

// Where a cache's ids (or the encoder's, against tiktoken's) first differ
// from the expected ones.
struct Mismatch {
  std::string workload, encoding, cache;
  std::optional<std::size_t> request;  // 1-based; none for a golden text
  std::string session;
  std::size_t token_index = 0, byte_offset = 0;
  std::string excerpt;                 // about 60 bytes of text around the byte
  std::vector<Rank> expected, got;     // a few ids on either side of the token
};

// The checks of one cache on one workload in one encoding (or of the
// encoder on the golden texts).
struct CacheChecks {
  std::string workload, encoding, cache;
  std::size_t checks = 0, mismatches = 0;
  std::optional<Mismatch> first;  // the first of the mismatches
};

// What verify found: data only; verify_report.h turns it into reports.
struct Verification {
  std::vector<CacheChecks> golden;  // per encoding: the encoder against tiktoken's ids
  std::vector<CacheChecks> caches;
  std::vector<Mismatch> first_mismatches;  // at most kMaxReportedMismatches, golden texts first

  std::size_t golden_checks() const;
  std::size_t golden_mismatches() const;
  std::size_t checks() const;      // golden texts included
  std::size_t mismatches() const;  // golden texts included
};

inline constexpr std::size_t kMaxReportedMismatches = 20;

// Every encoder against tiktoken's ids for the golden texts, and every cache
// against a full encode after every request of every workload.
Verification verify_all(const std::vector<std::shared_ptr<const Encoder>>& encoders,
                        const std::vector<workloads::Workload>& workloads, Backtrack backtrack,
                        const SharedPrefixTokenCache::Options& shared);

}  // namespace flashtok::cli

#endif  // FLASHTOK_APPS_VERIFICATION_H_
