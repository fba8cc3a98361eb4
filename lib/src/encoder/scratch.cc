// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "encoder/scratch.h"

namespace flashtok::internal {

Scratch& Scratch::of_this_thread() {
  thread_local Scratch scratch;
  return scratch;
}

}  // namespace flashtok::internal
