// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_SRC_UTIL_BIT_MATRIX_H_
#define FLASHTOK_SRC_UTIL_BIT_MATRIX_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace flashtok::internal {

// A square matrix of bits, row after row: n * n / 8 bytes. What the
// backtracking tables keep of a question asked of every pair of a small set
// of tokens, so that answering it again is one load.
class BitMatrix {
 public:
  BitMatrix() = default;
  explicit BitMatrix(std::size_t n) : n_(n), words_((n * n + 63) / 64, 0) {}

  std::size_t size() const noexcept { return n_; }
  bool get(std::size_t row, std::size_t column) const noexcept {
    const std::size_t bit = row * n_ + column;
    return (words_[bit / 64] >> (bit % 64)) & 1;
  }
  void set(std::size_t row, std::size_t column) noexcept {
    const std::size_t bit = row * n_ + column;
    words_[bit / 64] |= std::uint64_t{1} << (bit % 64);
  }
  std::size_t memory_bytes() const noexcept { return words_.capacity() * sizeof(std::uint64_t); }

 private:
  std::size_t n_ = 0;
  std::vector<std::uint64_t> words_;
};

}  // namespace flashtok::internal

#endif  // FLASHTOK_SRC_UTIL_BIT_MATRIX_H_
