// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "flashtok/workloads/jsonl.h"

#include <nlohmann/json.hpp>
#include <optional>

#include "util/base64.h"  // lib/src: the rank files' decoder, shared
#include "flashtok/utf8_validity.h"

namespace flashtok::workloads {
namespace {

using nlohmann::json;

// The shapes: which fields a kind has, in the order they are written.
struct Shape {
  RequestKind kind;
  const char* first;   // "session", "prefix" or nullptr
  const char* second;  // the text field
};
constexpr Shape kShapes[] = {
    {RequestKind::kAppend, "session", "append"},   {RequestKind::kPrompt, "session", "prompt"},
    {RequestKind::kOutput, "session", "output"},   {RequestKind::kFixedPrefix, "prefix", "suffix"},
    {RequestKind::kText, nullptr, "text"},
};

const Shape& shape_of(RequestKind kind) {
  for (const Shape& s : kShapes) {
    if (s.kind == kind) return s;
  }
  return kShapes[0];
}

bool is_session(const char* field) { return field[0] == 's'; }

[[noreturn]] void fail(std::size_t line, const std::string& what) {
  throw WorkloadError("line " + std::to_string(line) + ": " + what);
}

std::string quoted(const std::string& field) { return "\"" + field + "\""; }

std::string string_field(const json& object, const std::string& name, std::size_t line) {
  const json& value = object.at(name);
  if (!value.is_string()) fail(line, quoted(name) + " must be a string");
  return value.get<std::string>();
}

// Whether the line has the text field `name`, plain or as name_b64.
bool has_bytes_field(const json& object, const std::string& name) {
  return object.contains(name) || object.contains(name + "_b64");
}

// The bytes of field `name`, given as a string or, for bytes that are not
// UTF-8, as base64 in name_b64: exactly one of the two.
std::string bytes_field(const json& object, const std::string& name, std::size_t line) {
  const std::string b64 = name + "_b64";
  if (!object.contains(b64)) return string_field(object, name, line);
  if (object.contains(name)) fail(line, "has both " + quoted(name) + " and " + quoted(b64));
  std::string bytes;
  if (!internal::decode_base64(string_field(object, b64, line), &bytes)) {
    fail(line, quoted(b64) + " is not valid base64 (standard alphabet, '=' padding)");
  }
  return bytes;
}

// Writes a text field as a string, or as name_b64 when JSON cannot carry it.
void put_bytes_field(json* object, const std::string& name, const std::string& bytes) {
  if (first_invalid_utf8(bytes)) {
    (*object)[name + "_b64"] = internal::encode_base64(bytes);
  } else {
    (*object)[name] = bytes;
  }
}

bool blank(std::string_view line) { return line.find_first_not_of(" \t\r") == std::string_view::npos; }

json parse_object(std::string_view line, std::size_t line_number) {
  // nlohmann's parser takes a NUL byte for the end of the input and would
  // ignore the rest of the line; JSON allows none outside a \u0000 escape.
  const std::size_t nul = line.find('\0');
  if (nul != std::string_view::npos) fail(line_number, "a NUL byte at column " + std::to_string(nul + 1));
  json object;
  try {
    object = json::parse(line);
  } catch (const json::exception& e) {
    fail(line_number, std::string("not valid JSON (") + e.what() + ")");
  }
  if (!object.is_object()) fail(line_number, "expected a JSON object");
  return object;
}

Request parse_request(std::string_view line, std::size_t line_number) {
  const json object = parse_object(line, line_number);
  const Shape* found = nullptr;
  for (const Shape& shape : kShapes) {
    if (!has_bytes_field(object, shape.second)) continue;
    if (found) fail(line_number, std::string("has both \"") + found->second + "\" and \"" + shape.second + "\"");
    found = &shape;
  }
  if (!found) fail(line_number, "needs one of \"append\", \"prompt\", \"output\" (with \"session\"), \"suffix\" (with \"prefix\"), or \"text\"");
  if (found->first && !has_bytes_field(object, found->first)) {
    fail(line_number, std::string("\"") + found->second + "\" needs \"" + found->first + "\"");
  }
  Request request;
  request.kind = found->kind;
  request.text = bytes_field(object, found->second, line_number);
  if (found->first && is_session(found->first)) request.session = string_field(object, "session", line_number);
  if (found->first && !is_session(found->first)) request.prefix = bytes_field(object, "prefix", line_number);
  return request;
}

}  // namespace

std::string to_jsonl(const std::vector<Request>& requests) {
  std::string out;
  for (const Request& r : requests) {
    const Shape& shape = shape_of(r.kind);
    json object = json::object();
    if (shape.first && is_session(shape.first)) object[shape.first] = r.session;  // from JSON: UTF-8
    if (shape.first && !is_session(shape.first)) put_bytes_field(&object, shape.first, r.prefix);
    put_bytes_field(&object, shape.second, r.text);
    out += object.dump();
    out += '\n';
  }
  return out;
}

std::vector<Request> parse_jsonl(std::string_view content) {
  std::vector<Request> requests;
  std::size_t line_number = 0;
  while (!content.empty()) {
    ++line_number;
    const std::size_t eol = content.find('\n');
    const std::string_view line = content.substr(0, eol);
    content.remove_prefix(eol == std::string_view::npos ? content.size() : eol + 1);
    if (!blank(line)) requests.push_back(parse_request(line, line_number));
  }
  return requests;
}

Workload replay_workload(const std::string& path, std::string_view content) {
  const std::size_t slash = path.find_last_of('/');
  Workload w;
  w.name = "replay:" + path.substr(slash == std::string::npos ? 0 : slash + 1);
  w.description = "requests replayed from " + path;
  try {
    w.requests = parse_jsonl(content);
  } catch (const WorkloadError& e) {
    throw WorkloadError(path + ": " + e.what());
  }
  return w;
}

}  // namespace flashtok::workloads
