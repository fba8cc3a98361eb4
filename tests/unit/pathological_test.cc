// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// Inputs that make naive tokenizers quadratic: one huge piece of a single
// letter, space or emoji, a long digit run, alternating classes. Encoding 8x
// more text must take far less than 64x the time (a quadratic algorithm's
// ratio); the bound is a growth ratio, not an absolute time, and the time is
// this thread's CPU time, not wall time, because the machines are shared and
// noisy (a descheduled thread would otherwise look quadratic).
#include <gtest/gtest.h>

#include <time.h>

#include "test_support.h"

namespace flashtok::testing {
namespace {

double thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

double seconds_to_encode(const Encoder& encoder, const std::string& text) {
  double best = 1e9;
  for (int i = 0; i < 3; ++i) {  // the best of three damps cache and frequency noise
    const double t0 = thread_cpu_seconds();
    const auto ids = encoder.encode_ordinary(text);
    best = std::min(best, thread_cpu_seconds() - t0);
    EXPECT_FALSE(ids.empty());
  }
  return best;
}

std::string repeat_to(const std::string& unit, std::size_t bytes) {
  std::string out;
  while (out.size() < bytes) out += unit;
  return out;
}

TEST(Pathological, EncodingTimeGrowsLinearly) {
  const Encoder& encoder = encoder_for("o200k_base");
  const std::vector<std::pair<std::string, std::string>> units = {
      {"one letter", "a"}, {"spaces", " "}, {"digits", "7"}, {"one emoji", "\xF0\x9F\x98\x80"},
      {"alternating classes", "a1 .\n\xE4\xB8\xAD"}, {"newlines and spaces", "\n "}};
  constexpr std::size_t kSmall = 128 << 10, kLarge = 1 << 20;  // 8x more bytes
  for (const auto& [name, unit] : units) {
    const std::string small = repeat_to(unit, kSmall), large = repeat_to(unit, kLarge);
    const double ratio = seconds_to_encode(encoder, large) / std::max(seconds_to_encode(encoder, small), 1e-6);
    EXPECT_LT(ratio, 24.0) << name << ": 8x the bytes took " << ratio << "x the time";
    EXPECT_EQ(encoder.decode_bytes(encoder.encode_ordinary(large)), large) << name;
  }
}

}  // namespace
}  // namespace flashtok::testing
