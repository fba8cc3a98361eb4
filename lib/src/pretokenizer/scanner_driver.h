// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_PRETOKENIZER_SCANNER_DRIVER_H_
#define FLASHTOK_SRC_PRETOKENIZER_SCANNER_DRIVER_H_

#include <string_view>

#include "pretokenizer/pretokenizer.h"
#include "pretokenizer/scan_text.h"

namespace flashtok::internal {

// A Pretokenizer from a function that returns the end of the match at a
// position. The scanners tile the text (every character belongs to some
// alternative of the known patterns), so each piece starts where the last ended.
template <std::size_t (*MatchAt)(ScanText&, std::size_t), const char* Kind>
class HandWrittenScanner final : public Pretokenizer {
 public:
  void split(std::string_view text, std::size_t pos, PieceBatchCallback on_batch) const override {
    constexpr std::size_t kBatch = 256;
    Piece batch[kBatch];
    std::size_t count = 0;
    ScanText t(text);
    while (pos < text.size()) {
      t.reset_reach();
      const std::size_t end = MatchAt(t, pos);
      batch[count++] = Piece{pos, end, t.reach()};
      pos = end;
      if (count == kBatch) {
        if (!on_batch(batch, count)) return;
        count = 0;
      }
    }
    if (count != 0) on_batch(batch, count);
  }
  bool tracks_reads() const noexcept override { return true; }
  std::string_view kind() const noexcept override { return Kind; }
};

std::size_t match_cl100k(ScanText& t, std::size_t pos);
std::size_t match_o200k(ScanText& t, std::size_t pos);
std::size_t match_gpt2(ScanText& t, std::size_t pos);

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_PRETOKENIZER_SCANNER_DRIVER_H_
