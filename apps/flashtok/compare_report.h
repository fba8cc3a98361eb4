// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_APPS_COMPARE_REPORT_H_
#define FLASHTOK_APPS_COMPARE_REPORT_H_

#include <string>

#include "comparison.h"

namespace flashtok::cli {

// The figures side by side for the terminal: A, B, B/A, the U test's p-value
// and the verdict of each.
std::string comparison_terminal_table(const Comparison& c);

// The same as Markdown (summary.md of --out), with the figures only one run has.
std::string comparison_markdown(const Comparison& c);

}  // namespace flashtok::cli

#endif  // FLASHTOK_APPS_COMPARE_REPORT_H_
