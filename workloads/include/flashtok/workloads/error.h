// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_WORKLOADS_ERROR_H_
#define FLASHTOK_WORKLOADS_ERROR_H_

#include <stdexcept>

namespace flashtok::workloads {

// The one error the workloads library throws: an unknown workload or corpus
// kind (the message lists the known ones), or a replay file line that is not
// one of the accepted shapes (the message starts with "line N: ", lines
// numbered from 1). It is the caller's input at fault, never a bug: the CLI
// turns it into exit code 2.
class WorkloadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace flashtok::workloads

#endif  // FLASHTOK_WORKLOADS_ERROR_H_
