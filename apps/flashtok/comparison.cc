// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "comparison.h"

#include <cmath>
#include <map>

#include "bench_report.h"
#include "cli_support.h"
#include "mann_whitney.h"

namespace flashtok::cli {
namespace {

using nlohmann::json;

struct Figure {
  double value = 0;
  bool gated = false;
  std::vector<double> passes;  // per-pass values, when the run kept them
};

using Figures = std::map<std::string, Figure>;

// The key without the path segment `drop` ("voice/append-only/cl100k_base/speedup_total"
// without "cl100k_base").
std::string without_segment(const std::string& key, const std::string& drop) {
  if (drop.empty()) return key;
  std::string out;
  std::size_t start = 0;
  while (start <= key.size()) {
    const std::size_t slash = std::min(key.find('/', start), key.size());
    const std::string segment = key.substr(start, slash - start);
    if (segment != drop) out += (out.empty() ? "" : "/") + segment;
    start = slash + 1;
  }
  return out;
}

Figures figures_of(const json& run, const std::string& drop) {
  Figures out;
  std::map<std::string, std::vector<double>> passes;  // by row prefix
  const json rows = run.value("results", json::array());
  for (const auto& row : rows) {
    if (!row.is_object() || !row.contains("full") || !row.contains("cached")) continue;  // verify's rows
    const std::string prefix = row.at("workload").get<std::string>() + "/" + row.at("cache").get<std::string>() + "/" +
                               row.at("encoding").get<std::string>() + "/";
    const json& speedup = row.value("speedup", json::object());
    passes[prefix + "speedup_total"] = speedup.value("passes", std::vector<double>{});
    passes[prefix + "speedup_p50"] = speedup.value("passes_p50", std::vector<double>{});
    for (const char* method : {"full", "cached"}) {
      for (const char* field : {"p50_us", "p99_us"}) {
        out[without_segment(prefix + method + "_" + field, drop)] = {row.at(method).at(field).get<double>(), false, {}};
      }
    }
  }
  const json ratios = run.value("ratios", json::object());  // items() must not outlive it
  for (const auto& [key, value] : ratios.items()) {
    out[without_segment(key, drop)] = {value.get<double>(), true, passes[key]};
  }
  return out;
}

// The single encoding of a run, or "" when it has several.
std::string single_encoding(const json& run) {
  const json encodings = run.value("parameters", json::object()).value("encodings", json::array());
  return encodings.size() == 1 ? encodings[0].get<std::string>() : "";
}

// The passes' standard deviation over their mean; 0 for fewer than two.
double relative_spread(const std::vector<double>& passes) {
  if (passes.size() < 2) return 0;
  double sum = 0, squares = 0;
  for (double v : passes) sum += v;
  const double mean = sum / static_cast<double>(passes.size());
  for (double v : passes) squares += (v - mean) * (v - mean);
  return mean > 0 ? std::sqrt(squares / static_cast<double>(passes.size() - 1)) / mean : 0;
}

ComparedFigure compare_figure(const std::string& key, const Figure& a, const Figure& b, double pct, bool counted) {
  ComparedFigure f{key, a.value, b.value, a.gated && b.gated, std::nullopt, false};
  f.passes_a = a.passes.size();
  f.passes_b = b.passes.size();
  f.too_noisy = relative_spread(a.passes) > kNoisySpread || relative_spread(b.passes) > kNoisySpread;
  if (!counted && f.passes_a >= kFewestPassesForTest && f.passes_b >= kFewestPassesForTest) {
    f.p_value = mann_whitney_p(a.passes, b.passes);
  }
  f.regressed = f.gated && f.past_threshold(pct) && (!f.p_value || *f.p_value < kSignificance);
  return f;
}

}  // namespace

std::string metric_of(const json& run) {
  return run.value("parameters", json::object()).value("metric", std::string("wall"));
}

std::size_t Comparison::regressions() const {
  std::size_t n = 0;
  for (const auto& f : figures) n += f.regressed;
  return n;
}

Comparison compare_runs(const json& a, const json& b, double pct, KeyMatch match) {
  if (metric_of(a) != metric_of(b)) {
    throw CommandError("one run measured " + metric_of(a) + ", the other " + metric_of(b) +
                       ": their ratios cannot be compared");
  }
  const bool counted = metric_of(a) == "instructions";
  Comparison c;
  c.max_regression_pct = pct;
  const std::string enc_a = single_encoding(a), enc_b = single_encoding(b);
  const bool across_encodings =
      match == KeyMatch::kAcrossSingleEncodings && !enc_a.empty() && !enc_b.empty() && enc_a != enc_b;
  if (across_encodings) c.matched_across = "encoding " + enc_a + " vs " + enc_b;
  const Figures fa = figures_of(a, across_encodings ? enc_a : "");
  const Figures fb = figures_of(b, across_encodings ? enc_b : "");
  for (const auto& [key, figure] : fa) {
    const auto other = fb.find(key);
    if (other == fb.end()) {
      c.only_in_a.push_back(key);
    } else {
      c.figures.push_back(compare_figure(key, figure, other->second, pct, counted));
    }
  }
  for (const auto& [key, figure] : fb) {
    if (!fa.count(key)) c.only_in_b.push_back(key);
  }
  return c;
}

}  // namespace flashtok::cli
