// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// flashtok._flashtok: the native part of the flashtok Python package.
#include <pybind11/pybind11.h>

#include <string>

#include "cache_bindings.h"
#include "encoding_binding.h"
#include "flashtok/error.h"
#include "flashtok/session_token_cache.h"
#include "flashtok/stream_decoder.h"
#include "flashtok/version.h"

namespace flashtok::python {
namespace {

namespace py = pybind11;

// flashtok::Error as the exception a Python caller expects (tiktoken's
// KeyError for an unknown token id).
void raise_as_python(const Error& e) {
  switch (e.code()) {
    case ErrorCode::kInvalidToken:
      PyErr_SetString(PyExc_KeyError, e.what());
      return;
    case ErrorCode::kNotFound:
      PyErr_SetString(PyExc_FileNotFoundError, e.what());
      return;
    case ErrorCode::kIo:
      PyErr_SetString(PyExc_OSError, e.what());
      return;
    default:
      PyErr_SetString(PyExc_ValueError, e.what());
      return;
  }
}

void bind_stream_decoder(py::module_& m) {
  py::class_<StreamDecoder>(m, "StreamDecoder")
      .def(py::init([](const PyEncoding& enc) { return StreamDecoder(enc.encoder->encoding_ptr()); }), py::arg("enc"))
      // kReplace mode: every piece is valid UTF-8, so it converts to str.
      .def("push", &StreamDecoder::push, py::arg("token"))
      .def("flush", &StreamDecoder::flush)
      .def_property_readonly("pending_bytes", &StreamDecoder::pending_bytes);
}

}  // namespace
}  // namespace flashtok::python

PYBIND11_MODULE(_flashtok, m) {
  namespace py = pybind11;
  m.doc() = "flashtok's native module; import flashtok instead";
  m.attr("__version__") = FLASHTOK_VERSION_STRING;
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const flashtok::Error& e) {
      flashtok::python::raise_as_python(e);
    }
  });
  // A call on a session that this thread holds for a SessionOutputStream:
  // a RuntimeError, of its own class so that a caller can catch just it.
  py::register_exception<flashtok::SessionHeldError>(m, "SessionHeldError", PyExc_RuntimeError);
  flashtok::python::bind_encoding(m);
  flashtok::python::bind_caches(m);
  flashtok::python::bind_stream_decoder(m);
}
