// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_PYTHON_PYTHON_TEXT_H_
#define FLASHTOK_PYTHON_PYTHON_TEXT_H_

#include <pybind11/pybind11.h>

#include <string>
#include <string_view>
#include <vector>

#include "flashtok/rank.h"

namespace flashtok::python {

namespace py = pybind11;

// The UTF-8 bytes of a Python str, without copying them when the str has
// them cached. A str with lone surrogates (which UTF-8 cannot hold) is
// first re-encoded as tiktoken does: through UTF-16 with "surrogatepass",
// back with "replace", so each lone surrogate becomes U+FFFD. The view
// lives as long as this object; the GIL may be released while it is used.
class Utf8Text {
 public:
  explicit Utf8Text(const py::str& text);
  std::string_view view() const noexcept { return view_; }

 private:
  py::object owner_;  // the str whose UTF-8 cache view_ points into
  std::string_view view_;
};

// text as a str; TypeError for anything else (tiktoken takes str only).
py::str as_str(py::handle text);

// The UTF-8 bytes of each str, copied (for work spread over threads).
std::vector<std::string> utf8_copies(const py::list& texts);

// Encoding a text shorter than this takes about a microsecond: less than
// handing the GIL to another thread and taking it back, so the GIL is kept.
inline constexpr std::size_t kReleaseGilBytes = 256;

// ids as a Python list of int.
py::list to_list(const std::vector<Rank>& ids);

// The ids encode(text) returns, as a list; the GIL is released while it
// runs when the text is long (encode must not touch Python objects).
template <typename Encode>
py::list encode_releasing_gil(std::string_view text, const Encode& encode) {
  std::vector<Rank> ids;
  if (text.size() < kReleaseGilBytes) {
    ids = encode(text);
  } else {
    py::gil_scoped_release unlocked;
    ids = encode(text);
  }
  return to_list(ids);
}

}  // namespace flashtok::python

#endif  // FLASHTOK_PYTHON_PYTHON_TEXT_H_
