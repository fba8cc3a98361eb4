// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "flashtok/workloads/jsonl.h"

#include <nlohmann/json.hpp>

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

[[noreturn]] void fail(std::size_t line, const std::string& what) {
  throw ReplayError("line " + std::to_string(line) + ": " + what);
}

std::string string_field(const json& object, const char* name, std::size_t line) {
  const json& value = object.at(name);
  if (!value.is_string()) fail(line, std::string("\"") + name + "\" must be a string");
  return value.get<std::string>();
}

bool blank(std::string_view line) { return line.find_first_not_of(" \t\r") == std::string_view::npos; }

}  // namespace

std::string to_jsonl(const std::vector<Request>& requests) {
  std::string out;
  for (const Request& r : requests) {
    const Shape& shape = shape_of(r.kind);
    json object = json::object();
    if (shape.first) object[shape.first] = shape.first[0] == 's' ? r.session : r.prefix;
    object[shape.second] = r.text;
    out += object.dump();  // throws on invalid UTF-8: generated text never has any
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
    if (blank(line)) continue;
    json object;
    try {
      object = json::parse(line);
    } catch (const json::exception& e) {
      fail(line_number, std::string("not valid JSON (") + e.what() + ")");
    }
    if (!object.is_object()) fail(line_number, "expected a JSON object");
    const Shape* found = nullptr;
    for (const Shape& shape : kShapes) {
      if (!object.contains(shape.second)) continue;
      if (found) fail(line_number, std::string("has both \"") + found->second + "\" and \"" + shape.second + "\"");
      found = &shape;
    }
    if (!found) fail(line_number, "needs one of \"append\", \"prompt\", \"output\" (with \"session\"), \"suffix\" (with \"prefix\"), or \"text\"");
    if (found->first && !object.contains(found->first)) {
      fail(line_number, std::string("\"") + found->second + "\" needs \"" + found->first + "\"");
    }
    Request request;
    request.kind = found->kind;
    request.text = string_field(object, found->second, line_number);
    if (found->first && found->first[0] == 's') request.session = string_field(object, "session", line_number);
    if (found->first && found->first[0] == 'p') request.prefix = string_field(object, "prefix", line_number);
    requests.push_back(std::move(request));
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
  } catch (const ReplayError& e) {
    throw ReplayError(path + ": " + e.what());
  }
  return w;
}

}  // namespace flashtok::workloads
