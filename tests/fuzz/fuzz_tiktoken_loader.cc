// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// A corrupt rank file is refused with flashtok::Error, never a crash; one
// that loads encodes losslessly.
#include <cstdint>
#include <string>

#include "flashtok/flashtok.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  flashtok::Encoding::FileOptions options;
  options.name = "fuzz";
  options.pattern = R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";
  try {
    const auto encoding = flashtok::Encoding::from_tiktoken_text(text, options);
    const flashtok::Encoder encoder(encoding);
    const std::string sample = "Hello, world! 123 \xE4\xB8\xAD \xFF";
    FUZZ_CHECK(encoder.decode_bytes(encoder.encode_ordinary(sample)) == sample);
  } catch (const flashtok::Error&) {
    // Expected for almost every input.
  }
  return 0;
}
