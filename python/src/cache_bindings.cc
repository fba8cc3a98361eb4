// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// The prefix caches, with the names and arguments the README documents.
// AppendOnlyTokenCache is not thread-safe and keeps the GIL (Python then
// serializes its callers); the others are and release it while they encode.
#include <pybind11/stl.h>

#include <string>
#include <tuple>
#include <variant>

#include "cache_bindings.h"
#include "encoding_binding.h"
#include "flashtok/append_only_token_cache.h"
#include "flashtok/fixed_prefix_token_cache.h"
#include "flashtok/session_token_cache.h"
#include "flashtok/shared_prefix_token_cache.h"
#include "python_text.h"

namespace flashtok::python {
namespace {

Backtrack backtrack_of(const std::variant<std::string, std::size_t>& pieces) {
  if (const auto* k = std::get_if<std::size_t>(&pieces)) return Backtrack::pieces(*k);
  if (std::get<std::string>(pieces) != "auto") throw py::value_error("backtrack_pieces must be \"auto\" or a count");
  return Backtrack::automatic();
}

// (rollback_tokens, new_ids): drop that many ids from the end, then append.
py::tuple append_delta(const TokenDelta& delta) {
  return py::make_tuple(delta.rollback_tokens, to_list(delta.tokens_to_append));
}

// (rollback_tokens, new_ids, restart): with restart, drop every id first.
py::tuple session_delta(const TokenDelta& delta) {
  return py::make_tuple(delta.rollback_tokens, to_list(delta.tokens_to_append), delta.restart);
}

// The cache's text as a str (bytes that are not UTF-8, from a lone surrogate, as U+FFFD).
py::str decode_text(const std::string& bytes) {
  PyObject* text = PyUnicode_DecodeUTF8(bytes.data(), static_cast<Py_ssize_t>(bytes.size()), "replace");
  if (text == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(text);
}

void bind_append_only(py::module_& m) {
  py::class_<AppendOnlyTokenCache>(m, "AppendOnlyTokenCache")
      .def(py::init([](const PyEncoding& enc, const py::str& text, const std::variant<std::string, std::size_t>& pieces) {
             return AppendOnlyTokenCache(enc.encoder, Utf8Text(text).view(), backtrack_of(pieces));
           }),
           py::arg("enc"), py::arg("text") = "", py::arg("backtrack_pieces") = "auto")
      .def("append",
           [](AppendOnlyTokenCache& self, const py::str& text) {
             return append_delta(self.append_ordinary(Utf8Text(text).view()));
           },
           py::arg("text"))
      .def("reset", [](AppendOnlyTokenCache& self, const py::str& text) { self.reset(Utf8Text(text).view()); },
           py::arg("text") = "")
      .def("tokens", [](const AppendOnlyTokenCache& self) { return to_list(self.tokens()); })
      .def_property_readonly("text", [](const AppendOnlyTokenCache& self) { return decode_text(self.text()); })
      .def("__len__", &AppendOnlyTokenCache::size);
}

void bind_fixed_prefix(py::module_& m) {
  py::class_<FixedPrefixTokenCache>(m, "FixedPrefixTokenCache")
      .def(py::init([](const PyEncoding& enc, const py::str& prefix) {
             return std::make_unique<FixedPrefixTokenCache>(enc.encoder, std::string(Utf8Text(prefix).view()));
           }),
           py::arg("enc"), py::arg("prefix"))
      .def("encode",
           [](const FixedPrefixTokenCache& self, const py::str& suffix) {
             const Utf8Text utf8(suffix);
             return encode_releasing_gil(utf8.view(), [&](std::string_view t) { return self.encode_ordinary(t); });
           },
           py::arg("suffix"))
      .def("count",
           [](const FixedPrefixTokenCache& self, const py::str& suffix) {
             const Utf8Text utf8(suffix);
             py::gil_scoped_release unlocked;
             return self.count(utf8.view());
           },
           py::arg("suffix"))
      .def("encode_delta",
           [](const FixedPrefixTokenCache& self, const py::str& suffix) {
             const Utf8Text utf8(suffix);
             TokenDelta delta;
             {
               py::gil_scoped_release unlocked;
               self.encode_delta(utf8.view(), &delta);
             }
             return append_delta(delta);
           },
           py::arg("suffix"))
      .def("prefix_tokens",
           [](const FixedPrefixTokenCache& self) {
             std::vector<Rank> ids = self.stable_tokens();
             ids.insert(ids.end(), self.unstable_tokens().begin(), self.unstable_tokens().end());
             return to_list(ids);
           })
      .def_property_readonly("prefix", [](const FixedPrefixTokenCache& self) { return decode_text(self.prefix()); });
}

// A thread-safe cache's call on (session, text), with the GIL released.
template <typename Call>
py::tuple session_call(SessionTokenCache& self, const py::str& session, const py::str& text, Call call) {
  const Utf8Text id(session);
  const Utf8Text utf8(text);
  TokenDelta delta;
  {
    py::gil_scoped_release unlocked;
    delta = (self.*call)(id.view(), utf8.view());
  }
  return session_delta(delta);
}

// A cache's counters as a dict, for monitoring (names as in the C++ Stats).
py::dict stats_dict(const SessionTokenCache::Stats& s) {
  py::dict d;
  d["updates"] = s.updates;
  d["hits"] = s.hits;
  d["partial_hits"] = s.partial_hits;
  d["misses"] = s.misses;
  d["bytes_reused"] = s.bytes_reused;
  d["bytes_encoded"] = s.bytes_encoded;
  d["evictions"] = s.evictions;
  d["oversized"] = s.oversized;
  return d;
}

py::dict stats_dict(const SharedPrefixTokenCache::Stats& s) {
  py::dict d;
  d["lookups"] = s.lookups;
  d["hits"] = s.hits;
  d["partial_hits"] = s.partial_hits;
  d["bytes_reused"] = s.bytes_reused;
  d["tokens_reused"] = s.tokens_reused;
  d["blocks_inserted"] = s.blocks_inserted;
  d["evictions"] = s.evictions;
  d["short_texts"] = s.short_texts;
  d["blocks_deferred"] = s.blocks_deferred;
  return d;
}

void bind_session(py::module_& m) {
  py::class_<SessionTokenCache>(m, "SessionTokenCache")
      .def(py::init([](const PyEncoding& enc, std::size_t max_sessions, std::size_t max_bytes, std::size_t shards) {
             SessionTokenCache::Options options;
             options.max_sessions = max_sessions;
             options.max_bytes = max_bytes;
             options.shards = shards;
             return std::make_unique<SessionTokenCache>(enc.encoder, options);
           }),
           py::arg("enc"), py::kw_only(), py::arg("max_sessions") = SessionTokenCache::Options().max_sessions,
           py::arg("max_bytes") = SessionTokenCache::Options().max_bytes,
           py::arg("shards") = SessionTokenCache::Options().shards)
      .def("update",
           [](SessionTokenCache& self, const py::str& session, const py::str& prompt) {
             return session_call(self, session, prompt, &SessionTokenCache::update);
           },
           py::arg("session"), py::arg("prompt"))
      .def("update_splices",
           [](SessionTokenCache& self, const py::str& session, const py::str& prompt) {
             const Utf8Text id(session);
             const Utf8Text utf8(prompt);
             std::vector<TokenSplice> splices;
             {
               py::gil_scoped_release unlocked;
               splices = self.update_splices(id.view(), utf8.view());
             }
             py::list out;
             for (const TokenSplice& s : splices) {
               out.append(py::make_tuple(s.first_changed, s.replaced_tokens, to_list(s.replacement), s.restart));
             }
             return out;
           },
           py::arg("session"), py::arg("prompt"))
      .def("append_output",
           [](SessionTokenCache& self, const py::str& session, const py::str& text) {
             // The overload that returns its delta.
             using Append = TokenDelta (SessionTokenCache::*)(std::string_view, std::string_view);
             return session_call(self, session, text, static_cast<Append>(&SessionTokenCache::append_output));
           },
           py::arg("session"), py::arg("text"))
      .def("open_output",
           [](SessionTokenCache& self, const py::str& session) {
             const Utf8Text id(session);
             py::gil_scoped_release unlocked;  // it waits while another thread holds the session
             return self.open_output(id.view());
           },
           py::arg("session"), py::keep_alive<0, 1>())
      .def("tokens", [](const SessionTokenCache& self, const py::str& session) {
             return to_list(self.tokens(Utf8Text(session).view()));
           }, py::arg("session"))
      .def("erase", [](SessionTokenCache& self, const py::str& session) { return self.erase(Utf8Text(session).view()); },
           py::arg("session"))
      .def("stats", [](const SessionTokenCache& self) { return stats_dict(self.stats()); })
      .def("__len__", &SessionTokenCache::session_count);
}

// A session held for a stream of output; a context manager that closes it.
// Not thread-safe, so, as AppendOnlyTokenCache, its appends keep the GIL:
// two Python threads on one stream are then serialized, not a data race.
// A call on its session from the thread that holds it raises
// SessionHeldError, a RuntimeError (module.cc), rather than wait for itself.
void bind_output_stream(py::module_& m) {
  using OutputStream = SessionTokenCache::OutputStream;
  py::class_<OutputStream>(m, "SessionOutputStream")
      .def("append_output",
           [](OutputStream& self, const py::str& text) {
             return session_delta(self.append_output(Utf8Text(text).view()));
           },
           py::arg("text"))
      .def("close", &OutputStream::close)
      .def_property_readonly("open", &OutputStream::is_open)
      .def("__enter__", [](py::object self) { return self; })
      .def("__exit__", [](OutputStream& self, const py::args&) {
        self.close();
        return false;
      });
}

void bind_shared_prefix(py::module_& m) {
  const SharedPrefixTokenCache::Options defaults;
  py::class_<SharedPrefixTokenCache>(m, "SharedPrefixTokenCache")
      .def(py::init([](const PyEncoding& enc, std::size_t block_bytes, std::size_t max_blocks, std::size_t max_new_blocks) {
             SharedPrefixTokenCache::Options options;
             options.block_bytes = block_bytes;
             options.max_blocks = max_blocks;
             options.max_new_blocks = max_new_blocks;
             return std::make_unique<SharedPrefixTokenCache>(enc.encoder, options);
           }),
           py::arg("enc"), py::kw_only(), py::arg("block_bytes") = defaults.block_bytes,
           py::arg("max_blocks") = defaults.max_blocks, py::arg("max_new_blocks") = defaults.max_new_blocks)
      .def("encode",
           [](SharedPrefixTokenCache& self, const py::str& text) {
             const Utf8Text utf8(text);
             return encode_releasing_gil(utf8.view(), [&](std::string_view t) { return self.encode_ordinary(t); });
           },
           py::arg("text"))
      .def("prebuild",
           [](SharedPrefixTokenCache& self, const py::list& prefixes) {
             const std::vector<std::string> utf8 = utf8_copies(prefixes);
             py::gil_scoped_release unlocked;
             self.prebuild(utf8);
           },
           py::arg("prefixes"))
      .def("stats", [](const SharedPrefixTokenCache& self) { return stats_dict(self.stats()); })
      .def("__len__", &SharedPrefixTokenCache::block_count);
}

}  // namespace

void bind_caches(py::module_& m) {
  bind_append_only(m);
  bind_fixed_prefix(m);
  bind_session(m);
  bind_output_stream(m);
  bind_shared_prefix(m);
}

}  // namespace flashtok::python
