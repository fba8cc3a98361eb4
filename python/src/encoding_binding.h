// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_PYTHON_ENCODING_BINDING_H_
#define FLASHTOK_PYTHON_ENCODING_BINDING_H_

#include <pybind11/pybind11.h>

#include <memory>

#include "flashtok/encoder.h"

namespace flashtok::python {

namespace py = pybind11;

// What a Python Encoding holds: the shared, immutable, thread-safe encoder.
struct PyEncoding {
  std::shared_ptr<const Encoder> encoder;
};

// The native base of flashtok.Encoding (tiktoken's methods but for the
// pure-Python ones in flashtok/__init__.py).
void bind_encoding(py::module_& m);

}  // namespace flashtok::python

#endif  // FLASHTOK_PYTHON_ENCODING_BINDING_H_
