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
      // Blocks of ASCII text whole. The block ends before the text does, so
      // none of its pieces touches the end.
      if (text.size() - pos > AsciiBlock::kBytes && bytes[pos] < 0x80) {
        const BlockStarts block = Rules::block_starts(bytes + pos);
        if (block.starts != 0) {
          const std::size_t base = pos;
          for (std::uint64_t starts = block.starts; starts != 0; starts &= starts - 1) {
            const unsigned end = lowest_bit(starts);
            const std::size_t reach = kReach == Reach::kTracked ? base + block_reach(block, end) : kUnknownReach;
            batch[count++] = Piece{pos, base + end, reach};
            pos = base + end;
            if (count == kBatch) {
              if (!on_batch(batch, count)) return;
              count = 0;
            }
          }
          continue;
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
// block_starts: the same pieces decided a block of ASCII bytes at a time
// (ascii_block.h), reading nothing past the block.
struct Cl100kRules {
  static constexpr std::string_view kKind = "cl100k";
  static constexpr std::uint8_t kLoopBits = kIsLetter | kIsNumber | kIsSpace | kIsNewline;
  template <Reach kReach>
  static std::size_t match(ScanText<kReach>& t, std::size_t pos);
  static BlockStarts block_starts(const unsigned char* block);
};
struct O200kRules {
  static constexpr std::string_view kKind = "o200k";
  // The word alternatives tell upper from lower case.
  static constexpr std::uint8_t kLoopBits = 0xFF;
  template <Reach kReach>
  static std::size_t match(ScanText<kReach>& t, std::size_t pos);
  static BlockStarts block_starts(const unsigned char* block);
};
struct Gpt2Rules {  // r50k_base and p50k_base
  static constexpr std::string_view kKind = "gpt2";
  static constexpr std::uint8_t kLoopBits = kIsLetter | kIsNumber | kIsSpace | kIsNewline;
  template <Reach kReach>
  static std::size_t match(ScanText<kReach>& t, std::size_t pos);
  static BlockStarts block_starts(const unsigned char* block);
};

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_PRETOKENIZER_SCANNER_DRIVER_H_
