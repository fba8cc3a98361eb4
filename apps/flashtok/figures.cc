// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "figures.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

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
      {"encoder_throughput.png",
       "Full-encoder throughput by text kind (one thread, MB/s of one pass over each text; the title names the corpus)."},
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

// One run's results in a figure. Several runs of a command are drawn over
// each other, every series named with its run's label.
struct Run {
  const json& results;
  std::string prefix;  // "<label> " when the figure overlays runs, else ""
};
using Runs = std::vector<Run>;

// The encodings of the runs, in their order: one panel each where a figure is
// split by encoding.
std::vector<std::string> encodings_of(const Runs& runs) {
  std::vector<std::string> out;
  for (const Run& run : runs) {
    for (const auto& e : run.results.at("parameters").at("encodings")) {
      if (std::find(out.begin(), out.end(), e.get<std::string>()) == out.end()) out.push_back(e);
    }
  }
  return out;
}

// The index of name in names, appended when new: categories and bar series
// in order of first appearance across runs.
std::size_t index_in(std::vector<std::string>* names, const std::string& name) {
  const auto it = std::find(names->begin(), names->end(), name);
  if (it != names->end()) return static_cast<std::size_t>(it - names->begin());
  names->push_back(name);
  return names->size() - 1;
}

// bars[category][series] = value, growing the table as categories appear;
// a bar a run lacks stays NaN (not drawn).
void set_bar(Panel* p, const std::string& category, std::size_t series, double value) {
  const std::size_t c = index_in(&p->categories, category);
  p->bars.resize(p->categories.size());
  p->bars[c].resize(p->bar_series.size(), std::nan(""));
  p->bars[c][series] = value;
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
void latency_figure(const Runs& runs, const FigureSink& sink) {
  std::vector<Panel> panels;
  for (const auto& encoding : encodings_of(runs)) {
    Panel p;
    p.title = "Latency per request (" + encoding + ")";
    p.y_label = "microseconds (log)";
    p.log_y = true;
    for (const Run& run : runs) {
      const std::size_t first = p.bar_series.size();
      for (const char* name : {"full p50", "full p99", "cache p50", "cache p99"})
        p.bar_series.push_back(run.prefix + name);
      for (const auto& row : run.results.at("results")) {
        if (label(row, "encoding") != encoding) continue;
        std::size_t series = first;
        for (const char* method : {"full", "cached"}) {
          for (const char* field : {"p50_us", "p99_us"})
            set_bar(&p, bar_label(row), series++, row.at(method).at(field));
        }
      }
    }
    if (!p.categories.empty()) panels.push_back(std::move(p));
  }
  if (!panels.empty()) sink.draw("latency_percentiles.png", panels, 1);
}

// Per-turn latency and cumulative CPU time, one panel per encoding: a colour
// per workload (every series of it, such as each session), full solid, cache
// dashed.
void turn_figures(const Runs& runs, const FigureSink& sink) {
  std::vector<Panel> turns, cpu;
  ColourOf colour;
  for (const auto& encoding : encodings_of(runs)) {
    Panel t, c;
    t.title = "Per-turn latency vs history length (" + encoding + ")";
    t.x_label = "history (tokens, log)";
    t.y_label = "µs per turn (log)";
    t.log_x = t.log_y = true;
    c.title = "Cumulative tokenizer CPU time over a session (" + encoding + ")";
    c.x_label = "turn";
    c.y_label = "CPU ms (log)";
    c.log_y = true;
    for (const Run& run : runs) {
      for (const auto& s : run.results.at("series")) {
        if (label(s, "encoding") != encoding) continue;
        const int hue = colour(run.prefix + label(s, "workload"));
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

// Throughput per text kind, a bar per encoding (and run).
void throughput_figure(const Runs& runs, const FigureSink& sink) {
  Panel p;
  p.y_label = "MB/s";
  std::set<std::string> corpora;  // a throughput figure names its text: generated text flatters the memo
  // The one-pass figure (the text met once) when every run has it, which
  // reports before 2026-12-07 evening do not: else the repeated encodes'.
  bool one_pass = true;
  for (const Run& run : runs) {
    for (const auto& row : run.results.value("encoder_throughput", json::array())) {
      one_pass = one_pass && row.contains("one_pass_mb_per_s");
    }
  }
  for (const Run& run : runs) {
    for (const auto& row : run.results.value("encoder_throughput", json::array())) {
      const std::size_t series = index_in(&p.bar_series, run.prefix + label(row, "encoding"));
      set_bar(&p, label(row, "kind"), series, row.at(one_pass ? "one_pass_mb_per_s" : "mb_per_s"));
      corpora.insert(row.value("corpus", "synthetic"));
    }
  }
  const std::string text = corpora.size() > 1 ? "real and synthetic text"
                           : corpora.count("real") ? "real text"
                                                   : "synthetic text, generated";
  p.title = std::string("Full encoder, one thread, ") + (one_pass ? "one pass" : "repeated") + " (" + text + ")";
  if (!p.categories.empty()) sink.draw("encoder_throughput.png", {p});
}

void bench_figures(const Runs& runs, const FigureSink& sink) {
  latency_figure(runs, sink);
  turn_figures(runs, sink);
  throughput_figure(runs, sink);
}

// Mismatch rate and append cost against k, one column per encoding: a colour
// per workload, fixed k solid, auto a bold dashed level drawn over them.
void backtrack_figure(const Runs& runs, const FigureSink& sink) {
  std::vector<Panel> wrong_row, cost_row;
  ColourOf colour;
  for (const auto& encoding : encodings_of(runs)) {
    Panel wrong, cost;
    wrong.title = "Turns that come out wrong (" + encoding + ")";
    wrong.x_label = cost.x_label = "backtrack_pieces k";
    wrong.y_label = "% of turns (log; 0 drawn at 0.001)";
    wrong.log_y = true;  // 0.1% must stand out from 0 and from 50%
    cost.title = "Mean append latency (" + encoding + ")";
    cost.y_label = "µs (log)";
    cost.log_y = true;
    std::map<std::string, std::pair<Panel::Line, Panel::Line>> fixed;  // by run and workload: (wrong, cost)
    std::map<std::string, std::pair<double, double>> automatic;
    double max_k = 0;
    for (const Run& run : runs) {
      for (const auto& row : run.results.at("backtrack")) {
        if (label(row, "encoding") != encoding) continue;
        const std::string workload = run.prefix + label(row, "workload"), k = label(row, "backtrack");
        // A log axis has no 0: exact rows sit on a floor far below the
        // smallest non-zero share (one turn in 100,000).
        constexpr double kZeroFloor = 1e-3;
        const double rate = std::max(kZeroFloor, 100.0 * row.at("mismatch_rate").get<double>());
        const double us = row.at("mean_us");
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

void sweep_figures(const Runs& runs, const FigureSink& sink) {
  {
    Panel p;
    p.title = "Speedup over a full encode vs length";
    p.x_label = "prefix or history length (tokens, log)";
    p.y_label = "speedup (log)";
    p.log_x = p.log_y = true;
    std::map<std::string, Panel::Line> lines;
    ColourOf colour;  // per encoding; the line style tells the sweep
    for (const Run& run : runs) {
      for (const auto& row : run.results.at("sizes")) {
        const std::string sweep = label(row, "sweep");
        if (sweep == "suffix") continue;
        const std::string encoding = run.prefix + label(row, "encoding");
        const std::string name =
            run.prefix + (sweep == "prefix" ? "fixed prefix " : "append-only history ") + label(row, "encoding");
        Panel::Line& line = lines[name];
        line.label = name;
        line.dashed = sweep == "history";
        line.colour = colour(encoding);
        line.x.push_back(row.at("size"));
        line.y.push_back(row.at("speedup"));
      }
    }
    for (auto& [name, line] : lines) p.lines.push_back(line);
    if (!p.lines.empty()) {
      sink.draw("speedup_vs_length.png", {p});
    }
  }
  backtrack_figure(runs, sink);
}

}  // namespace

std::vector<std::string> draw_figures(const std::vector<json>& results, const std::string& dir, StagedFiles* staged) {
  std::vector<std::string> files;
  const FigureSink sink{dir, staged, &files};
  try {
    for (const char* command : {"bench", "sweep"}) {
      Runs runs;
      for (const json& r : results) {
        if (r.at("command") == command) runs.push_back({r, ""});
      }
      if (runs.size() > 1) {
        for (Run& run : runs) run.prefix = run.results.value("label", "") + " ";
      }
      if (runs.empty()) continue;
      if (std::string(command) == "bench") bench_figures(runs, sink);
      if (std::string(command) == "sweep") sweep_figures(runs, sink);
    }
  } catch (const json::exception& e) {
    throw CommandError(std::string("results are missing a field the figures need: ") + e.what());
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
