// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_WORKLOADS_JSONL_H_
#define FLASHTOK_WORKLOADS_JSONL_H_

#include <string>
#include <string_view>
#include <vector>

#include "flashtok/workloads/error.h"
#include "flashtok/workloads/request.h"

namespace flashtok::workloads {

// One JSON object per request, one per line (docs/CLI.md "Replay format"). A text
// that is not valid UTF-8 (JSON cannot carry it) is written as base64 in the
// field's _b64 form (append_b64, prompt_b64, ...), so parse_jsonl gives back
// the same bytes.
std::string to_jsonl(const std::vector<Request>& requests);

// Parses the replay format. Lines are split on '\n' only (U+2028 and U+0085
// may appear raw inside strings); blank lines are skipped; other fields are
// ignored. Throws WorkloadError for invalid JSON or UTF-8, a NUL byte, a line
// that is not an object, none or more than one of the shapes, a field given
// both plain and as _b64, bad base64, or a value that is not a string.
std::vector<Request> parse_jsonl(std::string_view content);

// A replay file's content as a workload named "replay:<file name>"; errors
// name the file and the line.
Workload replay_workload(const std::string& path, std::string_view content);

}  // namespace flashtok::workloads

#endif  // FLASHTOK_WORKLOADS_JSONL_H_
