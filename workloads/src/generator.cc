// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "flashtok/workloads/generator.h"

#include <algorithm>
#include <cmath>

namespace flashtok::workloads {

std::size_t Size::of(std::size_t n, std::size_t at_least) const {
  double scaled = static_cast<double>(n) * std::max(scale, 0.0);
  if (quick) scaled /= 10.0;
  return std::max(at_least, static_cast<std::size_t>(std::llround(scaled)));
}

Workload make_shared_prefix_grouped(std::uint64_t seed, Size size) { return make_shared_prefix(seed, size, false); }
Workload make_shared_prefix_shuffled(std::uint64_t seed, Size size) { return make_shared_prefix(seed, size, true); }

const std::vector<WorkloadInfo>& workload_catalog() {
  static const std::vector<WorkloadInfo> catalog = {
      {"voice", "real-time voice agent: long system prompt, short spoken turns, append-only; p99 per turn", make_voice},
      {"ide", "IDE copilot: fixed system prompt + project code context, a new suffix per request", make_ide},
      {"mobile", "on-device chat growing past 32K tokens, append-only; total CPU time", make_mobile},
      {"sessions", "several users interleaved sending full prompts, with edits, regenerations, truncation",
       make_sessions},
      {"shared-prefix", "few-shot templates shared by many questions (shared prefix cache), grouped",
       make_shared_prefix_grouped},
      {"shared-prefix-shuffled", "the same requests in a shuffled order", make_shared_prefix_shuffled},
      {"shared-prefix-many", "many long few-shot templates, popular ones often, more than the cache holds", make_shared_prefix_many},
      {"edits", "100-200 KB prompts edited at the start and in the middle every turn (date, think blocks, RAG)",
       make_edits},
      {"stream", "model output appended as it streams, cut mid-word, mid-number, mid-whitespace and inside graphemes",
       make_stream},
  };
  return catalog;
}

Workload generate(std::string_view name, std::uint64_t seed, Size size) {
  for (const auto& info : workload_catalog()) {
    if (info.name == name) return info.make(seed, size);
  }
  std::string known;
  for (const auto& info : workload_catalog()) known += (known.empty() ? "" : ", ") + info.name;
  throw WorkloadError("unknown workload '" + std::string(name) + "' (known: " + known + ")");
}

}  // namespace flashtok::workloads
