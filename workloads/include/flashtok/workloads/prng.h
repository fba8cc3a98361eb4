// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_WORKLOADS_PRNG_H_
#define FLASHTOK_WORKLOADS_PRNG_H_

#include <cstdint>
#include <vector>

namespace flashtok::workloads {

// SplitMix64 (Steele, Lea, Flood 2014) with our own mapping to ranges, so that
// a seed means the same bytes with every compiler and standard library
// (std::uniform_int_distribution differs between them).
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

  // Uniform in [0, n) for n > 0, by rejection (no modulo bias).
  std::uint64_t uniform(std::uint64_t n) {
    const std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % n);
    for (;;) {
      const std::uint64_t x = next();
      if (x < limit) return x % n;
    }
  }

  // True with probability numerator / denominator.
  bool chance(std::uint64_t numerator, std::uint64_t denominator) { return uniform(denominator) < numerator; }

  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return items[static_cast<std::size_t>(uniform(items.size()))];
  }

 private:
  std::uint64_t state_;
};

}  // namespace flashtok::workloads

#endif  // FLASHTOK_WORKLOADS_PRNG_H_
