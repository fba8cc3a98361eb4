// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "flashtok/encoding.h"

#include <mutex>
#include <nlohmann/json.hpp>

#include "flashtok/error.h"
#include "util/read_file.h"
#include "util/sha256.h"
#include "vocab/builtin_data.h"
#include "vocab/rank_table.h"
#include "vocab/table_state.h"
#include "vocab/tiktoken_file.h"

namespace flashtok {
namespace {

struct BuiltinSpec {
  std::string pattern;
  std::map<std::string, Rank> special_tokens;
  std::string sha256;
};

std::string canonical_name(std::string_view name) {
  if (name == "gpt2") return "r50k_base";  // tiktoken's gpt2 is r50k_base's ranks and pattern
  return std::string(name);
}

std::string expected_sha256(std::string_view stem) {
  std::string_view sums = internal::embedded_sha256sums();
  const std::string suffix = "  " + std::string(stem) + ".tiktoken";
  while (!sums.empty()) {
    const std::size_t eol = sums.find('\n');
    const std::string_view line = sums.substr(0, eol);
    if (line.size() == 64 + suffix.size() && line.substr(64) == suffix) return std::string(line.substr(0, 64));
    sums.remove_prefix(eol == std::string_view::npos ? sums.size() : eol + 1);
  }
  return {};
}

BuiltinSpec builtin_spec(const std::string& stem) {
  const auto json = nlohmann::json::parse(internal::embedded_encodings_json());
  const auto& entry = json.at(stem);
  BuiltinSpec spec;
  spec.pattern = entry.at("pat_str").get<std::string>();
  spec.special_tokens = entry.at("special_tokens").get<std::map<std::string, Rank>>();
  spec.sha256 = expected_sha256(stem);
  return spec;
}

std::shared_ptr<const Encoding> load_builtin(const std::string& stem) {
  const std::string_view data = internal::embedded_rank_file(stem);
  BuiltinSpec spec = builtin_spec(stem);
  Encoding::FileOptions options;
  options.name = stem;
  options.pattern = std::move(spec.pattern);
  options.special_tokens = std::move(spec.special_tokens);
  options.expected_sha256 = std::move(spec.sha256);
  return Encoding::from_tiktoken_text(data, std::move(options));
}

std::string file_stem(const std::string& path) {
  const std::size_t slash = path.find_last_of("/\\");
  std::string stem = path.substr(slash == std::string::npos ? 0 : slash + 1);
  const std::size_t dot = stem.find('.');
  return dot == std::string::npos || dot == 0 ? stem : stem.substr(0, dot);
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

Encoding::Encoding(Key, std::string name, std::string pattern, std::string sha256,
                   std::unique_ptr<const internal::RankTable> ranks, std::map<std::string, Rank> special_tokens)
    : name_(std::move(name)),
      pattern_(std::move(pattern)),
      sha256_(std::move(sha256)),
      ranks_(std::move(ranks)),
      special_tokens_(std::move(special_tokens)) {
  n_vocab_ = ranks_->end_rank();
  for (const auto& [text, id] : special_tokens_) {
    if (ranks_->contains(id) || !special_by_id_.emplace(id, text).second) {
      throw Error(ErrorCode::kCorruptData, "special token " + text + " reuses id " + std::to_string(id));
    }
    n_vocab_ = std::max(n_vocab_, id + 1);
  }
}

std::vector<std::string> Encoding::builtin_names() {
  return {"cl100k_base", "o200k_base", "r50k_base", "p50k_base", "gpt2"};
}

std::shared_ptr<const Encoding> Encoding::builtin(std::string_view name) {
  const std::string stem = canonical_name(name);
  if (internal::embedded_rank_file(stem).empty()) {
    throw Error(ErrorCode::kInvalidArgument,
                "unknown encoding '" + std::string(name) + "' (known: " + join(builtin_names()) + ")");
  }
  // Loaded once per process: a rank table is megabytes and immutable.
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const Encoding>> loaded;
  std::lock_guard<std::mutex> lock(mutex);
  auto& slot = loaded[stem];
  if (!slot) slot = load_builtin(stem);
  return slot;
}

std::shared_ptr<const Encoding> Encoding::from_file(const std::string& path, FileOptions options) {
  if (options.name.empty()) options.name = file_stem(path);
  return from_tiktoken_text(internal::read_file(path, options.max_bytes), std::move(options));
}

std::shared_ptr<const Encoding> Encoding::from_tiktoken_text(std::string_view text, FileOptions options) {
  if (options.pattern.empty()) {
    throw Error(ErrorCode::kInvalidArgument, "encoding '" + options.name + "' needs a pattern");
  }
  std::string digest = internal::sha256_hex(text);
  if (!options.expected_sha256.empty() && digest != options.expected_sha256) {
    throw Error(ErrorCode::kCorruptData, "rank file of '" + options.name + "' has SHA-256 " + digest +
                                             ", expected " + options.expected_sha256);
  }
  internal::ParsedRanks parsed = internal::parse_tiktoken_ranks(text);
  auto ranks = std::make_unique<const internal::RankTable>(std::move(parsed.bytes), parsed.spans);
  // Every single byte must be a token, or some inputs would have no encoding.
  for (int b = 0; b < 256; ++b) {
    const char byte = static_cast<char>(b);
    if (ranks->find(std::string_view(&byte, 1)) == kNoRank) {
      throw Error(ErrorCode::kCorruptData, "rank file of '" + options.name + "' has no token for byte " +
                                               std::to_string(b));
    }
  }
  return std::make_shared<const Encoding>(Key{}, std::move(options.name), std::move(options.pattern),
                                          std::move(digest), std::move(ranks),
                                          std::move(options.special_tokens));
}

// What was built from the vocabulary on first use goes with it.
Encoding::~Encoding() { internal::forget_table_state(ranks_->id()); }

std::string_view Encoding::token_bytes(Rank id) const noexcept {
  const std::string_view bytes = ranks_->bytes_of(id);
  if (!bytes.empty()) return bytes;
  const auto it = special_by_id_.find(id);
  return it == special_by_id_.end() ? std::string_view() : std::string_view(it->second);
}

Rank Encoding::rank_of(std::string_view bytes) const noexcept { return ranks_->find(bytes); }

std::size_t Encoding::memory_bytes() const {
  return ranks_->memory_bytes() + internal::table_state_bytes(ranks_->id());
}

}  // namespace flashtok
