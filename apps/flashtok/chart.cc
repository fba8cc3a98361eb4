// Copyright flashtok authors. SPDX-License-Identifier: MIT
#include "chart.h"

#include <plstream.h>
#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

#include "cli_support.h"

namespace flashtok::cli {
namespace {

// Colour map 0: background, ink, then a palette readable on white.
constexpr PLINT kRed[] = {255, 40, 31, 255, 44, 214, 148, 140, 227, 127, 188, 23};
constexpr PLINT kGreen[] = {255, 40, 119, 127, 160, 39, 103, 86, 119, 127, 189, 190};
constexpr PLINT kBlue[] = {255, 40, 180, 14, 44, 40, 189, 75, 194, 127, 34, 207};
constexpr PLINT kInk = 1;
constexpr PLINT kFirstSeriesColour = 2;
constexpr PLINT kSeriesColours = static_cast<PLINT>(sizeof kRed / sizeof kRed[0]) - kFirstSeriesColour;

PLINT series_colour(std::size_t i) { return kFirstSeriesColour + static_cast<PLINT>(i) % kSeriesColours; }

// Without PLplot's cairo driver, init() would print an interactive device
// menu and wait: check first.
bool has_pngcairo() {
  std::vector<const char*> menus(256), names(256);
  const char** m = menus.data();
  const char** d = names.data();
  int count = static_cast<int>(names.size());
  plgDevs(&m, &d, &count);
  for (int i = 0; i < count; ++i) {
    if (names[static_cast<std::size_t>(i)] && std::string(names[static_cast<std::size_t>(i)]) == "pngcairo") return true;
  }
  return false;
}

// Room for the y label: a side-by-side panel is half as wide, so relatively more.
double left_margin(plstream& pls) {
  PLFLT xp = 0, yp = 0;
  PLINT xleng = 0, yleng = 0, xoff = 0, yoff = 0;
  pls.gpage(xp, yp, xleng, yleng, xoff, yoff);
  PLFLT xmin = 0, xmax = 1, ymin = 0, ymax = 1;
  pls.gspa(xmin, xmax, ymin, ymax);  // this subpage, in mm
  const double fraction = xleng > 0 ? (xmax - xmin) / (static_cast<double>(xleng) / xp * 25.4) : 1.0;
  return fraction < 0.75 ? 0.15 : 0.09;
}

double axis_value(double v, bool log) { return log ? std::log10(v) : v; }

struct Range {
  double lo = 0, hi = 1;
};

// The data range of one axis, padded; log axes drop non-positive values.
Range range_of(const std::vector<double>& values, bool log, bool from_zero) {
  double lo = INFINITY, hi = -INFINITY;
  for (double v : values) {
    if (!std::isfinite(v) || (log && v <= 0)) continue;
    lo = std::min(lo, axis_value(v, log));
    hi = std::max(hi, axis_value(v, log));
  }
  if (!std::isfinite(lo)) return {};
  if (from_zero && !log) lo = std::min(lo, 0.0);
  const double pad = hi > lo ? (hi - lo) * 0.06 : (log ? 0.5 : std::max(1.0, std::abs(hi) * 0.1));
  return {log ? std::floor(lo - pad) : lo - (from_zero && lo == 0 ? 0 : pad), log ? std::ceil(hi + pad) : hi + pad};
}

// A figure of one panel keeps its legend outside, right of the plot, so it
// never hides data; panels side by side have no room for that and put it in
// the top right corner, where sweeps and sizes usually leave space.
double plot_right_edge(bool legend_outside) { return legend_outside ? 0.70 : 0.97; }

void draw_legend(plstream& pls, const std::vector<std::string>& labels, bool boxes, const std::vector<bool>& dashed,
                 const std::vector<PLINT>& line_colours, bool outside) {
  const auto n = static_cast<PLINT>(labels.size());
  if (n == 0) return;
  std::vector<PLINT> opts(labels.size(), boxes ? PL_LEGEND_COLOR_BOX : PL_LEGEND_LINE);
  std::vector<PLINT> text_colours(labels.size(), kInk), colours, patterns(labels.size(), 0), styles;
  std::vector<PLFLT> scales(labels.size(), 0.8), box_widths(labels.size(), 1.0), widths(labels.size(), 2.5);
  std::vector<const char*> texts;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    colours.push_back(line_colours.empty() ? series_colour(i) : line_colours[i]);
    styles.push_back(!dashed.empty() && dashed[i] ? 2 : 1);
    texts.push_back(labels[i].c_str());
  }
  PLFLT width = 0, height = 0;
  pls.legend(&width, &height, PL_LEGEND_BACKGROUND | PL_LEGEND_BOUNDING_BOX,
             PL_POSITION_RIGHT | (outside ? PL_POSITION_OUTSIDE : PL_POSITION_TOP | PL_POSITION_INSIDE), 0.02, 0.0,
             0.05, 0, kInk, 1, 0, 0, n,
             opts.data(), 0.7, 0.72, 1.8, 0.0, text_colours.data(), texts.data(), colours.data(), patterns.data(),
             scales.data(), box_widths.data(), colours.data(), styles.data(), widths.data(), nullptr, nullptr,
             nullptr, nullptr);
}

void draw_lines(plstream& pls, const Panel& p, bool legend_outside) {
  std::vector<double> xs, ys;
  for (const auto& line : p.lines) {
    xs.insert(xs.end(), line.x.begin(), line.x.end());
    ys.insert(ys.end(), line.y.begin(), line.y.end());
  }
  const Range x = range_of(xs, p.log_x, false), y = range_of(ys, p.log_y, true);
  pls.vpor(left_margin(pls), plot_right_edge(legend_outside), 0.12, 0.90);
  pls.wind(x.lo, x.hi, y.lo, y.hi);
  pls.col0(kInk);
  pls.width(1.0);
  pls.box(p.log_x ? "bcnstl" : "bcnst", 0, 0, p.log_y ? "bcnstvl" : "bcnstv", 0, 0);
  pls.lab(p.x_label.c_str(), p.y_label.c_str(), p.title.c_str());
  std::vector<std::string> labels;
  std::vector<bool> dashed;
  std::vector<PLINT> colours;
  for (std::size_t i = 0; i < p.lines.size(); ++i) {
    const auto& line = p.lines[i];
    std::vector<PLFLT> lx, ly;
    for (std::size_t k = 0; k < line.x.size() && k < line.y.size(); ++k) {
      if ((p.log_x && line.x[k] <= 0) || (p.log_y && line.y[k] <= 0)) continue;
      lx.push_back(axis_value(line.x[k], p.log_x));
      ly.push_back(axis_value(line.y[k], p.log_y));
    }
    colours.push_back(series_colour(line.colour >= 0 ? static_cast<std::size_t>(line.colour) : i));
    pls.col0(colours.back());
    pls.width(2.5);
    pls.lsty(line.dashed ? 2 : 1);
    pls.line(static_cast<PLINT>(lx.size()), lx.data(), ly.data());
    if (lx.size() <= 40) pls.poin(static_cast<PLINT>(lx.size()), lx.data(), ly.data(), 17);
    labels.push_back(line.label);
    dashed.push_back(line.dashed);
  }
  pls.lsty(1);
  pls.width(1.0);
  draw_legend(pls, labels, false, dashed, colours, legend_outside);
}

void draw_bars(plstream& pls, const Panel& p, bool legend_outside) {
  std::vector<double> values;
  for (const auto& row : p.bars) values.insert(values.end(), row.begin(), row.end());
  const Range y = range_of(values, p.log_y, true);
  const double n_categories = static_cast<double>(p.categories.size());
  pls.vpor(left_margin(pls), plot_right_edge(legend_outside), 0.16, 0.90);
  pls.wind(0, n_categories, y.lo, y.hi);
  pls.col0(kInk);
  pls.box("bc", 0, 0, p.log_y ? "bcnstvl" : "bcnstv", 0, 0);
  pls.lab("", p.y_label.c_str(), p.title.c_str());
  const double width = 0.8 / static_cast<double>(std::max<std::size_t>(p.bar_series.size(), 1));
  for (std::size_t c = 0; c < p.categories.size(); ++c) {
    for (std::size_t s = 0; s < p.bar_series.size() && s < p.bars[c].size(); ++s) {
      const double v = p.bars[c][s];
      if (!std::isfinite(v) || (p.log_y && v <= 0)) continue;
      const double x0 = static_cast<double>(c) + 0.1 + width * static_cast<double>(s);
      const PLFLT bx[] = {x0, x0, x0 + width, x0 + width};
      const PLFLT by[] = {y.lo, axis_value(v, p.log_y), axis_value(v, p.log_y), y.lo};
      pls.col0(series_colour(s));
      pls.fill(4, bx, by);
    }
    pls.col0(kInk);
    // Many categories: every other label one line lower, so long names do not collide.
    const double line = p.categories.size() > 6 && c % 2 == 1 ? 2.9 : 1.6;
    pls.mtex("b", line, (static_cast<double>(c) + 0.5) / n_categories, 0.5, p.categories[c].c_str());
  }
  draw_legend(pls, p.bar_series, true, {}, {}, legend_outside);
}

}  // namespace

void draw_figure(const std::string& png_file, const std::vector<Panel>& panels) {
  if (!has_pngcairo()) {
    throw CommandError("PLplot's cairo driver is missing: install plplot-driver-cairo (see README 'Dependencies')");
  }
  {
    plstream pls;
    pls.sdev("pngcairo");
    pls.sfnam(png_file.c_str());
    pls.spage(0, 0, kFigureWidth, kFigureHeight, 0, 0);
    pls.scmap0(kRed, kGreen, kBlue, static_cast<PLINT>(sizeof kRed / sizeof kRed[0]));
    pls.scolbg(255, 255, 255);
    pls.ssub(static_cast<PLINT>(std::max<std::size_t>(panels.size(), 1)), 1);
    pls.init();
    pls.schr(0, panels.size() > 1 ? 0.85 : 1.0);
    for (const Panel& panel : panels) {
      pls.adv(0);
      const bool legend_outside = panels.size() == 1;
      if (!panel.categories.empty()) {
        draw_bars(pls, panel, legend_outside);
      } else {
        draw_lines(pls, panel, legend_outside);
      }
    }
  }  // the stream's destructor finishes the file
  struct stat info {};
  if (::stat(png_file.c_str(), &info) != 0 || info.st_size == 0) {
    throw CommandError(png_file + ": PLplot did not write the figure");
  }
}

}  // namespace flashtok::cli
