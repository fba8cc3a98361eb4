// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "pretokenizer/regex_pattern.h"

#include <cstdio>
#include <map>

#include "flashtok/error.h"
#include "unicode/char_class.h"

namespace flashtok::internal {
namespace {

using unicode::CodepointRange;
using unicode::NamedSet;

[[noreturn]] void unsupported(std::string_view pattern, const std::string& what) {
  throw Error(ErrorCode::kUnsupportedPattern,
              "pattern '" + std::string(pattern) + "': " + what + " is not supported on the RE2 path");
}

std::vector<CodepointRange> complement(const std::vector<CodepointRange>& ranges) {
  std::vector<CodepointRange> out;
  char32_t next = 0;
  auto add = [&out](char32_t first, char32_t last) {
    // Surrogates are not characters; RE2 would reject them in a class.
    if (first < 0xD800 && last >= 0xD800) {
      out.push_back({first, 0xD7FF});
      first = 0xE000;
    } else if (first >= 0xD800 && first <= 0xDFFF) {
      first = 0xE000;
    }
    if (first <= last) out.push_back({first, last});
  };
  for (const auto& r : ranges) {
    if (r.first > next) add(next, r.first - 1);
    next = r.last + 1;
  }
  if (next <= 0x10FFFF) add(next, 0x10FFFF);
  return out;
}

// Ranges as the inside of an RE2 character class: \x{41}-\x{5A}...
std::string class_body(const std::vector<CodepointRange>& ranges) {
  std::string out;
  char buffer[40];
  for (const auto& r : ranges) {
    if (r.first == r.last) {
      std::snprintf(buffer, sizeof buffer, "\\x{%X}", static_cast<unsigned>(r.first));
    } else {
      std::snprintf(buffer, sizeof buffer, "\\x{%X}-\\x{%X}", static_cast<unsigned>(r.first),
                    static_cast<unsigned>(r.last));
    }
    out += buffer;
  }
  return out;
}

// \p{...} names whose sets flashtok carries (from tiktoken's engine).
bool named_set(std::string_view name, std::vector<CodepointRange>* ranges) {
  static const std::map<std::string_view, NamedSet> kNames = {
      {"L", NamedSet::kLetter},       {"Letter", NamedSet::kLetter},
      {"Lu", NamedSet::kUppercase},   {"Uppercase_Letter", NamedSet::kUppercase},
      {"Lt", NamedSet::kTitlecase},   {"Titlecase_Letter", NamedSet::kTitlecase},
      {"Ll", NamedSet::kLowercase},   {"Lowercase_Letter", NamedSet::kLowercase},
      {"Lm", NamedSet::kModifier},    {"Modifier_Letter", NamedSet::kModifier},
      {"Lo", NamedSet::kOtherLetter}, {"Other_Letter", NamedSet::kOtherLetter},
      {"M", NamedSet::kMark},         {"Mark", NamedSet::kMark},
      {"N", NamedSet::kNumber},       {"Number", NamedSet::kNumber},
  };
  const auto it = kNames.find(name);
  if (it == kNames.end()) return false;
  *ranges = unicode::ranges_of(it->second);
  return true;
}

class Rewriter {
 public:
  explicit Rewriter(std::string_view pattern) : pattern_(pattern) {}

  Re2Pattern run() {
    Re2Pattern out;
    for (std::string_view alternative : split_top_level()) {
      const bool lookahead = alternative == "\\s+(?!\\S)";
      out.alternatives.push_back(rewrite(lookahead ? std::string_view("\\s+") : alternative));
      out.is_whitespace_lookahead.push_back(lookahead);
    }
    return out;
  }

 private:
  std::vector<std::string_view> split_top_level() const {
    std::vector<std::string_view> parts;
    int depth = 0;
    bool in_class = false;
    std::size_t start = 0;
    for (std::size_t i = 0; i < pattern_.size(); ++i) {
      const char c = pattern_[i];
      if (c == '\\') {
        ++i;
      } else if (in_class) {
        if (c == ']') in_class = false;
      } else if (c == '[') {
        in_class = true;
        if (i + 1 < pattern_.size() && pattern_[i + 1] == '^') ++i;
        if (i + 1 < pattern_.size() && pattern_[i + 1] == ']') ++i;  // a literal ] first
      } else if (c == '(') {
        ++depth;
      } else if (c == ')') {
        --depth;
      } else if (c == '|' && depth == 0) {
        parts.push_back(pattern_.substr(start, i - start));
        start = i + 1;
      }
    }
    if (depth != 0 || in_class) unsupported(pattern_, "an unbalanced group or class");
    parts.push_back(pattern_.substr(start));
    return parts;
  }

  std::string rewrite(std::string_view alt) {
    std::string out;
    bool in_class = false;
    for (std::size_t i = 0; i < alt.size(); ++i) {
      const char c = alt[i];
      if (c == '\\') {
        i = rewrite_escape(alt, i, in_class, &out);
      } else if (in_class) {
        if (c == '[') unsupported(pattern_, "a nested character class");
        if (c == ']') in_class = false;
        out += c;
      } else if (c == '[') {
        in_class = true;
        out += c;
        if (i + 1 < alt.size() && alt[i + 1] == '^') out += alt[++i];
      } else if (c == '(') {
        i = rewrite_group_open(alt, i, &out);
      } else {
        out += c;
      }
    }
    return out;
  }

  // Capturing groups become non-capturing: the regex pretokenizer numbers
  // groups itself, one per top-level alternative.
  std::size_t rewrite_group_open(std::string_view alt, std::size_t i, std::string* out) {
    const std::string_view rest = alt.substr(i);
    for (std::string_view look : {"(?=", "(?!", "(?<=", "(?<!"}) {
      if (rest.substr(0, look.size()) == look) unsupported(pattern_, "a lookaround other than `\\s+(?!\\S)`");
    }
    if (rest.substr(0, 3) == "(?>") unsupported(pattern_, "an atomic group");
    std::size_t skip = 0;
    if (rest.substr(0, 3) == "(?P" || (rest.substr(0, 2) == "(?" && rest.size() > 2 && rest[2] == '<')) {
      skip = rest.find('>');
      if (skip == std::string_view::npos) unsupported(pattern_, "an unterminated group name");
    } else if (rest.substr(0, 2) == "(?") {
      *out += '(';  // flags or non-capturing group: RE2 reads these as they are
      return i;
    }
    *out += "(?:";
    return i + skip;
  }

  std::size_t rewrite_escape(std::string_view alt, std::size_t i, bool in_class, std::string* out) {
    if (i + 1 >= alt.size()) unsupported(pattern_, "a trailing backslash");
    const char e = alt[i + 1];
    std::vector<CodepointRange> ranges;
    bool negate = false;
    std::size_t end = i + 1;
    if (e == 's' || e == 'S') {
      ranges = unicode::ranges_of(NamedSet::kWhiteSpace);
      negate = e == 'S';
    } else if (e == 'p' || e == 'P') {
      std::string_view name;
      if (i + 2 < alt.size() && alt[i + 2] == '{') {
        end = alt.find('}', i + 3);
        if (end == std::string_view::npos) unsupported(pattern_, "an unterminated \\p{");
        name = alt.substr(i + 3, end - i - 3);
      } else if (i + 2 < alt.size()) {
        end = i + 2;
        name = alt.substr(i + 2, 1);
      }
      if (!named_set(name, &ranges)) {
        *out += alt.substr(i, end + 1 - i);  // a property flashtok does not carry: RE2's own table
        return end;
      }
      negate = e == 'P';
    } else if (std::string_view("dDwWbB").find(e) != std::string_view::npos) {
      unsupported(pattern_, std::string("\\") + e + " (its Unicode meaning differs in RE2)");
    } else {
      *out += alt.substr(i, 2);
      return i + 1;
    }
    if (negate) ranges = complement(ranges);
    *out += in_class ? class_body(ranges) : "[" + class_body(ranges) + "]";
    return end;
  }

  std::string_view pattern_;
};

}  // namespace

Re2Pattern rewrite_for_re2(std::string_view pattern) { return Rewriter(pattern).run(); }

}  // namespace flashtok::internal
