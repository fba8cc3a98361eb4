// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_APPS_MANN_WHITNEY_H_
#define FLASHTOK_APPS_MANN_WHITNEY_H_

#include <vector>

namespace flashtok::cli {

// The two-sided p-value of the Mann-Whitney U test that samples a and b come
// from the same distribution: exact (counting every ordering of the two
// samples) up to 20 values each, the normal approximation above. Ties count
// half. Needs at least one value on each side.
double mann_whitney_p(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace flashtok::cli

#endif  // FLASHTOK_APPS_MANN_WHITNEY_H_
