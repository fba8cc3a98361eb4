// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "junit_report.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "flashtok/utf8_validity.h"

namespace flashtok::cli {
namespace {

std::string hex_byte(unsigned char byte) { return fmt::format("\\x{:02X}", byte); }

// U+FFFE or U+FFFF (EF BF BE, EF BF BF) at text[i].
bool is_fffe_or_ffff(std::string_view text, std::size_t i) {
  return text.substr(i, 2) == "\xEF\xBF" && i + 2 < text.size() && static_cast<unsigned char>(text[i + 2]) >= 0xBE;
}

// Valid UTF-8 escaped for XML.
void escape_valid(std::string_view text, std::string* out) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '&') *out += "&amp;";
    else if (c == '<') *out += "&lt;";
    else if (c == '>') *out += "&gt;";
    else if (c == '"') *out += "&quot;";
    else if (c == '\'') *out += "&apos;";
    else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') *out += hex_byte(c);
    else if (is_fffe_or_ffff(text, i)) {
      for (int k = 0; k < 3; ++k) *out += hex_byte(static_cast<unsigned char>(text[i + k]));
      i += 2;
    } else {
      *out += static_cast<char>(c);
    }
  }
}

std::string describe(const Mismatch& m) {
  std::string where = m.request ? fmt::format("request {} (session '{}'), ", *m.request, m.session)
                                : fmt::format("text {}, ", m.workload);
  return where + fmt::format("token {}, byte {}", m.token_index, m.byte_offset);
}

std::string test_case(const CacheChecks& c) {
  std::string xml = fmt::format("    <testcase classname=\"verify.{}.{}\" name=\"{}\">\n", xml_escape(c.workload),
                                xml_escape(c.encoding), xml_escape(c.cache));
  if (c.first) {
    const Mismatch& m = *c.first;
    const std::string message =
        fmt::format("{} of {} checks differ from a full encode; first at {}", c.mismatches, c.checks, describe(m));
    const std::string body = fmt::format("expected ids {}\ngot ids      {}\ntext around the byte: {}\n",
                                         fmt::join(m.expected, " "), fmt::join(m.got, " "), m.excerpt);
    xml += fmt::format("      <failure type=\"mismatch\" message=\"{}\">{}</failure>\n", xml_escape(message),
                       xml_escape(body));
  }
  return xml + "    </testcase>\n";
}

}  // namespace

std::string xml_escape(std::string_view text) {
  std::string out;
  while (!text.empty()) {
    const std::size_t bad = first_invalid_utf8(text).value_or(text.size());
    escape_valid(text.substr(0, bad), &out);
    if (bad == text.size()) break;
    out += hex_byte(static_cast<unsigned char>(text[bad]));
    text.remove_prefix(bad + 1);
  }
  return out;
}

std::string verification_junit(const Verification& v) {
  std::size_t cases = 0, failures = 0;
  std::string body;
  for (const auto* rows : {&v.golden, &v.caches}) {
    for (const CacheChecks& c : *rows) {
      ++cases;
      failures += c.mismatches > 0;
      body += test_case(c);
    }
  }
  return fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                     "<testsuites name=\"flashtok verify\" tests=\"{0}\" failures=\"{1}\">\n"
                     "  <testsuite name=\"verify\" tests=\"{0}\" failures=\"{1}\" errors=\"0\" skipped=\"0\">\n"
                     "{2}"
                     "  </testsuite>\n"
                     "</testsuites>\n",
                     cases, failures, body);
}

}  // namespace flashtok::cli
