// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_APPS_VERIFY_REPORT_H_
#define FLASHTOK_APPS_VERIFY_REPORT_H_

#include <nlohmann/json.hpp>

#include <string>

#include "verification.h"

namespace flashtok::cli {

// Adds verify's fields to a results document (docs/CLI.md "results.json").
void add_verification(const Verification& v, nlohmann::json* results);

// summary.md of a verification.
std::string verification_markdown(const Verification& v, const std::string& backtrack);

}  // namespace flashtok::cli

#endif  // FLASHTOK_APPS_VERIFY_REPORT_H_
