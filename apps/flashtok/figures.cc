// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "figures.h"

#include <algorithm>
#include <map>

#include "chart.h"
#include "cli_support.h"

namespace flashtok::cli {
namespace {

using nlohmann::json;

const std::map<std::string, std::string>& captions() {
  static const std::map<std::string, std::string> text = {
      {"latency_percentiles.png",
       "Per-request latency, full re-encode against the cache, p50 and p99 (log scale): the gap is the saving. "
       "shared/shuffled: few-shot prompts in order or shuffled; +pre: the cache prebuilt from mined prefixes."},
      {"per_turn_latency.png",
       "Each turn's latency against the history length (append-only workloads, and each session's prompt in "
       "sessions). A full re-encode grows with the history; the cache stays flat."},
      {"cumulative_cpu.png",
       "Total CPU time spent tokenizing over a session, turn by turn: what the battery pays on a phone."},
      {"encoder_throughput.png", "Full-encoder throughput by text kind (one thread, MB/s)."},
      {"speedup_vs_length.png",
       "Speedup over a full encode as the fixed prefix (solid) or the history (dashed) grows; log-log."},
      {"backtrack_sweep.png",
       "Fixed backtrack_pieces k against auto (dashed): how many turns come out wrong, and what an append costs."},
  };
  return text;
}

std::string label(const json& row, const char* field) { return row.at(field).get<std::string>(); }

// Where figures go: staged under temporary names in dir, their names listed.
struct FigureSink {
  const std::string& dir;
  StagedFiles* staged;
  std::vector<std::string>* files;

  void draw(const std::string& name, const std::vector<Panel>& panels) const {
    draw_figure(staged->reserve(dir + "/" + name), panels);
    files->push_back(name);
  }
};

// A workload's name on the x axis, short enough for eight groups side by
// side, with "+pre" for the prebuilt variant of the shared prefix cache.
std::string bar_label(const json& row) {
  std::string workload = label(row, "workload");
  if (workload == "shared-prefix") workload = "shared";
  if (workload == "shared-prefix-shuffled") workload = "shuffled";
  return label(row, "cache").find("prebuilt") == std::string::npos ? workload : workload + " +pre";
}

// Interleaved sessions come in no order of history length: sort by x.
Panel::Line sorted_by_x(std::string name, std::vector<double> x, std::vector<double> y, bool dashed) {
  std::vector<std::pair<double, double>> points;
  for (std::size_t i = 0; i < x.size() && i < y.size(); ++i) points.emplace_back(x[i], y[i]);
  std::stable_sort(points.begin(), points.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  Panel::Line line{std::move(name), {}, {}, dashed};
  for (const auto& [px, py] : points) {
    line.x.push_back(px);
    line.y.push_back(py);
  }
  return line;
}

void bench_figures(const json& r, const FigureSink& sink) {
  const std::string first_encoding = r.at("parameters").at("encodings").at(0);
  {
    Panel p;
    p.title = "Latency per request (" + first_encoding + ")";
    p.y_label = "microseconds (log)";
    p.log_y = true;
    p.bar_series = {"full p50", "full p99", "cache p50", "cache p99"};
    for (const auto& row : r.at("results")) {
      if (label(row, "encoding") != first_encoding) continue;
      p.categories.push_back(bar_label(row));
      p.bars.push_back({row.at("full").at("p50_us"), row.at("full").at("p99_us"), row.at("cached").at("p50_us"),
                        row.at("cached").at("p99_us")});
    }
    if (!p.categories.empty()) {
      sink.draw("latency_percentiles.png", {p});
    }
  }
  if (!r.at("series").empty()) {
    Panel turns, cpu;
    turns.title = "Per-turn latency vs history length";
    turns.x_label = "history (tokens, log)";
    turns.y_label = "microseconds per turn (log)";
    turns.log_x = turns.log_y = true;
    cpu.title = "Cumulative tokenizer CPU time over a session";
    cpu.x_label = "turn";
    cpu.y_label = "CPU milliseconds";
    for (const auto& s : r.at("series")) {
      const std::string name = label(s, "workload") + " " + label(s, "encoding");
      const auto history = s.at("history_tokens").get<std::vector<double>>();
      turns.lines.push_back(sorted_by_x(name + " full", history, s.at("full_us").get<std::vector<double>>(), false));
      turns.lines.push_back(sorted_by_x(name + " cache", history, s.at("cached_us").get<std::vector<double>>(), true));
      std::vector<double> index, full_total, cache_total;
      double f = 0, c = 0;
      const auto full_cpu = s.at("full_cpu_us").get<std::vector<double>>();
      const auto cache_cpu = s.at("cached_cpu_us").get<std::vector<double>>();
      for (std::size_t i = 0; i < full_cpu.size() && i < cache_cpu.size(); ++i) {
        index.push_back(static_cast<double>(i + 1));
        full_total.push_back(f += full_cpu[i] / 1e3);
        cache_total.push_back(c += cache_cpu[i] / 1e3);
      }
      cpu.lines.push_back({name + " full", index, full_total, false});
      cpu.lines.push_back({name + " cache", index, cache_total, true});
    }
    sink.draw("per_turn_latency.png", {turns});
    sink.draw("cumulative_cpu.png", {cpu});
  }
  if (r.contains("encoder_throughput") && !r.at("encoder_throughput").empty()) {
    Panel p;
    p.title = "Full encoder throughput (one thread)";
    p.y_label = "MB/s";
    std::map<std::string, std::size_t> kind_index, encoding_index;
    for (const auto& row : r.at("encoder_throughput")) {
      const std::string kind = label(row, "kind"), encoding = label(row, "encoding");
      if (!kind_index.count(kind)) {
        kind_index[kind] = p.categories.size();
        p.categories.push_back(kind);
      }
      if (!encoding_index.count(encoding)) {
        encoding_index[encoding] = p.bar_series.size();
        p.bar_series.push_back(encoding);
      }
    }
    p.bars.assign(p.categories.size(), std::vector<double>(p.bar_series.size(), 0.0));
    for (const auto& row : r.at("encoder_throughput")) {
      p.bars[kind_index[label(row, "kind")]][encoding_index[label(row, "encoding")]] = row.at("mb_per_s");
    }
    sink.draw("encoder_throughput.png", {p});
  }
}

void sweep_figures(const json& r, const FigureSink& sink) {
  {
    Panel p;
    p.title = "Speedup over a full encode vs length";
    p.x_label = "prefix or history length (tokens, log)";
    p.y_label = "speedup (log)";
    p.log_x = p.log_y = true;
    std::map<std::string, Panel::Line> lines;
    for (const auto& row : r.at("sizes")) {
      const std::string sweep = label(row, "sweep");
      if (sweep == "suffix") continue;
      const std::string name = (sweep == "prefix" ? "fixed prefix " : "append-only history ") + label(row, "encoding");
      Panel::Line& line = lines[name];
      line.label = name;
      line.dashed = sweep == "history";
      line.x.push_back(row.at("size"));
      line.y.push_back(row.at("speedup"));
    }
    for (auto& [name, line] : lines) p.lines.push_back(line);
    if (!p.lines.empty()) {
      sink.draw("speedup_vs_length.png", {p});
    }
  }
  Panel wrong, cost;
  wrong.title = "Turns that come out wrong";
  wrong.x_label = "backtrack_pieces k";
  wrong.y_label = "% of turns";
  cost.title = "Mean append latency";
  cost.x_label = "backtrack_pieces k";
  cost.y_label = "microseconds";
  std::map<std::string, std::pair<Panel::Line, Panel::Line>> by_run;  // fixed k: (wrong, cost)
  std::map<std::string, std::pair<double, double>> auto_values;
  double max_k = 0;
  for (const auto& row : r.at("backtrack")) {
    const std::string name = label(row, "workload") + " " + label(row, "encoding");
    const std::string k = label(row, "backtrack");
    const double rate = 100.0 * row.at("mismatch_rate").get<double>(), us = row.at("mean_us");
    if (k == "auto") {
      auto_values[name] = {rate, us};
      continue;
    }
    auto& [w, c] = by_run[name];
    w.label = c.label = name;
    w.x.push_back(std::stod(k));
    c.x.push_back(std::stod(k));
    w.y.push_back(rate);
    c.y.push_back(us);
    max_k = std::max(max_k, std::stod(k));
  }
  for (auto& [name, lines] : by_run) {
    wrong.lines.push_back(lines.first);
    cost.lines.push_back(lines.second);
  }
  // auto as a dashed level across the k range, in the same colour order.
  int colour = 0;
  for (auto& [name, lines] : by_run) {
    const auto it = auto_values.find(name);
    if (it != auto_values.end()) {
      wrong.lines.push_back({name + " auto", {0, max_k}, {it->second.first, it->second.first}, true, colour});
      cost.lines.push_back({name + " auto", {0, max_k}, {it->second.second, it->second.second}, true, colour});
    }
    ++colour;
  }
  if (!wrong.lines.empty()) {
    sink.draw("backtrack_sweep.png", {wrong, cost});
  }
}

}  // namespace

std::vector<std::string> draw_figures(const std::vector<json>& results, const std::string& dir, StagedFiles* staged) {
  std::vector<std::string> files;
  const FigureSink sink{dir, staged, &files};
  for (const json& r : results) {
    try {
      const std::string command = r.at("command");
      if (command == "bench") bench_figures(r, sink);
      if (command == "sweep") sweep_figures(r, sink);
    } catch (const json::exception& e) {
      throw CommandError(std::string("results are missing a field the figures need: ") + e.what());
    }
  }
  return files;
}

std::string figures_markdown(const std::vector<std::string>& files) {
  if (files.empty()) return {};
  std::string md = "\n## Figures\n\n";
  for (const auto& file : files) {
    const auto it = captions().find(file);
    md += "![" + file + "](" + file + ")\n\n" + (it == captions().end() ? "" : it->second + "\n\n");
  }
  return md;
}

}  // namespace flashtok::cli
