// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "encoding_binding.h"

#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

#include "flashtok/encoding.h"
#include "flashtok/error.h"
#include "parallel_for.h"
#include "python_text.h"

namespace flashtok::python {
namespace {

// tiktoken's special-token arguments: "all" or a collection of strings.
bool is_all(py::handle argument) {
  return PyUnicode_Check(argument.ptr()) && PyUnicode_CompareWithASCIIString(argument.ptr(), "all") == 0;
}

std::vector<std::string> names_of(py::handle collection) {
  if (PyUnicode_Check(collection.ptr())) {
    throw py::type_error("expected \"all\" or a collection of special-token strings");
  }
  std::vector<std::string> names;
  for (const py::handle name : collection) names.push_back(py::cast<std::string>(name));
  return names;
}

// encode()'s rules, resolved as tiktoken resolves them: "all" allowed is
// every special token; "all" disallowed is every special token not allowed.
struct SpecialRules {
  SpecialTokenSet allowed;
  std::vector<std::string> named;            // disallowed_special's strings, when not "all"
  std::vector<std::string_view> disallowed;  // into named or the encoding's own names (no copies)
};

SpecialRules special_rules(const Encoding& encoding, py::handle allowed, py::handle disallowed) {
  SpecialRules rules;
  rules.allowed = is_all(allowed) ? SpecialTokenSet::all() : SpecialTokenSet{false, names_of(allowed)};
  if (is_all(disallowed)) {
    for (const auto& special : encoding.special_tokens()) {
      if (!rules.allowed.contains(special.first)) rules.disallowed.push_back(special.first);
    }
  } else {
    rules.named = names_of(disallowed);
    rules.disallowed.assign(rules.named.begin(), rules.named.end());
  }
  return rules;
}

// The disallowed string that occurs first in text, if any.
std::optional<std::string> first_disallowed(std::string_view text, const std::vector<std::string_view>& disallowed) {
  std::optional<std::string> first;
  std::size_t first_pos = std::string_view::npos;
  for (const std::string_view token : disallowed) {
    const std::size_t pos = token.empty() ? std::string_view::npos : text.find(token);
    if (pos < first_pos) {
      first_pos = pos;
      first = std::string(token);
    }
  }
  return first;
}

// tiktoken's ValueError: its first sentence, and how to get past it.
[[noreturn]] void raise_disallowed(const std::string& token) {
  const std::string quoted = py::repr(py::str(token));
  throw py::value_error("Encountered text corresponding to disallowed special token " + quoted +
                        ".\nTo encode it as the special token, allow it: allowed_special={" + quoted +
                        ", ...}.\nTo encode it as ordinary text, leave it out of disallowed_special "
                        "(disallowed_special=() checks no token).");
}

void check_allowed(std::string_view text, const SpecialRules& rules) {
  if (auto token = first_disallowed(text, rules.disallowed)) raise_disallowed(*token);
}

std::vector<Rank> encode_with(const Encoder& encoder, std::string_view text, const SpecialRules& rules) {
  return encoder.encode(text, rules.allowed, SpecialTokenSet::none());
}

// Encodes every text on num_threads threads with the GIL released.
template <typename Encode>
std::vector<std::vector<Rank>> encode_all(const std::vector<std::string>& texts, int num_threads, const Encode& encode) {
  if (num_threads < 1) throw py::value_error("num_threads must be at least 1");
  std::vector<std::vector<Rank>> ids(texts.size());
  py::gil_scoped_release unlocked;
  parallel_for(texts.size(), static_cast<std::size_t>(num_threads), [&](std::size_t i) { ids[i] = encode(texts[i]); });
  return ids;
}

std::vector<Rank> ids_of(py::handle tokens) {
  std::vector<Rank> ids;
  if (py::hasattr(tokens, "__len__")) ids.reserve(py::len(tokens));
  for (const py::handle token : tokens) ids.push_back(py::cast<Rank>(token));
  return ids;
}

py::bytes decode_bytes(const PyEncoding& self, py::handle tokens) {
  const std::vector<Rank> ids = ids_of(tokens);
  std::string bytes;
  {
    py::gil_scoped_release unlocked;
    bytes = self.encoder->decode_bytes(ids);
  }
  return py::bytes(bytes);
}

py::dict special_tokens_of(const Encoding& encoding) {
  py::dict out;
  for (const auto& special : encoding.special_tokens()) out[py::str(special.first)] = special.second;
  return out;
}

}  // namespace

void bind_encoding(py::module_& m) {
  py::class_<PyEncoding>(m, "_CoreEncoding")
      .def(py::init([](const std::string& name) { return PyEncoding{Encoder::builtin(name)}; }), py::arg("name"))
      .def_property_readonly("name", [](const PyEncoding& self) { return self.encoder->encoding().name(); })
      .def_property_readonly("n_vocab", [](const PyEncoding& self) { return self.encoder->encoding().n_vocab(); })
      .def_property_readonly("max_token_value", [](const PyEncoding& self) { return self.encoder->encoding().n_vocab() - 1; })
      .def_property_readonly("_special_tokens", [](const PyEncoding& self) { return special_tokens_of(self.encoder->encoding()); })
      .def_property_readonly("_pat_str", [](const PyEncoding& self) { return self.encoder->encoding().pattern(); })
      .def("prepare",
           [](const PyEncoding& self) {
             py::gil_scoped_release unlocked;
             self.encoder->prepare();
           })
      .def("encode_ordinary",
           [](const PyEncoding& self, py::handle text) {
             const Utf8Text utf8(as_str(text));
             return encode_releasing_gil(utf8.view(), [&](std::string_view t) { return self.encoder->encode_ordinary(t); });
           },
           py::arg("text"))
      .def("encode",
           [](const PyEncoding& self, py::handle text, py::handle allowed, py::handle disallowed) {
             const SpecialRules rules = special_rules(self.encoder->encoding(), allowed, disallowed);
             const Utf8Text utf8(as_str(text));
             check_allowed(utf8.view(), rules);
             return encode_releasing_gil(utf8.view(), [&](std::string_view t) { return encode_with(*self.encoder, t, rules); });
           },
           py::arg("text"), py::kw_only(), py::arg("allowed_special") = py::set(),
           py::arg("disallowed_special") = "all")
      .def("count",
           [](const PyEncoding& self, py::handle text) {
             const Utf8Text utf8(as_str(text));
             if (utf8.view().size() < kReleaseGilBytes) return self.encoder->count(utf8.view());
             py::gil_scoped_release unlocked;
             return self.encoder->count(utf8.view());
           },
           py::arg("text"))
      .def("encode_ordinary_batch",
           [](const PyEncoding& self, const py::list& texts, int num_threads) {
             const std::vector<std::string> utf8 = utf8_copies(texts);
             return encode_all(utf8, num_threads, [&](const std::string& t) { return self.encoder->encode_ordinary(t); });
           },
           py::arg("text"), py::kw_only(), py::arg("num_threads") = 8)
      .def("encode_batch",
           [](const PyEncoding& self, const py::list& texts, int num_threads, py::handle allowed, py::handle disallowed) {
             const SpecialRules rules = special_rules(self.encoder->encoding(), allowed, disallowed);
             const std::vector<std::string> utf8 = utf8_copies(texts);
             for (const std::string& t : utf8) check_allowed(t, rules);
             return encode_all(utf8, num_threads, [&](const std::string& t) { return encode_with(*self.encoder, t, rules); });
           },
           py::arg("text"), py::kw_only(), py::arg("num_threads") = 8, py::arg("allowed_special") = py::set(),
           py::arg("disallowed_special") = "all")
      .def("_encode_to_uint32_bytes",
           [](const PyEncoding& self, py::handle text, py::handle allowed, py::handle disallowed) {
             const SpecialRules rules = special_rules(self.encoder->encoding(), allowed, disallowed);
             const Utf8Text utf8(as_str(text));
             check_allowed(utf8.view(), rules);
             std::vector<Rank> ids;
             {
               py::gil_scoped_release unlocked;
               ids = encode_with(*self.encoder, utf8.view(), rules);
             }
             return py::bytes(reinterpret_cast<const char*>(ids.data()), ids.size() * sizeof(Rank));
           })
      .def("decode_bytes", &decode_bytes, py::arg("tokens"))
      .def("decode_single_token_bytes",
           [](const PyEncoding& self, Rank token) {
             const std::string_view bytes = self.encoder->encoding().token_bytes(token);
             if (bytes.empty()) throw py::key_error("Invalid token for decoding: " + std::to_string(token));
             return py::bytes(bytes.data(), bytes.size());
           },
           py::arg("token"))
      .def("_rank_of", [](const PyEncoding& self, const py::bytes& bytes) {
        const Rank id = self.encoder->encoding().rank_of(std::string_view(bytes));
        if (id == kNoRank) throw py::key_error(py::repr(bytes));
        return id;
      });
}

}  // namespace flashtok::python
