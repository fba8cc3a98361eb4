#!/usr/bin/env bash
# verify / bench / sweep / workloads: exit codes, reports, the regression gate.
# Usage: measure_test.sh PATH/TO/flashtok
set -u
flashtok=$1
schema_check="$(cd "$(dirname "$0")/../../reports/schema" && pwd)/validate_results.py"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$(dirname "$0")/lib.sh"
cd "$work" || exit 1

# verify: exact caches exit 0 with a valid report in the default folder.
expect_exit 0 "verify --quick" -- "$flashtok" verify --quick
[ "$(json_get reports/out/verify/results.json 'd["mismatches"]')" = "0" ] && pass || fail "verify mismatches not 0"
[ "$(json_get reports/out/verify/results.json 'd["golden"]["checks"]')" -ge 100 ] && pass || fail "verify skipped the golden ids"
grep -q "0 mismatches" reports/out/verify/summary.md && pass || fail "summary.md"

# verify catches a wrong cache: backtrack 0 is wrong on the voice workload.
expect_exit 1 "verify catches --backtrack-pieces 0" -- "$flashtok" verify --quick --workload voice --backtrack-pieces 0 --out wrong
[ "$(json_get wrong/results.json 'd["mismatches"] > 0 and len(d["first_mismatches"]) > 0')" = "True" ] && pass ||
  fail "verify did not record the mismatches"

# verify --junit: one test case per workload x encoding x cache and one per
# encoding for the golden texts; a failing case carries its first mismatch.
expect_exit 1 "verify --junit of a wrong cache" -- \
  "$flashtok" verify --quick --workload voice,sessions --backtrack-pieces 0 --out junit_bad --junit junit_bad.xml
python3 - junit_bad.xml junit_bad/results.json <<'PY' && pass || fail "JUnit XML of a wrong cache"
import json, sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
d = json.load(open(sys.argv[2]))
cases = root.findall(".//testcase")
assert len(cases) == len(d["results"]) + len(d["parameters"]["encodings"]), len(cases)
failed = [c for c in cases if c.find("failure") is not None]
wrong = [r for r in d["results"] if r["mismatches"] > 0]
assert len(failed) == len(wrong) > 0 and int(root.get("failures")) == len(wrong), (len(failed), len(wrong))
assert {c.get("name") for c in failed} == {r["cache"] for r in wrong}
for c in failed:
    failure = c.find("failure")
    assert "first at request" in failure.get("message"), failure.get("message")
    assert "expected ids" in failure.text and "got ids" in failure.text
PY
# Four cases: voice's append-only and session caches, sessions' session cache, the golden texts.
expect_exit 0 "verify --junit of exact caches" -- \
  "$flashtok" verify --quick --workload voice,sessions --encoding cl100k_base --out junit_ok --junit junit_ok.xml
python3 -c "
import xml.etree.ElementTree as ET
r = ET.parse('junit_ok.xml').getroot()
assert r.get('failures') == '0' and len(r.findall('.//testcase')) == 4 and not r.findall('.//failure')" &&
  pass || fail "JUnit XML of exact caches"
# Bytes XML cannot carry (a control character, a lone 0xFF) in the mismatch's excerpt.
printf '{"session": "t", "append": "hel"}\n{"session": "t", "append_b64": "%s"}\n' "$(printf 'lo\x01\xff there' | base64 -w0)" >ctl.jsonl
expect_exit 1 "verify --junit with raw bytes in the excerpt" -- \
  "$flashtok" verify --replay ctl.jsonl --encoding cl100k_base --backtrack-pieces 0 --out junit_ctl --junit junit_ctl.xml
python3 -c "
import xml.etree.ElementTree as ET
f = ET.parse('junit_ctl.xml').getroot().find('.//failure')
assert '\\\\x01' in f.text and '\\\\xFF' in f.text, f.text" && pass || fail "JUnit XML with raw bytes"
expect_exit 2 "--junit into a missing folder" -- \
  "$flashtok" verify --quick --workload voice --encoding cl100k_base --out junit_x --junit nowhere/j.xml

# bench and sweep: reports, and ratios.
expect_exit 0 "bench --quick" -- "$flashtok" bench --quick --out bench --no-plot
expect_exit 0 "sweep --quick" -- "$flashtok" sweep --quick --out sweep --no-plot
# bench on the terminal: a table with a row per result on stdout; a --quick
# run is too short to judge a spread, and says so on stderr.
expect_exit 0 "bench --quick on the terminal" -- "$flashtok" bench --quick --workload voice,ide --out bench_tty --no-plot
python3 - "$work/out" bench_tty/results.json <<'PY' && pass || fail "bench's terminal table"
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
rows = json.load(open(sys.argv[2]))["results"]
assert lines[0].split()[:5] == ["workload", "encoding", "cache", "full", "p50"], lines[0]
updates = [r for r in rows if r.get("prompt_updates")]
assert updates, "ide's session cache gets prompt updates"
# The table, then a heading and one line per row with prompt updates.
assert len(lines) == 2 + len(rows) + 1 + len(updates), lines
for line, row in zip(lines[2:], rows):
    assert line.split()[:3] == [row["workload"], row["encoding"], row["cache"]], line
    assert line.split()[-1].endswith("x"), line  # one pass: no spread
assert lines[2 + len(rows)].startswith("prompt updates alone"), lines
for line, row in zip(lines[3 + len(rows):], updates):
    assert line.startswith(f"- {row['workload']} {row['encoding']} {row['cache']}: "), line
PY
expect_error_mentions "a --quick bench warns" "warning: 1 measured pass per speedup (--quick): too few to judge"
expect_exit 0 "bench --repeat 3 shows the spread" -- \
  "$flashtok" bench --workload voice --encoding cl100k_base --scale 0.3 --repeat 3 --out bench_spread --no-plot
grep -qE "append-only +[0-9. ]+ [0-9.]+x ± [0-9.]+" "$work/out" && pass || fail "no spread in: $(cat "$work/out")"
grep -q "too few to judge" "$work/err" && fail "three passes warned as too few" || pass
[ "$(json_get bench/results.json 'len(d["ratios"]) > 10')" = "True" ] && pass || fail "bench ratios"
[ "$(json_get sweep/results.json '[r["mismatches"] for r in d["backtrack"] if r["backtrack"] == "auto"] == [0] * len([r for r in d["backtrack"] if r["backtrack"] == "auto"])')" = "True" ] &&
  pass || fail "sweep: auto had mismatches"
python3 "$schema_check" reports/out/verify/results.json wrong/results.json bench/results.json sweep/results.json >/dev/null &&
  pass || fail "results.json does not validate against the schema"
expect_exit 0 "--json prints the results" -- "$flashtok" verify --quick --workload ide --encoding cl100k_base --json --out j
python3 -c "import json; json.load(open('$work/out'))" && pass || fail "--json output is not JSON"
# --json to a full disk: exit 2 and one line, not 0 with the results lost.
expect_exit 2 "verify --json > /dev/full" -- \
  bash -c "exec '$flashtok' verify --quick --workload ide --encoding cl100k_base --json --out json_full >/dev/full"
expect_error_mentions "verify --json > /dev/full" "cannot write standard output: No space left on device"

# The gate: the same code passes a generous threshold; a doctored baseline
# fails with 3. Five passes each: the gate compares the median pass, so one
# pass hit by a stall on a busy machine does not fail it.
"$flashtok" bench --quick --repeat 5 --out gate0 --no-plot >/dev/null 2>&1
expect_exit 0 "gate against itself" -- \
  "$flashtok" bench --quick --repeat 5 --out gate1 --no-plot --baseline gate0/results.json --max-regression 95
python3 - bench/results.json doctored.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["ratios"] = {k: v * 100 for k, v in d["ratios"].items()}
json.dump(d, open(sys.argv[2], "w"))
PY
expect_exit 3 "gate against a doctored baseline" -- "$flashtok" bench --quick --out gate2 --baseline doctored.json --max-regression 20
grep -q "regressed" "$work/err" && pass || fail "the gate does not name what regressed"
# With passes to test, a drop counts when it passes the threshold and the U test: a
# baseline 35% faster, pass by pass (total and p50 speedups), is caught; one as fast on the median but
# whose passes straddle this run's (two 10x and 100x below, two above: a loaded machine that
# slows this run tenfold still lands between them) is past the threshold, not significant.
python3 - gate0/results.json <<'PY'
import json, sys
def doctor(path, scale_passes):
    d = json.load(open(sys.argv[1]))
    d["ratios"] = {k: v * 1.35 for k, v in d["ratios"].items()}
    for row in d["results"]:
        for field in ("passes", "passes_p50"):
            passes = row["speedup"][field]
            row["speedup"][field] = scale_passes(sorted(passes)[len(passes) // 2], passes)
    json.dump(d, open(path, "w"))
doctor("faster35.json", lambda median, passes: [p * 1.35 for p in passes])
doctor("straddling.json", lambda median, passes: [median * f for f in (0.01, 0.1, 1.35, 10, 100)])
PY
expect_exit 3 "gate against a baseline 35% faster" -- \
  "$flashtok" bench --quick --repeat 5 --out gate35 --no-plot --baseline faster35.json --max-regression 10
python3 - gate35/results.json <<'PY' && pass || fail "gate verdicts: $(grep -A4 '## Regression gate' gate35/summary.md)"
import json, sys
gate = json.load(open(sys.argv[1]))["gate"]
assert gate["fewest_passes"] == {"run": 5, "baseline": 5}, gate["fewest_passes"]
assert 0 < gate["tested"] == gate["compared"], gate  # every speedup, total and p50, has its passes
for figure in ("/speedup_total:", "/speedup_p50:"):
    assert any(figure in r and "p = 0.0" in r and "5 vs 5 passes" in r for r in gate["regressions"]), gate["regressions"]
PY
grep -q "rests on at least 5 passes of this run against 5 of the baseline" gate35/summary.md && pass ||
  fail "summary.md does not say what the verdicts rest on"
"$flashtok" bench --quick --repeat 5 --out gate_straddle --no-plot --baseline straddling.json --max-regression 10 \
  >/dev/null 2>&1
python3 - gate_straddle/results.json <<'PY' && pass || fail "a drop the U test cannot confirm was judged a regression"
import json, sys
gate = json.load(open(sys.argv[1]))["gate"]
total = [r for r in gate["regressions"] if "/speedup_total:" in r]
assert not total, total
assert any("/speedup_total:" in r for r in gate["not_significant"]), gate["not_significant"]
assert any("/speedup_total:" in r for r in gate["too_noisy"]), gate["too_noisy"]
PY
python3 -c "import json; d=json.load(open('bench/results.json')); d['parameters']['seed']=7; json.dump(d, open('other_seed.json','w'))"
expect_exit 2 "baseline with another seed" -- "$flashtok" bench --quick --out gate3 --baseline other_seed.json
python3 -c "import json; d=json.load(open('bench/results.json')); d['schema_version']=99; json.dump(d, open('other_schema.json','w'))"
expect_exit 2 "baseline with another schema" -- "$flashtok" bench --quick --out gate4 --baseline other_schema.json
expect_exit 2 "unreadable baseline" -- "$flashtok" bench --quick --out gate5 --baseline missing.json
# A gate that compares nothing must not pass: a baseline of other workloads,
# of a renamed replay file or of another command is exit 2. When only some
# ratios match, the others are named on stderr and in summary.md.
"$flashtok" bench --quick --workload voice --no-plot --out gate_voice 2>/dev/null
expect_exit 2 "baseline of other workloads" -- \
  "$flashtok" bench --quick --workload ide --no-plot --baseline gate_voice/results.json --out gate6
expect_error_mentions "baseline of other workloads" "no ratio of baseline gate_voice/results.json matches this run"
expect_exit 2 "baseline of another command" -- \
  "$flashtok" bench --quick --workload voice --no-plot --baseline reports/out/verify/results.json --out gate7
"$flashtok" workloads dump voice --quick >recorded.jsonl && cp recorded.jsonl renamed.jsonl
"$flashtok" bench --quick --replay recorded.jsonl --no-plot --out gate_recorded 2>/dev/null
expect_exit 2 "baseline of a replay file under another name" -- \
  "$flashtok" bench --quick --replay renamed.jsonl --no-plot --baseline gate_recorded/results.json --out gate8
expect_exit 0 "baseline that matches in part" -- "$flashtok" bench --quick --workload voice,ide --no-plot \
  --baseline gate_voice/results.json --max-regression 100 --out gate9
expect_error_mentions "ratios the gate could not compare" "ratios of this run are not in the baseline: ide/"
grep -q "not in the baseline: ide/" gate9/summary.md && pass || fail "summary.md does not name the unmatched ratios"
# compare: every figure two runs share, side by side; exit 3 past the
# threshold, 2 on bad input and when nothing matches (never a pass).
expect_exit 0 "compare two runs of the same code" -- "$flashtok" compare gate0/results.json gate1/results.json \
  --max-regression 95 --out cmp_same
python3 - "$work/out" gate0/results.json <<'PY' && pass || fail "compare's table"
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
d = json.load(open(sys.argv[2]))
figures = len(d["ratios"]) + 4 * len(d["results"])  # ratios, then p50/p99 of full encode and cache
assert lines[0].split()[:3] == ["figure", "A:", "gate0"], lines[0]
assert len(lines) == 2 + figures, (len(lines), figures)
speedups = [l for l in lines[2:] if "/speedup_total" in l.split()[0]]
assert speedups and all(l.split()[4] != "n/a" for l in speedups), speedups  # five passes: the U test ran
PY
grep -q "^| figure |" cmp_same/summary.md && pass || fail "compare --out writes no Markdown table"
# A baseline 35% better (a 26% drop) is caught by the threshold alone when
# the passes are not kept, and with the U test when they are and the two
# sets of passes do not overlap (tight.json: passes within 4% of the ratio);
# a drop the passes' spread cannot tell from noise is not a regression.
python3 - gate0/results.json <<'PY'
import json, sys
def save(d, name, scale, passes):
    d = json.loads(json.dumps(d))
    d["ratios"] = {k: v * scale for k, v in d["ratios"].items()}
    for r in d["results"]:
        key = "%s/%s/%s/speedup_total" % (r["workload"], r["cache"], r["encoding"])
        r["speedup"]["passes"] = passes(d["ratios"][key])
    json.dump(d, open(name, "w"))
d = json.load(open(sys.argv[1]))
save(d, "tight.json", 1.0, lambda v: [v * (1 + 0.01 * i) for i in range(5)])
save(d, "better_tight.json", 1.35, lambda v: [v * (1 + 0.01 * i) for i in range(5)])
save(d, "better_no_passes.json", 1.35, lambda v: [])
save(d, "better_noisy.json", 1.35, lambda v: [v * f for f in (0.2, 0.5, 1.0, 2.0, 5.0)])
PY
for baseline in better_tight better_no_passes; do
  expect_exit 3 "compare against a $baseline baseline" -- "$flashtok" compare $baseline.json tight.json
  grep -q "/speedup_total .*REGRESSED" "$work/out" && pass || fail "compare $baseline: no REGRESSED speedup_total"
done
"$flashtok" compare better_tight.json tight.json >"$work/out" 2>/dev/null
grep -q "speedup_total .* 0\.008 .*REGRESSED" "$work/out" && pass || fail "5 passes against 5, all apart: p = 2/252"
"$flashtok" compare better_noisy.json tight.json --out cmp_noisy >"$work/out" 2>/dev/null
grep -q "speedup_total .*not significant" "$work/out" && pass || fail "a drop within the noise: $(head -c 400 "$work/out")"
# Across encodings and across --backtrack-pieces, on the same workload.
"$flashtok" bench --quick --workload voice --encoding cl100k_base --no-plot --out cmp_cl 2>/dev/null >/dev/null
"$flashtok" bench --quick --workload voice --encoding o200k_base --no-plot --out cmp_o2 2>/dev/null >/dev/null
"$flashtok" bench --quick --workload voice --encoding cl100k_base --backtrack-pieces 2 --no-plot --out cmp_k2 2>/dev/null >/dev/null
# --label names a run in compare; without it, the folder's name does.
"$flashtok" bench --quick --workload voice --encoding cl100k_base --no-plot --label before --out lab1 >/dev/null 2>&1
[ "$(json_get lab1/results.json 'd["label"]')" = "before" ] && pass || fail "--label is not in results.json"
python3 "$schema_check" lab1/results.json >/dev/null && pass || fail "--label: schema"
expect_exit 0 "compare with --label" -- "$flashtok" compare lab1/results.json cmp_cl/results.json --max-regression 100
head -n 1 "$work/out" | grep -q "A: before .*B: cmp_cl" && pass || fail "compare labels: $(head -n 1 "$work/out")"
expect_exit 0 "compare across encodings" -- "$flashtok" compare cmp_cl/results.json cmp_o2/results.json --max-regression 100
grep -q "^voice/append-only/speedup_total " "$work/out" && pass || fail "across encodings: $(head -c 300 "$work/out")"
expect_exit 0 "compare across --backtrack-pieces" -- "$flashtok" compare cmp_cl/results.json cmp_k2/results.json --max-regression 100
grep -q "^voice/append-only/cl100k_base/speedup_total " "$work/out" && pass || fail "across backtrack: $(head -c 300 "$work/out")"
expect_exit 2 "compare runs that share no figure" -- "$flashtok" compare reports/out/verify/results.json gate0/results.json
expect_error_mentions "compare runs that share no figure" "share no figure"
expect_exit 2 "compare a missing file" -- "$flashtok" compare nothing.json gate0/results.json
expect_exit 2 "compare another schema version" -- "$flashtok" compare other_schema.json gate0/results.json
# The baseline is read like any input, and checked before measuring.
expect_exit 2 "--baseline /dev/zero" -- timeout 20 "$flashtok" bench --quick --baseline /dev/zero --max-input-bytes 1MiB --out zero

# The encoder's throughput names its text: generated rows say synthetic and
# give the memo's hit rate; --corpus DIR times the .txt files directly in DIR
# instead (not a subfolder's, not other files), each whole, as real text.
json_get bench/results.json 'all(r["corpus"] == "synthetic" and "--seed 42" in r["source"] and 0 <= r["memo_hit_rate"] <= 1
  and 0 < r["merged_pieces"] <= r["pieces"] for r in d["encoder_throughput"]) and len(d["encoder_throughput"]) >= 8' |
  grep -qx True && pass || fail "synthetic throughput rows: $(json_get bench/results.json 'd["encoder_throughput"]')"
grep -q "| cl100k_base | prose | synthetic | [0-9.]* | [0-9]*% |" bench/summary.md && grep -q "\*\*Synthetic\*\* rows" bench/summary.md &&
  pass || fail "summary.md does not label the synthetic throughput"
mkdir -p corpus/multilingual
printf 'The quick brown qzxvj, again and again. The quick brown qzxvj.\n%.0s' $(seq 200) > corpus/prose.txt
printf 'Съешь же ещё этих мягких французских булок. 東京は晴れ。\n%.0s' $(seq 200) > corpus/multilingual.txt
echo "not a text kind" > corpus/manifest.json
echo "a script's own file" > corpus/multilingual/greek.txt
expect_exit 0 "bench --corpus" -- "$flashtok" bench --quick --workload voice --corpus corpus --out real --no-plot
python3 - real/results.json <<'PY' && pass || fail "bench --corpus rows"
import json, sys
d = json.load(open(sys.argv[1]))
rows = d["encoder_throughput"]
assert d["parameters"]["corpus"] == "corpus", d["parameters"]
assert [(r["kind"], r["encoding"]) for r in rows] == [(k, e) for k in ("multilingual", "prose")
                                                       for e in ("cl100k_base", "o200k_base")], rows
sizes = {"prose": len("The quick brown qzxvj, again and again. The quick brown qzxvj.\n") * 200, "multilingual": len("Съешь же ещё этих мягких французских булок. 東京は晴れ。\n".encode()) * 200}
for r in rows:
    assert r["corpus"] == "real" and r["source"] == "corpus/" + r["kind"] + ".txt", r
    assert r["bytes"] == sizes[r["kind"]] and r["mb_per_s"] > 0 and r["tokens"] > 0, r
    assert r["memo_hit_rate"] > 0.5, r  # the same lines over and over: the memo holds them
    # One pass: each encode on a new thread, its memo empty at the start, so it holds less.
    assert r["one_pass_mb_per_s"] > 0 and r["one_pass_memo_hit_rate"] < r["memo_hit_rate"], r
PY
python3 "$schema_check" real/results.json >/dev/null && pass || fail "bench --corpus results.json does not validate"
grep -q "| o200k_base | prose | real |" real/summary.md && grep -q "MB/s one pass" real/summary.md &&
  ! grep -q "Synthetic\*\* rows" real/summary.md &&
  pass || fail "summary.md of bench --corpus"
expect_exit 2 "bench --corpus of a missing folder" -- "$flashtok" bench --quick --workload voice --corpus nowhere --out r2
expect_error_mentions "names the folder" "--corpus nowhere: not a directory"
expect_exit 2 "bench --corpus of a folder without text" -- "$flashtok" bench --quick --workload voice --corpus corpus/none --out r3
mkdir -p empty_corpus && : > empty_corpus/prose.txt
expect_exit 2 "bench --corpus with an empty file" -- "$flashtok" bench --quick --workload voice --corpus empty_corpus --out r4
expect_error_mentions "names the empty file" "empty_corpus/prose.txt is empty"
mkdir -p no_text && echo x > no_text/readme.md
expect_exit 2 "bench --corpus of a folder without .txt files" -- "$flashtok" bench --quick --workload voice --corpus no_text --out r5
expect_error_mentions "says what it looked for" "no .txt file in it"
mkdir -p broken_corpus && cp corpus/prose.txt broken_corpus/ && ln -s "$work/nowhere.txt" broken_corpus/a.txt
expect_exit 2 "bench --corpus with a broken link" -- "$flashtok" bench --quick --workload voice --corpus broken_corpus --out r8
expect_error_mentions "names the broken link" "broken_corpus/a.txt is not a readable file"
mkdir -p folder_corpus/kind.txt && cp corpus/prose.txt folder_corpus/
expect_exit 2 "bench --corpus with a folder named .txt" -- "$flashtok" bench --quick --workload voice --corpus folder_corpus --out r9
expect_error_mentions "names the folder" "folder_corpus/kind.txt is not a readable file"
expect_exit 2 "bench --corpus larger than --max-input-bytes" -- \
  "$flashtok" bench --quick --workload voice --corpus corpus --max-input-bytes 1KiB --out r6
expect_exit 2 "bench --corpus with --metric instructions" -- \
  "$flashtok" bench --quick --workload voice --corpus corpus --metric instructions --out r7
[ ! -e r2/results.json ] && [ ! -e r4/results.json ] && [ ! -e r7/results.json ] && pass || fail "a refused --corpus wrote a report"

# Figures: bench and sweep draw them unless --no-plot; plot redraws from results alone.
png_check="$(cd "$(dirname "$schema_check")/../../tests/cli" && pwd)/check_png.py"
expect_exit 0 "bench with figures" -- "$flashtok" bench --quick --out fig_bench
expect_exit 0 "sweep with figures" -- "$flashtok" sweep --quick --out fig_sweep
python3 "$png_check" fig_bench/{latency_percentiles,per_turn_latency,cumulative_cpu,encoder_throughput}.png \
  fig_sweep/{speedup_vs_length,backtrack_sweep}.png >/dev/null && pass || fail "figures missing or not 1200x700 PNGs, or ink on their border"
# Replays are named after their files: long names must wrap under their bars, not run into each other or off the image.
cp recorded.jsonl support_chat_sessions_recorded_in_production.jsonl
cp recorded.jsonl voice_agent_calls_recorded_overnight.jsonl
expect_exit 0 "bench of two long-named replays with figures" -- "$flashtok" bench --quick --out fig_replay \
  --replay support_chat_sessions_recorded_in_production.jsonl --replay voice_agent_calls_recorded_overnight.jsonl
python3 "$png_check" fig_replay/*.png >/dev/null && pass || fail "replay figures: $(python3 "$png_check" fig_replay/*.png 2>&1 | grep BAD)"
grep -q "](per_turn_latency.png)" fig_bench/summary.md && pass || fail "summary.md does not embed the figures"
[ -z "$(ls bench | grep png)" ] && pass || fail "--no-plot drew figures"
expect_exit 0 "plot from results" -- "$flashtok" plot --in fig_bench/results.json --in fig_sweep/results.json --out figs
[ "$(ls figs/*.png | wc -l)" -eq 6 ] && pass || fail "plot did not draw six figures"
# Two bench runs overlay: each figure drawn once, with both runs in it (unlike either run's own figure).
mkdir -p run_b && cp fig_bench/results.json run_b/results.json
"$flashtok" plot --in fig_bench/results.json --in run_b/results.json --out overlay >overlay.txt 2>&1
[ "$(sort overlay.txt | uniq -d)" = "" ] && [ "$(grep -c png overlay.txt)" -eq 4 ] && pass || fail "overlay: $(cat overlay.txt)"
"$flashtok" plot --in fig_bench/results.json --out single >/dev/null
cmp -s overlay/latency_percentiles.png single/latency_percentiles.png && fail "overlay drew one run only" || pass
python3 "$png_check" overlay/*.png >/dev/null && pass || fail "overlay figures: $(python3 "$png_check" overlay/*.png 2>&1 | grep BAD)"
expect_exit 2 "plot of another schema version" -- "$flashtok" plot --in other_schema.json --out figs2
python3 -c "import json; d=json.load(open('fig_sweep/results.json')); del d['sizes']; json.dump(d, open('no_sizes.json','w'))"
expect_exit 2 "plot of results missing a field" -- "$flashtok" plot --in no_sizes.json --out figs3
grep -q "sizes" "$work/err" && pass || fail "the missing field is not named"
expect_exit 2 "plot of a missing file" -- "$flashtok" plot --in nothing.json --out figs4
# A plot that fails half-way (the sweep results lack a field the last figure
# needs) writes no figure, and leaves those already in its folder as they were.
python3 -c "import json; d=json.load(open('fig_sweep/results.json')); del d['backtrack']; json.dump(d, open('no_backtrack.json','w'))"
expect_exit 2 "plot failing half-way" -- "$flashtok" plot --in fig_bench/results.json --in no_backtrack.json --out figs_half
[ -z "$(ls figs_half)" ] && pass || fail "a failed plot wrote some figures: $(ls figs_half)"
cp -r figs figs_before
expect_exit 2 "plot failing half-way over figures" -- "$flashtok" plot --in fig_bench/results.json --in no_backtrack.json --out figs
diff -r figs figs_before >/dev/null && pass || fail "a failed plot changed the folder: $(ls figs)"
expect_exit 2 "plot of verify results only" -- "$flashtok" plot --in reports/out/verify/results.json --out figs5

# Workloads: list, deterministic dump, replay of a dump.
"$flashtok" workloads list | grep -q "^voice" && pass || fail "workloads list"
"$flashtok" workloads dump sessions --quick >a.jsonl && "$flashtok" workloads dump sessions --quick >b.jsonl &&
  cmp -s a.jsonl b.jsonl && pass || fail "workloads dump is not deterministic"
"$flashtok" workloads dump sessions --quick --seed 9 >c.jsonl && ! cmp -s a.jsonl c.jsonl && pass || fail "seed has no effect"
expect_exit 0 "verify --replay of a dump" -- "$flashtok" verify --replay a.jsonl --out replay --encoding o200k_base
# --replay is repeatable: one workload per file, named after it; two files
# of one name would mix their figures.
"$flashtok" workloads dump ide --quick >ide.jsonl
expect_exit 0 "two --replay files" -- "$flashtok" verify --replay a.jsonl --replay ide.jsonl --encoding cl100k_base --out r_two
[ "$(json_get r_two/results.json 'sorted({r["workload"] for r in d["results"]}), d["parameters"]["replay"]')" = \
  "(['replay:a.jsonl', 'replay:ide.jsonl'], ['a.jsonl', 'ide.jsonl'])" ] && pass || fail "two --replay files: $(json_get r_two/results.json 'd["parameters"]')"
python3 "$schema_check" r_two/results.json >/dev/null && pass || fail "two --replay files: schema"
mkdir -p other && cp a.jsonl other/a.jsonl
expect_exit 2 "two --replay files of one name" -- "$flashtok" verify --replay a.jsonl --replay other/a.jsonl --out r_same
expect_error_mentions "two --replay files of one name" "same name"
printf '{"text": "ok"}\n{"session": "s"}\n' >bad.jsonl
expect_exit 2 "replay with a bad line" -- "$flashtok" verify --replay bad.jsonl --out r2
grep -q "line 2" "$work/err" && pass || fail "replay error does not name the line"

# nlohmann's parser stops at a NUL byte: the rest of the line must not be ignored.
printf '{"text": "a"}\0{"text": "b", "prompt": "c"}\n' >nul.jsonl
expect_exit 2 "a NUL byte in a replay line" -- "$flashtok" verify --replay nul.jsonl --out r_nul
expect_error_mentions "a NUL byte in a replay line" "line 1: a NUL byte at column 14"
# Raw bytes in a replay: the _b64 fields, lone 0xFF and 0xFE bytes among them.
b64() { printf "$1" | base64 -w0; }
cat >raw.jsonl <<JSONL
{"session": "s", "prompt_b64": "$(b64 'ab\xff')"}
{"session": "s", "prompt_b64": "$(b64 'ab\xffcd')"}
{"session": "s", "output_b64": "$(b64 ' \xfe')"}
{"session": "t", "append_b64": "$(b64 'x\xff')"}
{"session": "t", "append": "y"}
{"prefix_b64": "$(b64 'p\xff')", "suffix": "s"}
{"prefix": "p", "suffix_b64": "$(b64 '\x80s')"}
{"text_b64": "$(b64 '\xff\xff')"}
JSONL
expect_exit 0 "verify --replay with _b64 fields" -- "$flashtok" verify --replay raw.jsonl --encoding cl100k_base --out r_b64
[ "$(json_get r_b64/results.json 'sum(r["checks"] for r in d["results"])')" = "8" ] && pass || fail "not every _b64 line was checked"
printf '{"text": "ok"}\n{"text_b64": "not base64!"}\n' >bad_b64.jsonl
expect_exit 2 "bad base64 in a replay" -- "$flashtok" verify --replay bad_b64.jsonl --out r_b64_bad
expect_error_mentions "bad base64 in a replay" "line 2: \"text_b64\" is not valid base64"
printf '{"session": "s", "append": "a", "append_b64": "YQ=="}\n' >both.jsonl
expect_exit 2 "a field given plain and as base64" -- "$flashtok" verify --replay both.jsonl --out r_both
# An edit that turns a broken sequence into a valid one ("caf\xC3x" -> "café"):
# verify sees what JSON could not carry, in all four encodings.
cat >cafe.jsonl <<JSONL
{"session": "s", "prompt_b64": "$(b64 'caf\xc3x')"}
{"session": "s", "prompt_b64": "$(b64 'caf\xc3\xa9')"}
{"session": "s", "prompt_b64": "$(b64 'caf\xc3\xa9 na\xc3')"}
{"session": "s", "prompt_b64": "$(b64 'caf\xc3\xa9 na\xc3\xafve')"}
JSONL
expect_exit 0 "verify --replay: an edit completes a broken character" -- "$flashtok" verify --replay cafe.jsonl --out r_cafe
[ "$(json_get r_cafe/results.json 'd["mismatches"]')" = "0" ] && pass || fail "the café edit mismatched"
# prefixes mine: the templates of the few-shot workload come out on top.
"$flashtok" workloads dump shared-prefix --quick >fewshot.jsonl
"$flashtok" prefixes mine fewshot.jsonl --max-results 6 >mined.jsonl && pass || fail "prefixes mine"
[ "$(wc -l <mined.jsonl)" -ge 1 ] && python3 -c "
import json
rows = [json.loads(l) for l in open('mined.jsonl')]
assert all(r['count'] >= 2 and r['bytes'] == len(r['prefix'].encode()) for r in rows)
assert rows[0]['prefix'].startswith('The following are multiple choice questions')" && pass || fail "mined prefixes"
expect_exit 2 "prefixes mine of a missing file" -- "$flashtok" prefixes mine nothing.jsonl

# Usage errors: exit 2, and no report left behind.
expect_exit 2 "--replay with --workload" -- "$flashtok" verify --replay a.jsonl --workload voice --out r3
expect_exit 2 "unknown workload" -- "$flashtok" bench --workload nope --out r4
expect_exit 2 "unknown encoding" -- "$flashtok" sweep --encoding nope --out r5
expect_exit 2 "bad --backtrack-pieces" -- "$flashtok" verify --backtrack-pieces two --out r6
expect_exit 2 "bad sweep range" -- "$flashtok" sweep --quick --backtrack-pieces 5..2 --out r7
expect_exit 2 "unknown dump" -- "$flashtok" workloads dump nope
# --scale is a finite number in (0, 10], checked before anything is built
# (nan, inf and 1e300 ran until the memory was gone).
for command in verify bench sweep; do
  for scale in nan inf 1e6 1e300 0 11; do
    expect_exit 2 "$command --scale $scale" -- timeout 10 "$flashtok" $command --scale $scale --out bad_scale
  done
done
expect_exit 2 "workloads dump --scale 1e300" -- timeout 10 "$flashtok" workloads dump ide --scale 1e300
[ ! -e bad_scale ] && pass || fail "a refused --scale left a report"
expect_exit 0 "--scale at its maximum" -- "$flashtok" verify --quick --scale 10 --workload voice --encoding cl100k_base --out scale_max
# --max-regression is a finite percentage: NaN or infinity would switch the gate off.
for pct in nan inf -1 101; do
  expect_exit 2 "--max-regression $pct" -- "$flashtok" bench --quick --baseline bench/results.json --max-regression $pct --out gate10
done
# Replay and baseline files are input like any other: --max-input-bytes holds,
# from a device as soon as the limit is passed (this grew to 4 GB).
for command in verify bench sweep; do
  expect_exit 2 "$command --replay /dev/zero" -- timeout 20 "$flashtok" $command --replay /dev/zero --max-input-bytes 1MiB --out zero
done
expect_exit 2 "--replay /dev/zero under the default limit" -- timeout 20 "$flashtok" verify --replay /dev/zero --out zero
expect_error_mentions "--replay /dev/zero" "larger than the limit of 268435456 bytes"
expect_exit 2 "plot --in /dev/zero" -- timeout 20 "$flashtok" plot --in /dev/zero --max-input-bytes 1MiB --out zero
expect_exit 2 "prefixes mine /dev/zero" -- timeout 20 "$flashtok" prefixes mine /dev/zero --max-input-bytes 1MiB
expect_exit 2 "replay that does not exist" -- "$flashtok" verify --replay nothing.jsonl --out zero
[ ! -e zero ] && pass || fail "refused input left a report"
touch a_file
expect_exit 2 "--out under a file" -- "$flashtok" verify --quick --out a_file/report
[ ! -e a_file/report ] && pass || fail "a report appeared under a file"
expect_exit 0 "--out in missing folders is created" -- "$flashtok" verify --quick --workload ide --out new/deep/folder
[ -s new/deep/folder/results.json ] && [ -z "$(ls new/deep/folder | grep tmp)" ] && pass || fail "report not written cleanly"

# Every run has an id, in results.json and under summary.md's title: a reader
# can tell whether the two are of the same run (results.json is renamed last).
run_id=$(json_get new/deep/folder/results.json 'd["run_id"]')
grep -qF "Run \`$run_id\`" new/deep/folder/summary.md && pass || fail "summary.md lacks results.json's run_id $run_id"
[ "$run_id" != "$(json_get reports/out/verify/results.json 'd["run_id"]')" ] && pass || fail "two runs have one run_id"
# The temporaries of a killed run are removed by the next run in the folder:
# only flashtok's own names, only of processes that have ended.
cp -r new/deep/folder stale
touch stale/results.json.tmp.999999999.AbCdEf stale/summary.md.tmp.Zx12Yq \
  stale/results.json.tmp.$$.AbCdEf stale/results.json.tmp.mine stale/notes.tmp.999999999.abcdef
expect_exit 0 "a run after a killed one" -- "$flashtok" verify --quick --workload ide --encoding cl100k_base --out stale
[ "$(ls stale | grep tmp | sort | tr '\n' ' ')" = "notes.tmp.999999999.abcdef results.json.tmp.$$.AbCdEf results.json.tmp.mine " ] &&
  pass || fail "stale temporaries: $(ls stale | grep tmp | tr '\n' ' ')"
# A full disk: `ulimit -f` makes every write past 1 KiB fail as a full disk
# would (EFBIG, SIGXFSZ ignored). The command says so with exit 2, and the
# report already in the folder is left whole, with no temporary file beside it.
cp -r new/deep/folder full
cp full/results.json full_before.json
expect_exit 2 "report on a full disk" -- bash -c "ulimit -f 1; trap '' XFSZ; exec '$flashtok' bench --quick --workload ide --encoding cl100k_base --no-plot --out full"
grep -q 'write failed' "$work/err" && pass || fail "full disk message: $(cat "$work/err")"
cmp -s full/results.json full_before.json && [ -z "$(ls full | grep tmp)" ] && pass || fail "a full disk damaged the old report"

finish
