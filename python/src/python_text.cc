// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "python_text.h"

namespace flashtok::python {
namespace {

// UTF-8 of a str that holds lone surrogates: tiktoken's fallback.
py::str without_lone_surrogates(const py::str& text) {
  const py::object utf16 = text.attr("encode")("utf-16", "surrogatepass");
  return utf16.attr("decode")("utf-16", "replace");
}

}  // namespace

Utf8Text::Utf8Text(const py::str& text) : owner_(text) {
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(owner_.ptr(), &size);
  if (data == nullptr) {
    if (!PyErr_ExceptionMatches(PyExc_UnicodeEncodeError)) throw py::error_already_set();
    PyErr_Clear();
    owner_ = without_lone_surrogates(text);
    data = PyUnicode_AsUTF8AndSize(owner_.ptr(), &size);
    if (data == nullptr) throw py::error_already_set();
  }
  view_ = std::string_view(data, static_cast<std::size_t>(size));
}

py::str as_str(py::handle text) {
  if (!PyUnicode_Check(text.ptr())) {
    throw py::type_error("expected str, got " + std::string(Py_TYPE(text.ptr())->tp_name));
  }
  return py::reinterpret_borrow<py::str>(text);
}

std::vector<std::string> utf8_copies(const py::list& texts) {
  std::vector<std::string> out;
  out.reserve(texts.size());
  for (const py::handle text : texts) out.emplace_back(Utf8Text(as_str(text)).view());
  return out;
}

py::list to_list(const std::vector<Rank>& ids) {
  py::list out(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    PyObject* id = PyLong_FromUnsignedLong(ids[i]);
    if (id == nullptr) throw py::error_already_set();
    PyList_SET_ITEM(out.ptr(), static_cast<Py_ssize_t>(i), id);  // steals the reference
  }
  return out;
}

}  // namespace flashtok::python
