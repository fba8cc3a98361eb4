#!/usr/bin/env bash
# The stream workload (fixed backtrack_pieces break on it, auto does not), the
# sweep's summary tables, and replay files that mix append and output lines.
# Usage: workload_test.sh PATH/TO/flashtok
set -u
flashtok=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$(dirname "$0")/lib.sh"
cd "$work" || exit 1
json_get() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }

# stream: every cache exact with auto, in every encoding, after every append.
expect_exit 0 "verify --workload stream" -- "$flashtok" verify --workload stream --out stream_auto
[ "$(json_get stream_auto/results.json 'd["mismatches"] == 0 and d["checks"] > 4 * 2000')" = "True" ] && pass ||
  fail "stream: auto had mismatches or too few checks"
# ... and a fixed backtrack_pieces of 1 is wrong on it (appends cut inside white space).
expect_exit 1 "verify --workload stream --backtrack-pieces 1" -- \
  "$flashtok" verify --workload stream --encoding o200k_base --backtrack-pieces 1 --out stream_k1

# sweep: the backtrack table starts workload, encoding, backtrack, wrong turns
# (a percentage); auto is never wrong, k = 0 is; the capacity table has the
# cache second and the speedup last.
expect_exit 0 "sweep --workload stream" -- \
  "$flashtok" sweep --quick --workload stream --encoding cl100k_base --backtrack-pieces 0..2 --no-plot --out sweep
python3 - sweep/summary.md sweep/results.json <<'PY' && pass || fail "sweep summary tables"
import json, re, sys
md = open(sys.argv[1]).read().split("\n## ")
rows = lambda section: [[c.strip() for c in line.strip("|").split("|")] for line in section.splitlines() if line.startswith("|")]
backtrack = rows(next(s for s in md if s.startswith("backtrack_pieces")))
assert backtrack[0][:4] == ["workload", "encoding", "backtrack", "wrong turns"], backtrack[0]
body = backtrack[2:]
assert [r[2] for r in body] == ["0", "1", "2", "auto"], body
assert all(re.fullmatch(r"\d+\.\d\d%|<0\.01%", r[3]) for r in body), body
by_k = {r[2]: r for r in body}
assert by_k["auto"][3] == "0.00%" and by_k["0"][3] != "0.00%", body
assert by_k["auto"][backtrack[0].index("wrong / appends")].startswith("0 / "), body
capacity = rows(next(s for s in md if s.startswith("Cache capacity")))
assert capacity[0][1] == "cache" and all(re.fullmatch(r"\d+\.\d\dx", r[-1]) for r in capacity[2:]), capacity
d = json.load(open(sys.argv[2]))
for r in d["backtrack"]:
    assert r["spoiled"] >= r["mismatches"] and 0 <= r["spoiled_rate"] <= 1, r
PY

finish
