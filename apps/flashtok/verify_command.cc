// Copyright flashtok authors. SPDX-License-Identifier: MIT
//
// flashtok verify: every cache against a full encode after every request, and
// the encoder against tiktoken's ids for the golden texts. Exit 1 on any mismatch.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cache_replay.h"
#include "cli_support.h"
#include "commands.h"
#include "measure_options.h"
#include "report.h"

extern "C" const unsigned char flashtok_golden_jsonl[];
extern "C" const unsigned long long flashtok_golden_jsonl_size;

namespace flashtok::cli {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxReportedMismatches = 20;

// A few ids on either side of index `at`.
std::vector<Rank> around(const std::vector<Rank>& ids, std::size_t at) {
  const std::size_t begin = std::min(ids.size(), at >= 2 ? at - 2 : 0);
  const std::size_t end = std::min(ids.size(), at + 6);
  return std::vector<Rank>(ids.begin() + static_cast<std::ptrdiff_t>(begin),
                           ids.begin() + static_cast<std::ptrdiff_t>(end));
}

// Where two id lists first differ, described for a person.
json describe_mismatch(const Encoder& encoder, std::string_view text, const std::vector<Rank>& expected,
                       const std::vector<Rank>& got) {
  std::size_t i = 0;
  while (i < expected.size() && i < got.size() && expected[i] == got[i]) ++i;
  const std::size_t byte = encoder.decode_bytes(expected.data(), std::min(i, expected.size())).size();
  return {{"token_index", i},
          {"byte_offset", byte},
          {"excerpt", std::string(text.substr(byte >= 20 ? byte - 20 : 0, 60))},
          {"expected", around(expected, i)},
          {"got", around(got, i)}};
}

struct Tally {
  std::size_t checks = 0;
  std::size_t mismatches = 0;
};

Tally check_golden(const std::vector<std::shared_ptr<const Encoder>>& encoders, json* first) {
  Tally tally;
  std::string_view lines(reinterpret_cast<const char*>(flashtok_golden_jsonl),
                         static_cast<std::size_t>(flashtok_golden_jsonl_size));
  while (!lines.empty()) {
    const std::size_t eol = lines.find('\n');
    const json line = json::parse(lines.substr(0, eol));
    lines.remove_prefix(eol == std::string_view::npos ? lines.size() : eol + 1);
    for (const auto& encoder : encoders) {
      if (encoder->encoding().name() != line.at("encoding")) continue;
      const std::string text = line.at("text");
      const auto expected = line.at("ids").get<std::vector<Rank>>();
      const auto got = encoder->encode_ordinary(text);
      ++tally.checks;
      if (got == expected) continue;
      ++tally.mismatches;
      if (first->size() < kMaxReportedMismatches) {
        json m = describe_mismatch(*encoder, text, expected, got);
        m["workload"] = "golden:" + line.at("name").get<std::string>();
        m["encoding"] = encoder->encoding().name();
        m["cache"] = "none (encoder vs tiktoken)";
        first->push_back(m);
      }
    }
  }
  return tally;
}

int run_verify(MeasureOptions& o) {
  const auto encoders = o.load_encoders();
  const auto workloads = o.load_workloads();
  const Backtrack backtrack = o.parsed_backtrack();
  json results = new_results(o);
  json first = json::array();
  json rows = json::array();
  const Tally golden = check_golden(encoders, &first);
  std::size_t checks = golden.checks, mismatches = golden.mismatches;

  std::vector<std::vector<std::string>> table;
  for (const auto& workload : workloads) {
    for (const auto& encoder : encoders) {
      progress(fmt::format("verify {} {}", workload.name, encoder->encoding().name()));
      // Sessions are checked as a caller sees them, through their deltas.
      CacheReplay replay(encoder, CacheReplay::Options{backtrack, {}, {}, /*track_deltas=*/true});
      std::map<std::string, Tally> per_cache;
      for (std::size_t i = 0; i < workload.requests.size(); ++i) {
        const auto& request = workload.requests[i];
        replay.apply(request);
        const std::string_view text = replay.full_text(request);
        const auto expected = encoder->encode_ordinary(text);
        const auto got = replay.cache_ids(request);
        Tally& tally = per_cache[cache_name(request.kind)];
        ++tally.checks;
        if (got == expected) continue;
        ++tally.mismatches;
        if (first.size() < kMaxReportedMismatches) {
          json m = describe_mismatch(*encoder, text, expected, got);
          m["workload"] = workload.name;
          m["encoding"] = encoder->encoding().name();
          m["cache"] = cache_name(request.kind);
          m["request"] = i + 1;
          m["session"] = request.session;
          first.push_back(m);
        }
      }
      for (const auto& [cache, tally] : per_cache) {
        checks += tally.checks;
        mismatches += tally.mismatches;
        rows.push_back({{"workload", workload.name}, {"encoding", encoder->encoding().name()}, {"cache", cache},
                        {"checks", tally.checks}, {"mismatches", tally.mismatches}});
        table.push_back({workload.name, encoder->encoding().name(), cache, std::to_string(tally.checks),
                         std::to_string(tally.mismatches)});
      }
    }
  }
  progress("");
  results["mismatches"] = mismatches;
  results["checks"] = checks;
  results["golden"] = {{"checks", golden.checks}, {"mismatches", golden.mismatches}};
  results["results"] = rows;
  results["first_mismatches"] = first;

  std::string md = "# flashtok verify\n\n";
  md += fmt::format("**{} mismatches** in {} checks (backtrack_pieces = {}).\n\n", mismatches, checks, o.backtrack);
  md += fmt::format("Encoder vs tiktoken's golden ids: {} texts checked, {} mismatches.\n\n", golden.checks,
                    golden.mismatches);
  md += markdown_table({"workload", "encoding", "cache", "checks", "mismatches"}, table);
  if (!first.empty()) {
    md += "\n## First mismatches\n\n";
    for (const auto& m : first) {
      md += fmt::format("- {} / {} / {}: request {}, token {}, byte {}\n", m.value("workload", ""),
                        m.value("encoding", ""), m.value("cache", ""), m.value("request", 0),
                        m.value("token_index", 0), m.value("byte_offset", 0));
    }
  }
  StagedFiles staged;
  write_report(o, results, md, &staged);
  std::fprintf(stderr, "verify: %zu mismatches in %zu checks; report in %s\n", mismatches, checks, o.out_dir().c_str());
  return mismatches == 0 ? kExitOk : kExitMismatch;
}

}  // namespace

void add_verify_command(CLI::App& app) {
  auto options = std::make_shared<MeasureOptions>();
  options->command = "verify";
  auto* verify = app.add_subcommand("verify", "Check every cache against a full encode, token by token");
  options->add_to(verify, {"cl100k_base", "o200k_base", "r50k_base", "p50k_base"}, /*with_gate=*/false);
  verify->callback([options] {
    const int code = run_verify(*options);
    if (code != kExitOk) throw CommandError("verify found mismatches", code);
  });
}

}  // namespace flashtok::cli
