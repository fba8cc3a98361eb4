// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "flashtok/version.h"

namespace flashtok {

const char* version() noexcept { return FLASHTOK_VERSION_STRING; }

}  // namespace flashtok
