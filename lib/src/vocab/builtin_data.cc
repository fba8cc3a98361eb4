// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "vocab/builtin_data.h"

// Hidden like their definitions (cmake/FlashtokEmbed.cmake): a shared library
// does not export them, and reads them without going through the GOT.
#if defined(__GNUC__)
#define FLASHTOK_EMBEDDED_VISIBILITY __attribute__((visibility("hidden")))
#else
#define FLASHTOK_EMBEDDED_VISIBILITY
#endif
#define FLASHTOK_DECLARE_EMBEDDED(symbol)                                \
  extern "C" FLASHTOK_EMBEDDED_VISIBILITY const unsigned char symbol[]; \
  extern "C" FLASHTOK_EMBEDDED_VISIBILITY const unsigned long long symbol##_size;

FLASHTOK_DECLARE_EMBEDDED(flashtok_cl100k_base)
FLASHTOK_DECLARE_EMBEDDED(flashtok_o200k_base)
FLASHTOK_DECLARE_EMBEDDED(flashtok_r50k_base)
FLASHTOK_DECLARE_EMBEDDED(flashtok_p50k_base)
FLASHTOK_DECLARE_EMBEDDED(flashtok_encodings_json)
FLASHTOK_DECLARE_EMBEDDED(flashtok_sha256sums)

namespace flashtok::internal {
namespace {

std::string_view view(const unsigned char* data, unsigned long long size) {
  return std::string_view(reinterpret_cast<const char*>(data), static_cast<std::size_t>(size));
}

}  // namespace

std::string_view embedded_rank_file(std::string_view stem) {
  if (stem == "cl100k_base") return view(flashtok_cl100k_base, flashtok_cl100k_base_size);
  if (stem == "o200k_base") return view(flashtok_o200k_base, flashtok_o200k_base_size);
  if (stem == "r50k_base") return view(flashtok_r50k_base, flashtok_r50k_base_size);
  if (stem == "p50k_base") return view(flashtok_p50k_base, flashtok_p50k_base_size);
  return {};
}

std::string_view embedded_encodings_json() {
  return view(flashtok_encodings_json, flashtok_encodings_json_size);
}

std::string_view embedded_sha256sums() { return view(flashtok_sha256sums, flashtok_sha256sums_size); }

}  // namespace flashtok::internal
