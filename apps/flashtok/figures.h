// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_APPS_FIGURES_H_
#define FLASHTOK_APPS_FIGURES_H_

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace flashtok::cli {

// Draws every figure the given results (bench and/or sweep, schema version
// checked by the caller) support into dir. Returns the PNG file names written,
// in reading order. Throws CommandError naming a missing field.
std::vector<std::string> draw_figures(const std::vector<nlohmann::json>& results, const std::string& dir);

// Markdown that embeds the figures (relative links) with a line on how to read each.
std::string figures_markdown(const std::vector<std::string>& files);

}  // namespace flashtok::cli

#endif  // FLASHTOK_APPS_FIGURES_H_
