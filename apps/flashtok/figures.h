// Copyright flashtok authors. SPDX-License-Identifier: MIT
#ifndef FLASHTOK_APPS_FIGURES_H_
#define FLASHTOK_APPS_FIGURES_H_

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "staged_files.h"

namespace flashtok::cli {

// Draws every figure the given results (bench and/or sweep, schema version
// checked by the caller) support, staged for dir: they are in place only once
// the caller commits `staged`, all of them or none. Returns the PNG file
// names, in reading order. Throws CommandError naming a missing field.
std::vector<std::string> draw_figures(const std::vector<nlohmann::json>& results, const std::string& dir,
                                      StagedFiles* staged);

// Markdown that embeds the figures (relative links) with a line on how to read each.
std::string figures_markdown(const std::vector<std::string>& files);

}  // namespace flashtok::cli

#endif  // FLASHTOK_APPS_FIGURES_H_
