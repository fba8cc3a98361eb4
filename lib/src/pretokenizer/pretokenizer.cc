// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "pretokenizer/pretokenizer.h"

#include <memory>

namespace flashtok::internal {

std::unique_ptr<Pretokenizer> make_cl100k_scanner();
std::unique_ptr<Pretokenizer> make_o200k_scanner();
std::unique_ptr<Pretokenizer> make_gpt2_scanner();

namespace {

// The patterns the hand-written scanners implement, byte for byte as in
// tiktoken. A pattern that differs in any way takes the RE2 path.
constexpr std::string_view kCl100kPattern =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
constexpr std::string_view kO200kPattern =
    R"([^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
constexpr std::string_view kGpt2Pattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

}  // namespace

const RunClasses& Pretokenizer::run_classes() const noexcept {
  static const RunClasses kEachByteAlone = RunClasses::each_byte_alone();
  return kEachByteAlone;
}

std::vector<Piece> Pretokenizer::split(std::string_view text, std::size_t pos) const {
  std::vector<Piece> pieces;
  split(text, pos, [&pieces](const Piece* batch, std::size_t n) {
    pieces.insert(pieces.end(), batch, batch + n);
    return true;
  });
  return pieces;
}

std::unique_ptr<Pretokenizer> make_pretokenizer(std::string_view pattern) {
  if (pattern == kCl100kPattern) return make_cl100k_scanner();
  if (pattern == kO200kPattern) return make_o200k_scanner();
  if (pattern == kGpt2Pattern) return make_gpt2_scanner();
  return make_regex_pretokenizer(pattern);
}

}  // namespace flashtok::internal
