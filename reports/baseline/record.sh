#!/usr/bin/env bash
# Re-records the regression gate's wall-time reference for this kind of CPU
# (reports/baseline/bench.json, or bench.<cpu>.json for another kind: see
# for_this_cpu.py; ratios do not travel between kinds of CPU):
# three full-size `flashtok bench --repeat 9` runs, merged so that each ratio
# is the median of the three runs' ratios and each row keeps all 27 passes (of
# the total and of the p50 speedup)
# (the U test then compares CI's 9 passes with a sample that spans three runs
# of a shared machine, not one lucky or unlucky run).
# Then reports/baseline/instructions.json, the reference of CI's gate on
# instruction counts: one `bench --metric instructions` run of a small
# selection (ratios of identical code agree within 1%: one run is
# enough). .ci/run gates with the same flags (instruction_flags.sh).
# Usage: reports/baseline/record.sh [build dir, default build/release]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
flashtok=${1:-$root/build/release}/apps/flashtok/flashtok
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for run in 1 2 3; do
  "$flashtok" bench --out "$work/run$run" --no-plot --repeat 9 >/dev/null
done
python3 - "$work" "$("$root/reports/baseline/for_this_cpu.py" --target)" <<'PY'
import json, os, statistics, sys
work, target = sys.argv[1], sys.argv[2]
runs = [json.load(open(os.path.join(work, f"run{i}", "results.json"))) for i in (1, 2, 3)]
merged = runs[0]
merged["ratios"] = {k: statistics.median(r["ratios"][k] for r in runs)
                    for k in merged["ratios"] if all(k in r["ratios"] for r in runs)}
def row_key(row):
    return (row["workload"], row["cache"], row["encoding"])
others = [{row_key(row): row for row in r["results"]} for r in runs[1:]]
for row in merged["results"]:
    for other in others:
        for field in ("passes", "passes_p50"):
            row["speedup"][field] += other[row_key(row)]["speedup"][field]
# The per-turn series are figures' data, not the gate's: hundreds of KB a
# commit need not carry.
merged.pop("series", None)
tmp = target + ".tmp"
with open(tmp, "w") as f:
    json.dump(merged, f, indent=1, sort_keys=True)
    f.write("\n")
os.replace(tmp, target)
print(f"baseline: {len(merged['ratios'])} ratios, median of three runs, written to {target}")
PY

source "$root/reports/baseline/instruction_flags.sh"
"$flashtok" bench "${instruction_flags[@]}" --out "$work/instructions" >/dev/null
python3 - "$work/instructions/results.json" "$root/reports/baseline/instructions.json" <<'PY'
import json, os, sys
run = json.load(open(sys.argv[1]))
run.pop("series", None)  # figures' data, not the gate's
tmp = sys.argv[2] + ".tmp"
with open(tmp, "w") as f:
    json.dump(run, f, indent=1, sort_keys=True)
    f.write("\n")
os.replace(tmp, sys.argv[2])
print(f"baseline: {len(run['ratios'])} instruction ratios, written to {sys.argv[2]}")
PY
