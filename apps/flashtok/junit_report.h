// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_APPS_JUNIT_REPORT_H_
#define FLASHTOK_APPS_JUNIT_REPORT_H_

#include <string>
#include <string_view>

#include "verification.h"

namespace flashtok::cli {

// A verification as JUnit XML, for CI systems that show test results: one
// test case per workload x encoding x cache (and one per encoding for the
// golden texts), a failing case carrying its first mismatch.
std::string verification_junit(const Verification& v);

// Text made safe for an XML attribute or element: markup characters as
// entities; control characters, bytes that are not UTF-8 and the
// non-characters U+FFFE and U+FFFF (none allowed in XML 1.0) as "\xNN".
std::string xml_escape(std::string_view text);

}  // namespace flashtok::cli

#endif  // FLASHTOK_APPS_JUNIT_REPORT_H_
