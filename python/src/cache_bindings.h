// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_PYTHON_CACHE_BINDINGS_H_
#define FLASHTOK_PYTHON_CACHE_BINDINGS_H_

#include <pybind11/pybind11.h>

namespace flashtok::python {

// AppendOnlyTokenCache, FixedPrefixTokenCache, SessionTokenCache, SharedPrefixTokenCache.
void bind_caches(pybind11::module_& m);

}  // namespace flashtok::python

#endif  // FLASHTOK_PYTHON_CACHE_BINDINGS_H_
