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

// The current subpage's size in millimetres and the character height in
// millimetres: margins and legends are measured in characters, so that
// they fit whether a panel fills the page or shares it.
struct Subpage {
  double width_mm = 1, height_mm = 1, char_mm = 1;
};

Subpage subpage(plstream& pls) {
  PLFLT xmin = 0, xmax = 1, ymin = 0, ymax = 1, default_mm = 0, char_mm = 0;
  pls.gspa(xmin, xmax, ymin, ymax);
  pls.gchr(default_mm, char_mm);
  return {xmax - xmin, ymax - ymin, char_mm};
}

// The legend's text is drawn at this fraction of the character height.
// PLplot sizes legends with its own font metrics, narrower than the DejaVu
// Sans that the cairo driver draws, so we reserve the room ourselves: a glyph
// is at most kGlyphWidthPerHeight of the character height wide, and about
// kAverageGlyphWidthPerHeight in lower-case names (measured on the figures).
// Legends take the safe width; category labels, which wrap, the average.
constexpr double kLegendTextScale = 0.72;
constexpr double kGlyphWidthPerHeight = 1.1;
constexpr double kAverageGlyphWidthPerHeight = 0.7;
constexpr double kLegendSymbolWidth = 0.05;  // of the plot's width
constexpr double kLegendOffset = 0.02;       // gap between plot and legend, of the plot's width

std::size_t longest(const std::vector<std::string>& labels) {
  std::size_t n = 0;
  for (const auto& l : labels) n = std::max(n, l.size());
  return n;
}

// Where the plot's viewport ends on the right (a fraction of the subpage): at
// the edge less a margin, or, with a legend, where the legend, sized for its
// longest label, still ends a character inside the subpage.
double plot_right_edge(const Subpage& s, double left, const std::vector<std::string>& legend_labels) {
  if (legend_labels.empty()) return 1.0 - 2.0 * s.char_mm / s.width_mm;
  const double text_mm = s.char_mm * kLegendTextScale *
                         (4.0 + kGlyphWidthPerHeight * static_cast<double>(longest(legend_labels)));
  const double margin_mm = 1.5 * s.char_mm;
  const double outside = kLegendOffset + kLegendSymbolWidth;  // both scale with the plot's width
  const double right = (s.width_mm - margin_mm - text_mm + outside * left * s.width_mm) / ((1 + outside) * s.width_mm);
  return std::max(right, left + 0.3);
}

// Sets the plot's viewport in the subpage: room on the left for the y label
// and its ticks, below for `bottom_lines` lines of x labels, above for the
// title. Returns how many characters of text fit across the plot.
double set_viewport(plstream& pls, const std::vector<std::string>& legend_labels, double bottom_lines) {
  const Subpage s = subpage(pls);
  const double left = 8.0 * s.char_mm / s.width_mm;
  const double right = plot_right_edge(s, left, legend_labels);
  const double bottom = (bottom_lines + 1.8) * s.char_mm / s.height_mm;
  const double top = 1.0 - 3.2 * s.char_mm / s.height_mm;
  pls.vpor(left, right, bottom, top);
  return (right - left) * s.width_mm / (s.char_mm * kAverageGlyphWidthPerHeight);
}

// Pieces of a word that a line may end after: "replay:", "voice_", "agent."...
std::vector<std::string> breakable_pieces(const std::string& word) {
  std::vector<std::string> pieces(1);
  for (const char c : word) {
    pieces.back() += c;
    if (c == ':' || c == '_' || c == '-' || c == '.') pieces.emplace_back();
  }
  if (pieces.back().empty()) pieces.pop_back();
  return pieces;
}

// A name as lines of at most max_chars: each space-separated word starts a
// line ("shuffled" over "+pre"); a longer word breaks after ':', '_', '-' or
// '.' where it must, and anywhere when a piece is longer than a line.
std::vector<std::string> wrap_label(const std::string& name, std::size_t max_chars) {
  max_chars = std::max<std::size_t>(max_chars, 3);
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < name.size()) {
    const std::size_t space = std::min(name.find(' ', start), name.size());
    lines.emplace_back();
    for (const auto& piece : breakable_pieces(name.substr(start, space - start))) {
      if (!lines.back().empty() && lines.back().size() + piece.size() > max_chars) lines.emplace_back();
      lines.back() += piece;
      while (lines.back().size() > max_chars) {
        std::string rest = lines.back().substr(max_chars);
        lines.back().resize(max_chars);
        lines.push_back(std::move(rest));
      }
    }
    start = space + 1;
  }
  return lines;
}

// One entry of a legend: a line (of a style) or a filled box.
struct LegendKey {
  std::string label;
  PLINT colour = kInk;
  bool dashed = false;
};

void draw_legend(plstream& pls, const std::vector<LegendKey>& keys, bool boxes) {
  const auto n = static_cast<PLINT>(keys.size());
  if (n == 0) return;
  std::vector<PLINT> opts(keys.size(), boxes ? PL_LEGEND_COLOR_BOX : PL_LEGEND_LINE);
  std::vector<PLINT> text_colours(keys.size(), kInk), colours, patterns(keys.size(), 0), styles;
  std::vector<PLFLT> scales(keys.size(), 0.8), box_widths(keys.size(), 1.0), widths(keys.size(), 2.5);
  std::vector<const char*> texts;
  for (const auto& key : keys) {
    colours.push_back(key.colour);
    styles.push_back(key.dashed ? 2 : 1);
    texts.push_back(key.label.c_str());
  }
  PLFLT width = 0, height = 0;
  pls.legend(&width, &height, PL_LEGEND_BACKGROUND | PL_LEGEND_BOUNDING_BOX,
             PL_POSITION_RIGHT | PL_POSITION_OUTSIDE, kLegendOffset, 0.0, kLegendSymbolWidth, 0,
             kInk, 1, 0, 0, n, opts.data(), 0.7, kLegendTextScale, 1.8, 0.0, text_colours.data(), texts.data(),
             colours.data(), patterns.data(), scales.data(), box_widths.data(), colours.data(), styles.data(),
             widths.data(), nullptr, nullptr, nullptr, nullptr);
}

PLINT line_colour(const Panel::Line& line, std::size_t position) {
  if (line.colour == Panel::Line::kInk) return kInk;
  return series_colour(line.colour >= 0 ? static_cast<std::size_t>(line.colour) : position);
}

// The legend of a panel of lines: every labelled line, in order.
std::vector<LegendKey> line_keys(const Panel& p) {
  std::vector<LegendKey> keys;
  for (std::size_t i = 0; i < p.lines.size(); ++i) {
    const auto& line = p.lines[i];
    if (!line.label.empty()) keys.push_back({line.label, line_colour(line, i), line.dashed});
  }
  return keys;
}

std::vector<std::string> labels_of(const std::vector<LegendKey>& keys) {
  std::vector<std::string> labels;
  for (const auto& k : keys) labels.push_back(k.label);
  return labels;
}

void draw_line(plstream& pls, const Panel& p, const Panel::Line& line, PLINT colour) {
  std::vector<PLFLT> lx, ly;
  for (std::size_t k = 0; k < line.x.size() && k < line.y.size(); ++k) {
    if ((p.log_x && line.x[k] <= 0) || (p.log_y && line.y[k] <= 0)) continue;
    lx.push_back(axis_value(line.x[k], p.log_x));
    ly.push_back(axis_value(line.y[k], p.log_y));
  }
  pls.col0(colour);
  pls.width(line.bold ? 4.5 : 2.0);
  pls.lsty(line.dashed ? 2 : 1);
  pls.line(static_cast<PLINT>(lx.size()), lx.data(), ly.data());
  if (lx.size() <= 40) pls.poin(static_cast<PLINT>(lx.size()), lx.data(), ly.data(), 17);
}

void draw_lines(plstream& pls, const Panel& p) {
  std::vector<double> xs, ys;
  for (const auto& line : p.lines) {
    xs.insert(xs.end(), line.x.begin(), line.x.end());
    ys.insert(ys.end(), line.y.begin(), line.y.end());
  }
  const Range x = range_of(xs, p.log_x, false), y = range_of(ys, p.log_y, true);
  const std::vector<LegendKey> keys = line_keys(p);
  set_viewport(pls, labels_of(keys), 2.6);
  pls.wind(x.lo, x.hi, y.lo, y.hi);
  pls.col0(kInk);
  pls.width(1.0);
  pls.box(p.log_x ? "bcnstl" : "bcnst", 0, 0, p.log_y ? "bcnstvl" : "bcnstv", 0, 0);
  pls.lab(p.x_label.c_str(), p.y_label.c_str(), p.title.c_str());
  for (const bool bold : {false, true}) {  // bold lines last, over the others
    for (std::size_t i = 0; i < p.lines.size(); ++i) {
      if (p.lines[i].bold == bold) draw_line(pls, p, p.lines[i], line_colour(p.lines[i], i));
    }
  }
  pls.lsty(1);
  pls.width(1.0);
  draw_legend(pls, keys, false);
}

// The categories' names under their bars, each wrapped to its share of the
// plot's width so that neighbours never run into each other; the plot is
// raised when a name needs more lines than the default room below it.
void draw_category_labels(plstream& pls, const std::vector<std::string>& categories,
                          const std::vector<std::string>& legend_labels) {
  constexpr double kLineSpacing = 1.2;
  constexpr double kDefaultLines = 2;
  const double chars_across = set_viewport(pls, legend_labels, kDefaultLines * kLineSpacing);
  const auto n = static_cast<double>(categories.size());
  const auto max_chars = static_cast<std::size_t>(std::max(0.0, 0.9 * chars_across / n));
  std::vector<std::vector<std::string>> wrapped;
  std::size_t most_lines = 0;
  for (const auto& c : categories) {
    wrapped.push_back(wrap_label(c, max_chars));
    most_lines = std::max(most_lines, wrapped.back().size());
  }
  if (static_cast<double>(most_lines) > kDefaultLines) {
    set_viewport(pls, legend_labels, static_cast<double>(most_lines) * kLineSpacing);
  }
  pls.col0(kInk);
  for (std::size_t c = 0; c < wrapped.size(); ++c) {
    for (std::size_t l = 0; l < wrapped[c].size(); ++l) {
      pls.mtex("b", 1.6 + kLineSpacing * static_cast<double>(l), (static_cast<double>(c) + 0.5) / n, 0.5,
               wrapped[c][l].c_str());
    }
  }
}

void draw_bars(plstream& pls, const Panel& p) {
  std::vector<double> values;
  for (const auto& row : p.bars) values.insert(values.end(), row.begin(), row.end());
  const Range y = range_of(values, p.log_y, true);
  const double n_categories = static_cast<double>(p.categories.size());
  std::vector<LegendKey> keys;
  for (std::size_t s = 0; s < p.bar_series.size(); ++s) keys.push_back({p.bar_series[s], series_colour(s)});
  draw_category_labels(pls, p.categories, labels_of(keys));
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
  }
  draw_legend(pls, keys, true);
}

}  // namespace

void draw_figure(const std::string& png_file, const std::vector<Panel>& panels, std::size_t columns) {
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
    const std::size_t n = std::max<std::size_t>(panels.size(), 1);
    const std::size_t per_row = columns == 0 ? n : std::min(columns, n);
    pls.ssub(static_cast<PLINT>(per_row), static_cast<PLINT>((n + per_row - 1) / per_row));
    pls.init();
    pls.schr(0, n > 1 ? 0.85 : 1.0);
    for (const Panel& panel : panels) {
      pls.adv(0);
      if (!panel.categories.empty()) {
        draw_bars(pls, panel);
      } else {
        draw_lines(pls, panel);
      }
    }
  }  // the stream's destructor finishes the file
  struct stat info {};
  if (::stat(png_file.c_str(), &info) != 0 || info.st_size == 0) {
    throw CommandError(png_file + ": PLplot did not write the figure");
  }
}

}  // namespace flashtok::cli
