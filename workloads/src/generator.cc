// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "flashtok/workloads/generator.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace flashtok::workloads {

std::size_t Size::of(std::size_t n, std::size_t at_least) const {
  double scaled = static_cast<double>(n) * std::max(scale, 0.0);
  if (quick) scaled /= 10.0;
  return std::max(at_least, static_cast<std::size_t>(std::llround(scaled)));
}

const std::vector<WorkloadInfo>& workload_catalog() {
  static const std::vector<WorkloadInfo> catalog = {
      {"voice", "real-time voice agent: long system prompt, short spoken turns, append-only; p99 per turn"},
      {"ide", "IDE copilot: fixed system prompt + project code context, a new suffix per request"},
      {"mobile", "on-device chat growing past 32K tokens, append-only; total CPU time"},
      {"sessions", "several users interleaved sending full prompts, with edits, regenerations, truncation"},
      {"shared-prefix", "few-shot templates shared by many questions (shared prefix cache), grouped"},
      {"shared-prefix-shuffled", "the same requests in a shuffled order"},
      {"edits", "100-200 KB prompts edited at the start and in the middle every turn (date, think blocks, RAG)"},
  };
  return catalog;
}

Workload generate(std::string_view name, std::uint64_t seed, Size size) {
  if (name == "voice") return make_voice(seed, size);
  if (name == "ide") return make_ide(seed, size);
  if (name == "mobile") return make_mobile(seed, size);
  if (name == "sessions") return make_sessions(seed, size);
  if (name == "shared-prefix") return make_shared_prefix(seed, size, false);
  if (name == "shared-prefix-shuffled") return make_shared_prefix(seed, size, true);
  if (name == "edits") return make_edits(seed, size);
  std::string known;
  for (const auto& info : workload_catalog()) known += (known.empty() ? "" : ", ") + info.name;
  throw std::invalid_argument("unknown workload '" + std::string(name) + "' (known: " + known + ")");
}

}  // namespace flashtok::workloads
