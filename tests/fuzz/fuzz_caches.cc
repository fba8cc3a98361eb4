// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// Every cache against a full encode. The input is cut into chunks at 0xFF
// bytes; the chunks drive appends, fixed-prefix requests, session updates
// (with edits: a chunk starting with 0xFE replaces the prompt's last bytes)
// and shared-prefix lookups (a chunk starting with 0xFD prebuilds the prompt
// first; each chunk also looks up the prompt cut short and continued by the
// chunk, which leaves a cached block midway). The first byte picks the encoding (bits 0-1) and the shared prefix
// cache's block size (bits 2-5: 1 to 16 bytes) and capacity (bits 6-7: 0, 1,
// 3 or 16 blocks, so that tiny full caches and their admission are covered).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "flashtok/flashtok.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static const char* const kNames[] = {"cl100k_base", "o200k_base", "r50k_base", "p50k_base"};
  const auto encoder = flashtok::Encoder::builtin(kNames[data[0] % 4]);
  std::vector<std::string> chunks(1);
  for (std::size_t i = 1; i < size; ++i) {
    if (data[i] == 0xFF) {
      chunks.emplace_back();
    } else {
      chunks.back() += static_cast<char>(data[i]);
    }
  }

  flashtok::AppendOnlyTokenCache append(encoder);
  flashtok::SessionTokenCache sessions(encoder);
  flashtok::SharedPrefixTokenCache::Options shared_options;
  static const std::size_t kCapacities[] = {0, 1, 3, 16};
  shared_options.block_bytes = 1 + ((data[0] >> 2) & 15);
  shared_options.max_blocks = kCapacities[data[0] >> 6];
  flashtok::SharedPrefixTokenCache shared(encoder, shared_options);
  std::string prompt;
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    const std::string& chunk = chunks[i];
    append.append_ordinary(chunk);
    FUZZ_CHECK(append.tokens() == encoder->encode_ordinary(append.text()));

    const flashtok::FixedPrefixTokenCache fixed(encoder, i > 0 ? chunks[i - 1] : std::string());
    FUZZ_CHECK(fixed.encode_ordinary(chunk) == encoder->encode_ordinary(fixed.prefix() + chunk));

    if (!chunk.empty() && static_cast<std::uint8_t>(chunk[0]) == 0xFE) {
      prompt.resize(prompt.size() - std::min(prompt.size(), chunk.size()));  // an edit
    }
    prompt += chunk;
    sessions.update("s", prompt);
    FUZZ_CHECK(sessions.tokens("s") == encoder->encode_ordinary(prompt));

    if (!chunk.empty() && static_cast<std::uint8_t>(chunk[0]) == 0xFD) shared.prebuild({prompt});
    FUZZ_CHECK(shared.encode_ordinary(prompt) == encoder->encode_ordinary(prompt));
    FUZZ_CHECK(shared.block_count() <= shared_options.max_blocks);
    // The prompt cut at a byte the chunk picks, then the chunk: a text that
    // leaves a cached block midway (a partial match).
    if (!chunk.empty()) {
      const std::size_t cut = (static_cast<std::uint8_t>(chunk.back()) * prompt.size()) / 255;
      const std::string left = prompt.substr(0, cut) + chunk;
      FUZZ_CHECK(shared.encode_ordinary(left) == encoder->encode_ordinary(left));
    }
  }
  return 0;
}
