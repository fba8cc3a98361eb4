// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_APPS_CHART_H_
#define FLASHTOK_APPS_CHART_H_

#include <string>
#include <vector>

namespace flashtok::cli {

inline constexpr int kFigureWidth = 1200;
inline constexpr int kFigureHeight = 700;

// One panel of a figure: axes, labels and either lines or grouped bars.
struct Panel {
  struct Line {
    static constexpr int kInk = -2;  // colour: the axes' ink (for a key that is a style, not a series)

    std::string label;  // empty: drawn, not in the legend (a second line of a series already listed)
    std::vector<double> x, y;  // empty: only a key in the legend
    bool dashed = false;
    int colour = -1;  // palette index; -1: the line's position; kInk
    bool bold = false;  // drawn thicker, over the others: a reference level that must stay visible
  };
  std::string title;
  std::string x_label;
  std::string y_label;
  bool log_x = false;
  bool log_y = false;
  std::vector<Line> lines;

  // Grouped bars instead of lines: bars[category][series] (x_label unused).
  std::vector<std::string> categories;
  std::vector<std::string> bar_series;
  std::vector<std::vector<double>> bars;
};

// Draws panels into a 1200x700 PNG with PLplot's pngcairo device, `columns`
// of them per row (0: all side by side), left to right, top to bottom, into
// png_file as named (callers give a temporary name, see StagedFiles, so that
// a reader never sees half a figure). Each legend sits right of its plot,
// which is narrowed to make room for its longest label. Throws CommandError
// when the cairo driver is missing or nothing was written.
void draw_figure(const std::string& png_file, const std::vector<Panel>& panels, std::size_t columns = 0);

}  // namespace flashtok::cli

#endif  // FLASHTOK_APPS_CHART_H_
