#!/usr/bin/env bash
# The stream workload (fixed backtrack_pieces break on it, auto does not), the
# sweep's summary tables, and replay files that mix append and output lines.
# Usage: workload_test.sh PATH/TO/flashtok
set -u
flashtok=$1
schema_check="$(cd "$(dirname "$0")/../../reports/schema" && pwd)/validate_results.py"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$(dirname "$0")/lib.sh"
cd "$work" || exit 1

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

# A replay session mixing append and output lines is one text, appended in
# file order; a prompt replaces it. The session's ids after its last line
# (bench's per-session series) count the same as `flashtok encode` of the
# concatenation, and verify finds them exact.
cat >mixed.jsonl <<'EOF2'
{"session": "a", "append": "You are terse.\nUser: hi\nAssistant:"}
{"session": "b", "output": "Sure, the total is 12"}
{"session": "a", "output": " Hel"}
{"session": "b", "append": "34.5"}
{"session": "a", "output": "lo there\n  "}
{"session": "a", "append": "\nUser: and 1"}
{"session": "b", "output": " dollars.\n"}
{"session": "a", "output": "23?"}
{"session": "b", "append": "\nUser: thanks"}
{"session": "a", "append": "\nUser: ok"}
{"session": "c", "append": "draft one"}
{"session": "c", "prompt": "draft two, rewritten"}
{"session": "c", "append": " and grown"}
{"text": "Few-shot: Q1 A1 Q2 A2. Question: why?"}
{"text": "Few-shot: Q1 A1 Q2 A2. Question: how?"}
EOF2
expect_exit 0 "verify a mixed replay" -- "$flashtok" verify --replay mixed.jsonl --out mixed_verify
expect_exit 0 "bench a mixed replay" -- \
  "$flashtok" bench --replay mixed.jsonl --quick --encoding cl100k_base --no-plot --out mixed_bench
for session in a b c; do
  text=$(python3 - mixed.jsonl "$session" <<'PY'
import json, sys
text = ""
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("session") != sys.argv[2]: continue
    text = r["prompt"] if "prompt" in r else text + r.get("append", r.get("output", ""))
sys.stdout.write(text)
PY
)
  want=$(printf '%s' "$text" | "$flashtok" count --encoding cl100k_base)
  got=$(json_get mixed_bench/results.json "[s['history_tokens'][-1] for s in d['series'] if s['session'] == '$session'][0]")
  [ "${got%.0}" = "$want" ] && pass || fail "session $session holds $got ids, the concatenation has $want"
done
# sweep checks the lines the append-only caches serve: session a's six and
# c's first (before its prompt moves it to the session cache); none of b's.
expect_exit 0 "sweep a mixed replay" -- \
  "$flashtok" sweep --replay mixed.jsonl --quick --encoding cl100k_base --backtrack-pieces 0..1 --no-plot --out mixed_sweep
[ "$(json_get mixed_sweep/results.json '[r["checks"] for r in d["backtrack"]]')" = "[7, 7, 7]" ] && pass ||
  fail "sweep checks: $(json_get mixed_sweep/results.json '[r["checks"] for r in d["backtrack"]]')"
# Only the shared prefix cache has a prebuild: no other cache gets a "prebuilt" row.
[ "$(json_get mixed_bench/results.json '[r["cache"] for r in d["results"] if "prebuilt" in r["cache"]]')" = \
  "['shared-prefix prebuilt']" ] && pass || fail "prebuilt rows: $(json_get mixed_bench/results.json '[r["cache"] for r in d["results"]]')"
[ "$(json_get mixed_bench/results.json 'sorted(s["session"] for s in d["series"]) == ["a", "b", "c"] and all(s["of_sessions"] == 3 for s in d["series"])')" = "True" ] &&
  pass || fail "series: one per session"

# After an edit that keeps the end of the prompt, the session cache re-encodes
# (for the KV cache) every id from the first changed one on, but only the new
# ids at the edit differ; the ids after them are the old ones.
python3 - <<'PY' >edit.jsonl
import json
body = "".join(f"Rule {i}: answer in full sentences and cite the passage.\n" for i in range(200))
for date in ("2026-12-01", "2026-12-02", "2026-12-03"):
    print(json.dumps({"session": "s", "prompt": f"Current date: {date}\n" + body}))
PY
expect_exit 0 "bench an edit that keeps the tail" -- \
  "$flashtok" bench --replay edit.jsonl --quick --encoding cl100k_base --no-plot --out edit_bench
[ "$(json_get edit_bench/results.json '[(r["mean_reencoded_tokens"] > 1000, 0 < r["mean_changed_tokens"] < r["mean_reencoded_tokens"] / 2) for r in d["results"]]')" = "[(True, True)]" ] &&
  pass || fail "ids re-encoded / differing: $(json_get edit_bench/results.json '[(r["mean_reencoded_tokens"], r["mean_changed_tokens"]) for r in d["results"]]')"
grep -q "ids re-encoded / differing" edit_bench/summary.md && pass || fail "bench summary has no ids column"
# Three prompts in one session: the last two are prompt updates, reported alone.
[ "$(json_get edit_bench/results.json '[r["prompt_updates"]["requests"] for r in d["results"]]')" = "[2]" ] &&
  grep -q "^## Prompt updates alone" edit_bench/summary.md && pass ||
  fail "prompt updates: $(json_get edit_bench/results.json '[r.get("prompt_updates") for r in d["results"]]')"
# A session that starts in the append-only cache: its first prompt moves it to
# the session cache cold, so only the prompt after that is a prompt update.
python3 - <<'PY' >moved.jsonl
import json
body = "".join(f"Line {i}: keep the answer short.\n" for i in range(40))
print(json.dumps({"session": "m", "append": body}))
print(json.dumps({"session": "m", "prompt": body + "User: hi\n"}))
print(json.dumps({"session": "m", "prompt": body + "User: hi again\n"}))
PY
expect_exit 0 "bench a session moved from the append-only cache" -- \
  "$flashtok" bench --replay moved.jsonl --quick --encoding cl100k_base --no-plot --out moved_bench
[ "$(json_get moved_bench/results.json '[r["prompt_updates"]["requests"] for r in d["results"] if r["cache"] == "session"]')" = "[1]" ] &&
  pass || fail "moved session: $(json_get moved_bench/results.json '[(r["cache"], r.get("prompt_updates")) for r in d["results"]]')"
python3 "$schema_check" edit_bench/results.json mixed_bench/results.json sweep/results.json >/dev/null && pass ||
  fail "results.json does not validate against the schema"

# workloads/corpus/stream_replay.py on a user's folder of texts, not a built
# corpus: one long last line (a line start near the end must not leave an
# excerpt too short to stream), a file with no line break, one too short
# (named and left out); its replay is exact.
stream_replay="$(cd "$(dirname "$0")/../../workloads/corpus" && pwd)/stream_replay.py"
mkdir -p texts
python3 - <<'PY'
open("texts/long_last_line.txt", "w").write("Первая строка, кириллица.\n" + "x y " * 3000 + "\n" + "z" * 300)
open("texts/no_break.txt", "w").write("word, 12345 " * 1000)
open("texts/tiny.txt", "w").write("too short\n")
PY
expect_exit 0 "stream_replay.py on a folder of odd texts" -- python3 "$stream_replay" texts texts.jsonl --bytes 5000
expect_error_mentions "stream_replay.py: the short file" "tiny.txt holds 10 bytes"
expect_exit 0 "verify the odd texts' stream replay" -- "$flashtok" verify --replay texts.jsonl --out texts_verify
[ "$(json_get texts_verify/results.json 'd["mismatches"] == 0 and d["checks"] > 1000')" = "True" ] && pass ||
  fail "odd texts' replay: $(json_get texts_verify/results.json '(d["mismatches"], d["checks"])')"

finish
