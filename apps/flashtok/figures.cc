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
       "Per-request latency, full re-encode against the cache, p50 and p99 (log scale), one panel per encoding: the "
       "gap is the saving. "
       "shared/shuffled: few-shot prompts in order or shuffled; +pre: the cache prebuilt from mined prefixes."},
      {"per_turn_latency.png",
       "Each turn's latency against the history length, one panel per encoding, a colour per workload, the full "
       "re-encode solid and the cache dashed (append-only workloads, and each session's prompt in sessions). A full "
       "re-encode grows with the history; the cache stays flat."},
      {"cumulative_cpu.png",
       "Total CPU time spent tokenizing over a session, turn by turn (log scale), full re-encode solid, cache dashed: "
       "what the battery pays on a phone."},
      {"encoder_throughput.png", "Full-encoder throughput by text kind (one thread, MB/s)."},
      {"speedup_vs_length.png",
       "Speedup over a full encode as the fixed prefix (solid) or the history (dashed) grows; log-log."},
      {"backtrack_sweep.png",
       "Fixed backtrack_pieces k against auto (bold dashed), per encoding: how many turns come out wrong, and what "
       "an append costs."},
  };
  return text;
}

std::string label(const json& row, const char* field) { return row.at(field).get<std::string>(); }

// Where figures go: staged under temporary names in dir, their names listed.
struct FigureSink {
  const std::string& dir;
  StagedFiles* staged;
  std::vector<std::string>* files;

  void draw(const std::string& name, const std::vector<Panel>& panels, std::size_t columns = 0) const {
    draw_figure(staged->reserve(dir + "/" + name), panels, columns);
    files->push_back(name);
  }
};

// The encodings of a run, in its order: one panel each where a figure is split by encoding.
std::vector<std::string> encodings_of(const json& r) {
  return r.at("parameters").at("encodings").get<std::vector<std::string>>();
}

// A palette index per name, in order of first appearance: the same workload
// has the same colour in every panel of a figure.
class ColourOf {
 public:
  int operator()(const std::string& name) {
    const auto [it, added] = index_.emplace(name, static_cast<int>(index_.size()));
    if (added) order_.push_back(name);
    return it->second;
  }
  const std::vector<std::string>& names() const { return order_; }

 private:
  std::map<std::string, int> index_;
  std::vector<std::string> order_;
};

// Legend keys of a figure whose colour is the workload and whose line style
// is the method: one key per workload, then one per style.
void add_keys(Panel* p, const ColourOf& colours, const char* solid, const char* dashed) {
  for (std::size_t i = 0; i < colours.names().size(); ++i) {
    p->lines.push_back({colours.names()[i], {}, {}, false, static_cast<int>(i)});
  }
  p->lines.push_back({solid, {}, {}, false, Panel::Line::kInk});
  p->lines.push_back({dashed, {}, {}, true, Panel::Line::kInk});
}

// A workload's name on the x axis, short enough for eight groups side by
// side, with "+pre" for the prebuilt variant of the shared prefix cache.
std::string bar_label(const json& row) {
  std::string workload = label(row, "workload");
  if (workload == "shared-prefix") workload = "shared";
  if (workload == "shared-prefix-shuffled") workload = "shuffled";
  return label(row, "cache").find("prebuilt") == std::string::npos ? workload : workload + " +pre";
}

// Interleaved sessions come in no order of history length: sort by x.
Panel::Line sorted_by_x(std::string name, std::vector<double> x, std::vector<double> y, bool dashed, int colour) {
  std::vector<std::pair<double, double>> points;
  for (std::size_t i = 0; i < x.size() && i < y.size(); ++i) points.emplace_back(x[i], y[i]);
  std::stable_sort(points.begin(), points.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  Panel::Line line{std::move(name), {}, {}, dashed, colour};
  for (const auto& [px, py] : points) {
    line.x.push_back(px);
    line.y.push_back(py);
  }
  return line;
}

// Grouped bars of p50 and p99, full against cache, one panel per encoding.
void latency_figure(const json& r, const FigureSink& sink) {
  std::vector<Panel> panels;
  for (const auto& encoding : encodings_of(r)) {
    Panel p;
    p.title = "Latency per request (" + encoding + ")";
    p.y_label = "microseconds (log)";
    p.log_y = true;
    p.bar_series = {"full p50", "full p99", "cache p50", "cache p99"};
    for (const auto& row : r.at("results")) {
      if (label(row, "encoding") != encoding) continue;
      p.categories.push_back(bar_label(row));
      p.bars.push_back({row.at("full").at("p50_us"), row.at("full").at("p99_us"), row.at("cached").at("p50_us"),
                        row.at("cached").at("p99_us")});
    }
    if (!p.categories.empty()) panels.push_back(std::move(p));
  }
  if (!panels.empty()) sink.draw("latency_percentiles.png", panels, 1);
}

// Per-turn latency and cumulative CPU time, one panel per encoding: a colour
// per workload (every series of it, such as each session), full solid, cache dashed.
void turn_figures(const json& r, const FigureSink& sink) {
  if (r.at("series").empty()) return;
  std::vector<Panel> turns, cpu;
  ColourOf colour;
  for (const auto& encoding : encodings_of(r)) {
    Panel t, c;
    t.title = "Per-turn latency vs history length (" + encoding + ")";
    t.x_label = "history (tokens, log)";
    t.y_label = "µs per turn (log)";
    t.log_x = t.log_y = true;
    c.title = "Cumulative tokenizer CPU time over a session (" + encoding + ")";
    c.x_label = "turn";
    c.y_label = "CPU ms (log)";
    c.log_y = true;
    for (const auto& s : r.at("series")) {
      if (label(s, "encoding") != encoding) continue;
      const int hue = colour(label(s, "workload"));
      const auto history = s.at("history_tokens").get<std::vector<double>>();
      t.lines.push_back(sorted_by_x("", history, s.at("full_us").get<std::vector<double>>(), false, hue));
      t.lines.push_back(sorted_by_x("", history, s.at("cached_us").get<std::vector<double>>(), true, hue));
      std::vector<double> index, full_total, cache_total;
      double f = 0, k = 0;
      const auto full_cpu = s.at("full_cpu_us").get<std::vector<double>>();
      const auto cache_cpu = s.at("cached_cpu_us").get<std::vector<double>>();
      for (std::size_t i = 0; i < full_cpu.size() && i < cache_cpu.size(); ++i) {
        index.push_back(static_cast<double>(i + 1));
        full_total.push_back(f += full_cpu[i] / 1e3);
        cache_total.push_back(k += cache_cpu[i] / 1e3);
      }
      c.lines.push_back({"", index, full_total, false, hue});
      c.lines.push_back({"", index, cache_total, true, hue});
    }
    if (t.lines.empty()) continue;
    turns.push_back(std::move(t));
    cpu.push_back(std::move(c));
  }
  if (turns.empty()) return;
  for (auto* panels : {&turns, &cpu}) {
    for (auto& p : *panels) add_keys(&p, colour, "full re-encode", "cache");
  }
  sink.draw("per_turn_latency.png", turns, 1);
  sink.draw("cumulative_cpu.png", cpu, 1);
}

void bench_figures(const json& r, const FigureSink& sink) {
  latency_figure(r, sink);
  turn_figures(r, sink);
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

// Mismatch rate and append cost against k, one column per encoding: a colour
// per workload, fixed k solid, auto a bold dashed level drawn over them.
void backtrack_figure(const json& r, const FigureSink& sink) {
  std::vector<Panel> wrong_row, cost_row;
  ColourOf colour;
  for (const auto& encoding : encodings_of(r)) {
    Panel wrong, cost;
    wrong.title = "Turns that come out wrong (" + encoding + ")";
    wrong.x_label = cost.x_label = "backtrack_pieces k";
    wrong.y_label = "% of turns";
    cost.title = "Mean append latency (" + encoding + ")";
    cost.y_label = "µs (log)";
    cost.log_y = true;
    std::map<std::string, std::pair<Panel::Line, Panel::Line>> fixed;  // by workload: (wrong, cost)
    std::map<std::string, std::pair<double, double>> automatic;
    double max_k = 0;
    for (const auto& row : r.at("backtrack")) {
      if (label(row, "encoding") != encoding) continue;
      const std::string workload = label(row, "workload"), k = label(row, "backtrack");
      const double rate = 100.0 * row.at("mismatch_rate").get<double>(), us = row.at("mean_us");
      if (k == "auto") {
        automatic[workload] = {rate, us};
        continue;
      }
      auto& [w, c] = fixed[workload];
      w.colour = c.colour = colour(workload);
      w.x.push_back(std::stod(k));
      c.x.push_back(std::stod(k));
      w.y.push_back(rate);
      c.y.push_back(us);
      max_k = std::max(max_k, std::stod(k));
    }
    for (auto& [workload, lines] : fixed) {
      wrong.lines.push_back(lines.first);
      cost.lines.push_back(lines.second);
    }
    for (const auto& [workload, level] : automatic) {
      wrong.lines.push_back({"", {0, max_k}, {level.first, level.first}, true, colour(workload), true});
      cost.lines.push_back({"", {0, max_k}, {level.second, level.second}, true, colour(workload), true});
    }
    if (wrong.lines.empty()) continue;
    wrong_row.push_back(std::move(wrong));
    cost_row.push_back(std::move(cost));
  }
  if (wrong_row.empty()) return;
  const std::size_t columns = wrong_row.size();
  std::vector<Panel> panels;
  for (auto* row : {&wrong_row, &cost_row}) {
    for (auto& p : *row) {
      add_keys(&p, colour, "fixed k", "auto");
      panels.push_back(std::move(p));
    }
  }
  sink.draw("backtrack_sweep.png", panels, columns);
}

void sweep_figures(const json& r, const FigureSink& sink) {
  {
    Panel p;
    p.title = "Speedup over a full encode vs length";
    p.x_label = "prefix or history length (tokens, log)";
    p.y_label = "speedup (log)";
    p.log_x = p.log_y = true;
    std::map<std::string, Panel::Line> lines;
    ColourOf colour;  // per encoding; the line style tells the sweep
    for (const auto& row : r.at("sizes")) {
      const std::string sweep = label(row, "sweep");
      if (sweep == "suffix") continue;
      const std::string name = (sweep == "prefix" ? "fixed prefix " : "append-only history ") + label(row, "encoding");
      Panel::Line& line = lines[name];
      line.label = name;
      line.dashed = sweep == "history";
      line.colour = colour(label(row, "encoding"));
      line.x.push_back(row.at("size"));
      line.y.push_back(row.at("speedup"));
    }
    for (auto& [name, line] : lines) p.lines.push_back(line);
    if (!p.lines.empty()) {
      sink.draw("speedup_vs_length.png", {p});
    }
  }
  backtrack_figure(r, sink);
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
