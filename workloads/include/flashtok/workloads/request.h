// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_WORKLOADS_REQUEST_H_
#define FLASHTOK_WORKLOADS_REQUEST_H_

#include <string>
#include <vector>

namespace flashtok::workloads {

// One line of a workload or replay file (docs/CLI.md "Replay format").
enum class RequestKind {
  kAppend,       // {"session": S, "append": T}: T appended to S's history
  kPrompt,       // {"session": S, "prompt": T}: S's whole prompt is now T
  kOutput,       // {"session": S, "output": T}: model output appended to S
  kFixedPrefix,  // {"prefix": P, "suffix": T}: a request on a fixed prefix
  kText,         // {"text": T}: a whole text for the shared prefix cache
};

struct Request {
  RequestKind kind = RequestKind::kAppend;
  std::string session;  // kAppend, kPrompt, kOutput
  std::string prefix;   // kFixedPrefix
  std::string text;     // the appended text, prompt, output, suffix or whole text

  bool operator==(const Request& o) const {
    return kind == o.kind && session == o.session && prefix == o.prefix && text == o.text;
  }
};

struct Workload {
  std::string name;
  std::string description;
  std::vector<Request> requests;
};

}  // namespace flashtok::workloads

#endif  // FLASHTOK_WORKLOADS_REQUEST_H_
