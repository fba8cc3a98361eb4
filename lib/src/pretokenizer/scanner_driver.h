// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_PRETOKENIZER_SCANNER_DRIVER_H_
#define FLASHTOK_SRC_PRETOKENIZER_SCANNER_DRIVER_H_

#include <string_view>

#include "pretokenizer/ascii_block.h"
#include "pretokenizer/pretokenizer.h"
#include "pretokenizer/scan_text.h"
#include "util/bits.h"

namespace flashtok::internal {

// A Pretokenizer from a pattern's rules: `Rules::match<R>(t, pos)` returns
// the end of the match at pos, `Rules::kKind` names the scanner. The scanners
// tile the text (every character belongs to some alternative of the known
// patterns), so each piece starts where the last ended.
template <typename Rules>
class HandWrittenScanner final : public Pretokenizer {
 public:
  void split(std::string_view text, std::size_t pos, PieceBatchCallback on_batch) const override {
    scan<Reach::kTracked>(text, pos, on_batch);
  }
  void split_untracked(std::string_view text, std::size_t pos, PieceBatchCallback on_batch) const override {
    scan<Reach::kIgnored>(text, pos, on_batch);
  }
  bool tracks_reads() const noexcept override { return true; }
  const RunClasses& run_classes() const noexcept override {
    static const RunClasses classes = RunClasses::of_loop_bits(Rules::kLoopBits);
    return classes;
  }
  std::string_view kind() const noexcept override { return Rules::kKind; }

 private:
  template <Reach kReach>
  static void scan(std::string_view text, std::size_t pos, PieceBatchCallback on_batch) {
    constexpr std::size_t kBatch = 256;
    Piece batch[kBatch];
    std::size_t count = 0;
    ScanText<kReach> t(text);
    const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
    while (pos < text.size()) {
      // Blocks of ASCII text whole, where the rules can (a full encode
      // only: the block scan does not record reach).
      if constexpr (kReach == Reach::kIgnored && Rules::kBlockStarts) {
        if (text.size() - pos > AsciiBlock::kBytes && bytes[pos] < 0x80) {
          if (std::uint64_t starts = Rules::block_starts(bytes + pos)) {
            const std::size_t block = pos;
            for (; starts != 0; starts &= starts - 1) {
              const std::size_t end = block + lowest_bit(starts);
              batch[count++] = Piece{pos, end, kUnknownReach};
              pos = end;
              if (count == kBatch) {
                if (!on_batch(batch, count)) return;
                count = 0;
              }
            }
            continue;
          }
        }
      }
      t.reset_reach();
      const std::size_t end = Rules::template match<kReach>(t, pos);
      batch[count++] = Piece{pos, end, t.reach()};
      pos = end;
      if (count == kBatch) {
        if (!on_batch(batch, count)) return;
        count = 0;
      }
    }
    if (count != 0) on_batch(batch, count);
  }
};

// The built-in patterns' rules, one file each (cl100k_scanner.cc, ...).
// kLoopBits: the class bits any loop of the rules tests (run_classes()).
// kBlockStarts: the rules also decide pieces a block of ASCII bytes at a
// time (block_starts, ascii_block.h), which a full encode's scan uses.
struct Cl100kRules {
  static constexpr std::string_view kKind = "cl100k";
  static constexpr std::uint8_t kLoopBits = kIsLetter | kIsNumber | kIsSpace | kIsNewline;
  static constexpr bool kBlockStarts = true;
  template <Reach kReach>
  static std::size_t match(ScanText<kReach>& t, std::size_t pos);
  static std::uint64_t block_starts(const unsigned char* block);
};
struct O200kRules {
  static constexpr std::string_view kKind = "o200k";
  // The word alternatives tell upper from lower case.
  static constexpr std::uint8_t kLoopBits = 0xFF;
  static constexpr bool kBlockStarts = true;
  template <Reach kReach>
  static std::size_t match(ScanText<kReach>& t, std::size_t pos);
  static std::uint64_t block_starts(const unsigned char* block);
};
struct Gpt2Rules {  // r50k_base and p50k_base
  static constexpr std::string_view kKind = "gpt2";
  static constexpr std::uint8_t kLoopBits = kIsLetter | kIsNumber | kIsSpace | kIsNewline;
  static constexpr bool kBlockStarts = false;
  template <Reach kReach>
  static std::size_t match(ScanText<kReach>& t, std::size_t pos);
};

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_PRETOKENIZER_SCANNER_DRIVER_H_
