// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "mann_whitney.h"

#include <algorithm>
#include <cmath>

namespace flashtok::cli {
namespace {

// U of a: the pairs (x in a, y in b) with x > y, ties counted half.
double u_statistic(const std::vector<double>& a, const std::vector<double>& b) {
  double u = 0;
  for (const double x : a) {
    for (const double y : b) u += x > y ? 1.0 : x == y ? 0.5 : 0.0;
  }
  return u;
}

// How many orderings of n1 + n2 values give each U, by the recurrence
// count(n1, n2, u) = count(n1 - 1, n2, u - n2) + count(n1, n2 - 1, u).
std::vector<double> u_counts(int n1, int n2) {
  // counts[j][u] for the current n1 and every j <= n2.
  std::vector<std::vector<double>> counts(n2 + 1);
  for (int j = 0; j <= n2; ++j) counts[j] = {1.0};  // n1 = 0: U = 0 only
  for (int i = 1; i <= n1; ++i) {
    std::vector<std::vector<double>> next(n2 + 1);
    next[0] = {1.0};  // n2 = 0: U = 0 only
    for (int j = 1; j <= n2; ++j) {
      next[j].assign(static_cast<std::size_t>(i * j + 1), 0.0);
      for (std::size_t u = 0; u < next[j].size(); ++u) {
        if (u >= static_cast<std::size_t>(j) && u - j < counts[j].size()) next[j][u] += counts[j][u - j];
        if (u < next[j - 1].size()) next[j][u] += next[j - 1][u];
      }
    }
    counts = std::move(next);
  }
  return counts[n2];
}

}  // namespace

double mann_whitney_p(const std::vector<double>& a, const std::vector<double>& b) {
  const double n1 = static_cast<double>(a.size()), n2 = static_cast<double>(b.size());
  const double u = u_statistic(a, b);
  if (a.size() <= 20 && b.size() <= 20) {
    const std::vector<double> counts = u_counts(static_cast<int>(a.size()), static_cast<int>(b.size()));
    double total = 0, at_most = 0, at_least = 0;
    for (std::size_t k = 0; k < counts.size(); ++k) {
      total += counts[k];
      if (static_cast<double>(k) <= u) at_most += counts[k];
      if (static_cast<double>(k) >= u) at_least += counts[k];
    }
    return std::min(1.0, 2.0 * std::min(at_most, at_least) / total);
  }
  const double mean = n1 * n2 / 2, sd = std::sqrt(n1 * n2 * (n1 + n2 + 1) / 12);
  const double z = (std::fabs(u - mean) - 0.5) / sd;  // with continuity correction
  return std::min(1.0, std::erfc(std::max(z, 0.0) / std::sqrt(2.0)));
}

}  // namespace flashtok::cli
