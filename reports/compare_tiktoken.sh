#!/usr/bin/env bash
# flashtok vs the other exact tokenizers, same files, same run, one thread: full-encoder MB/s
# for cl100k_base and o200k_base on each kind of REAL text (workloads/corpus: Debian package
# text) plus one row of the old generated text (`synthetic`). Writes a Markdown report to
# reports/tiktoken_comparison.md and prints it.
# Two ways to time a tool with a memo (flashtok, quicktok): in one pass over the file, its memo
# empty at the start (text met once, as a server meets requests: the headline), and repeated
# (the same file encoded again and again after a warm-up, which lets a memo keep the file's rare
# words from the pass before). TokenDagger and tiktoken keep nothing between encodes.
#   reports/compare_tiktoken.sh [BUILD_DIR]     (default build/release, a Release build)
# CORPUS_DIR: the real-text corpus (default build/corpus; built with
#   workloads/corpus/build_corpus.sh when it has no manifest.json).
# Needs Node.js and npm (apt-get install nodejs npm) for tiktoken itself.
# QUICKTOK_BENCH=CMD adds quicktok, TOKENDAGGER_BENCH=CMD adds TokenDagger: CMD ENCODING FILE
# must print one JSON object with "mb_per_s_median", "cpu_mb_per_s_median" and "tokens"
# (optionally "tool"); quicktok's CMD ENCODING FILE --one-pass must time each encode on a freshly
# loaded tokenizer, without a warm-up, and say so with "one_pass": true (a harness that ignored
# the flag would report repeated encodes as one pass: the script stops there). Both are built by hand beside this repository (docs/PERFORMANCE.md,
# "Peers built beside the repository"), never from it.
# PER_SCRIPT=0 skips the second table (flashtok, and quicktok if set, on multilingual/<script>.txt).
# CLOCK=cpu (default) rates every tool by the CPU time of its encoding (the thread's, or for
# tiktoken the Node process's), which time slicing on a shared, busy machine disturbs far
# less than wall-clock time; CLOCK=wall uses wall-clock time (peers: "mb_per_s_median";
# with CLOCK=cpu they must also print "cpu_mb_per_s_median").
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/release}
corpus=${CORPUS_DIR:-$root/build/corpus}
flashtok=$build/apps/flashtok/flashtok
microbench=$build/apps/microbench/encode_benchmark
memo_hit_rate=$build/apps/microbench/memo_hit_rate
oracle=$root/tests/oracle
for tool in "$flashtok" "$microbench" "$memo_hit_rate"; do
  [ -x "$tool" ] || { echo "missing $tool: build Release first (tests/run_tests.sh or run_benchmark.sh)" >&2; exit 2; }
done
command -v node >/dev/null || { echo "needs Node.js: apt-get install nodejs npm" >&2; exit 2; }
# --no-save: the committed lock file stays as it is (tests/oracle/check_corpus.sh says why).
[ -d "$oracle/node_modules/tiktoken" ] || (cd "$oracle" && npm install --no-audit --no-fund --no-save >/dev/null)
[ -f "$corpus/manifest.json" ] || "$root/workloads/corpus/build_corpus.sh" "$corpus"
clock=${CLOCK:-cpu}
case $clock in cpu) peer_key=cpu_mb_per_s_median; node_key=cpu_mb_per_s; bench_key=cpu_time ;;
               wall) peer_key=mb_per_s_median; node_key=mb_per_s; bench_key=real_time ;;
               *) echo "CLOCK must be cpu or wall" >&2; exit 2 ;; esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# The old generated corpus, for comparison: 1 MB of each of its four kinds.
for kind in prose code multilingual chat; do
  "$flashtok" workloads corpus "$kind" --bytes 1000000
done >"$work/synthetic.txt"

# Before any timing: flashtok's ids equal tiktoken's, id for id, on every file timed below (a
# token count alone would miss two ids swapped or one merged differently). Exit 1 on a difference.
dirs=("$corpus" "$work")
[ -d "$corpus/multilingual" ] && dirs+=("$corpus/multilingual")
node "$oracle/check_corpus.mjs" --encodings cl100k_base,o200k_base "$flashtok" "${dirs[@]}" >&2

# flashtok: Google Benchmark, median of 5 repetitions, by the clock every tool here uses.
# flashtok_rate BENCHMARK ENCODING FILE prints "MB/s tokens"; BENCHMARK is EncodeOrdinary
# (repeated) or EncodeOrdinaryOnePass (each pass on a new thread, timed by hand: its thread's
# CPU time is the counter cpu_bytes_per_second, its wall time the manual time).
flashtok_rate() {
  local filter="^$1/$2\$"
  [ "$1" = EncodeOrdinaryOnePass ] && filter="^$1/$2/manual_time\$"
  FLASHTOK_CORPUS="$3" "$microbench" --benchmark_filter="$filter" --benchmark_repetitions=5 \
      --benchmark_report_aggregates_only=true --benchmark_format=json 2>/dev/null |
    python3 -c "
import json, sys
b = next(b for b in json.load(sys.stdin)['benchmarks'] if b.get('aggregate_name') == 'median')
key = 'real_time' if '$1' == 'EncodeOrdinaryOnePass' else '$bench_key'
seconds = b[key] * {'ns': 1e-9, 'us': 1e-6, 'ms': 1e-3, 's': 1.0}[b['time_unit']]
rate = b['cpu_bytes_per_second'] / 1e6 if key == 'real_time' and '$bench_key' == 'cpu_time' else $(stat -c %s "$3") / 1e6 / seconds
print(rate, int(round(b['tokens'])))"
}
# The piece memo's hit rate on a file, in one pass and as the benchmark's repeated encodes meet
# it: "TABLE ROW ENCODING ONE_PASS REPEATED" appended to $work/memo (once: it is a count, not a
# time).
record_memo() {
  local table=$1 row=$2 enc=$3 file=$4
  [ "$round" = 1 ] || return 0
  echo "$table $row $enc $("$memo_hit_rate" "$enc" "$file" |
    python3 -c "import json,sys; d=json.load(sys.stdin); print(d['one_pass_hit_rate'], d['hit_rate'])")" >>"$work/memo"
}
# A peer's JSON line -> "MB/s tokens"; its "tool" field is kept in $work/TAG.tool. Arguments
# after TAG go to the peer (--one-pass, which the peer must confirm).
peer_rate() {
  local asked_one_pass=False
  [ "${5:-}" = --one-pass ] && asked_one_pass=True
  $1 "$2" "$3" "${@:5}" | python3 -c "
import json, sys
d = json.load(sys.stdin)
if $asked_one_pass and d.get('one_pass') is not True:
    sys.exit('$4 was asked for --one-pass but did not confirm it (\"one_pass\": true): a harness that ignores it times repeated encodes')
open('$work/$4.tool', 'w').write(d.get('tool', '$4'))
print(d['$peer_key'], d['tokens'])"
}
# One measurement: "ROUND TABLE ROW ENCODING TOOL MB/s" appended to $work/results; the
# token count must equal flashtok's.
record() {
  local round=$1 table=$2 row=$3 enc=$4 tool=$5 result=$6 tokens=$7
  [ "${result#* }" = "$tokens" ] || { echo "$tool's token count differs on $row/$enc: ${result#* } vs $tokens" >&2; exit 1; }
  echo "$round $table $row $enc $tool ${result% *} $tokens" >>"$work/results"
}

# ROUNDS (default 1) repeats every measurement; each cell is then the median over rounds.
for round in $(seq "${ROUNDS:-1}"); do
  for kind in prose code chat multilingual adversarial synthetic; do
    file=$corpus/$kind.txt
    [ "$kind" = synthetic ] && file=$work/synthetic.txt
    for enc in cl100k_base o200k_base; do
      ours=$(flashtok_rate EncodeOrdinaryOnePass "$enc" "$file")
      tokens=${ours#* }
      record "$round" kinds "$kind" "$enc" flashtok_once "$ours" "$tokens"
      record "$round" kinds "$kind" "$enc" flashtok "$(flashtok_rate EncodeOrdinary "$enc" "$file")" "$tokens"
      record_memo kinds "$kind" "$enc" "$file"
      if [ -n "${QUICKTOK_BENCH:-}" ]; then
        record "$round" kinds "$kind" "$enc" quicktok_once \
          "$(peer_rate "$QUICKTOK_BENCH" "$enc" "$file" quicktok --one-pass)" "$tokens"
        record "$round" kinds "$kind" "$enc" quicktok "$(peer_rate "$QUICKTOK_BENCH" "$enc" "$file" quicktok)" "$tokens"
      fi
      [ -n "${TOKENDAGGER_BENCH:-}" ] && record "$round" kinds "$kind" "$enc" tokendagger \
        "$(peer_rate "$TOKENDAGGER_BENCH" "$enc" "$file" TokenDagger)" "$tokens"
      # The same number of tokens as tiktoken, or the comparison is not of the same work.
      record "$round" kinds "$kind" "$enc" wasm "$(node "$oracle/time_tiktoken.mjs" "$enc" "$file" --impl wasm |
        python3 -c "import json,sys; d=json.load(sys.stdin); print(d['$node_key'], d['tokens'])")" "$tokens"
      native=$(node "$oracle/time_tiktoken.mjs" "$enc" "$file" --impl native 2>/dev/null |
               python3 -c "import json,sys; d=json.load(sys.stdin); print(d['$node_key'], d['tokens'])" 2>/dev/null || echo "nan $tokens")
      record "$round" kinds "$kind" "$enc" native "$native" "$tokens"
    done
  done
  if [ "${PER_SCRIPT:-1}" != 0 ] && [ -d "$corpus/multilingual" ]; then
    for file in "$corpus"/multilingual/*.txt; do
      script=$(basename "$file" .txt)
      for enc in cl100k_base o200k_base; do
        ours=$(flashtok_rate EncodeOrdinaryOnePass "$enc" "$file")
        record "$round" scripts "$script" "$enc" flashtok_once "$ours" "${ours#* }"
        record_memo scripts "$script" "$enc" "$file"
        [ -n "${QUICKTOK_BENCH:-}" ] && record "$round" scripts "$script" "$enc" quicktok_once \
          "$(peer_rate "$QUICKTOK_BENCH" "$enc" "$file" quicktok --one-pass)" "${ours#* }"
      done
    done
  fi
done

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null || true)
grep -q '^FLASHTOK_NATIVE:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null && build_type="$build_type, -march=native (FLASHTOK_NATIVE)"
compiler=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null || true)
compiler_version=$("${compiler:-c++}" --version 2>/dev/null | head -1 || true)
corpus_sha=$(python3 -c "
import json, sys
m = json.load(open('$corpus/manifest.json'))
print(', '.join(f\"{k} {v['sha256'][:12]}\" for k, v in m['outputs'].items() if '/' not in k))")
qt_name=$(cat "$work/quicktok.tool" 2>/dev/null || echo "not run (set QUICKTOK_BENCH)")
td_name=$(cat "$work/TokenDagger.tool" 2>/dev/null || echo "not run (set TOKENDAGGER_BENCH)")
{
  echo "# flashtok vs quicktok, TokenDagger and tiktoken: full encoder, one thread"
  echo
  echo "Machine: $cpu, $(nproc) cores (shared: load average $load_before at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end)."
  echo "Date: $(date -u +%Y-%m-%d). flashtok: ${build_type:-?} build ($compiler_version), Google Benchmark"
  echo "\`encode_benchmark\`, median of 5 repetitions. quicktok: $qt_name. TokenDagger: $td_name."
  echo "tiktoken 1.0.22 (npm, WebAssembly) and @anysphere/tiktoken-node 0.2.1 (native addon of the same"
  echo "Rust core). Peers and tiktoken: median of 5 timed encodes. MB/s (10^6 bytes) of"
  echo "$([ "$clock" = cpu ] && echo "CPU time (the encoding thread's; tiktoken: the Node process's), every tool alike" || echo "wall-clock time, every tool alike");"
  echo "ratio = flashtok / the other (above 1: flashtok is faster)."
  echo
  echo "**one pass**: each timed encode meets the file with an empty memo, as a server meets text it has"
  echo "not seen (flashtok: \`EncodeOrdinaryOnePass\`, each pass on a new thread; quicktok: \`--one-pass\`,"
  echo "a freshly loaded tokenizer before each encode). **repeated**: the same file encoded again and again"
  echo "after a warm-up (flashtok: \`EncodeOrdinary\`), so a memo starts each pass with the file's rare words"
  echo "from the pass before. TokenDagger and tiktoken keep nothing between encodes (warm-up, then timed);"
  echo "their ratios are to flashtok's one-pass figure."
  echo
  echo "Corpus: real text from Debian 12 packages, built by \`workloads/corpus/build_corpus.sh\` (4 MB per"
  echo "kind; \`manifest.json\` names every source file; SHA-256 prefixes: $corpus_sha)."
  echo "\`synthetic (generated)\` is the old \`flashtok workloads corpus\` text (1 MB each of prose, code,"
  echo "multilingual and chat from small word lists), kept to show how much it flatters a piece memo."
  echo "flashtok's ids were checked equal to tiktoken's, id for id, on every file (\`tests/oracle/check_corpus.mjs\`);"
  echo "every other tool's token count is checked equal to flashtok's (the tokens column) on every file."
  echo "memo: of the pieces that are not one token, the share flashtok's piece memo held when they came"
  echo "(\`memo_hit_rate\`: one pass, then the file walked again as the benchmark's next encode walks it)."
  echo "Rounds: ${ROUNDS:-1} (each cell is the median over rounds of each tool's median of 5)."
  echo
  python3 - "$work/results" "$corpus" "$work/memo" <<'PY'
import collections, json, os, statistics, sys
rows = collections.defaultdict(list)
tokens = {}
for line in open(sys.argv[1]):
    _, table, row, enc, tool, rate, n = line.split()
    rows[table, row, enc, tool].append(float(rate))
    tokens[table, row, enc] = n
memo = {}
for line in open(sys.argv[3]):
    table, row, enc, once, repeated = line.split()
    show = lambda rate: "n/a" if rate == "None" else f"{float(rate) * 100:.0f}%"
    memo[table, row, enc] = (show(once), show(repeated))
def med(table, row, enc, tool):
    values = [v for v in rows.get((table, row, enc, tool), []) if v == v]
    return statistics.median(values) if values else float("nan")
def cell(o, x):
    return "n/a | n/a" if x != x else f"{x:.1f} | {o / x:.2f}x"
print("| encoding | text | flashtok one pass | memo | quicktok one pass | ratio | flashtok repeated | memo | quicktok repeated | ratio | TokenDagger | ratio | tiktoken wasm | ratio | tiktoken native | ratio | tokens |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for kind in ("prose", "code", "chat", "multilingual", "adversarial", "synthetic"):
    for enc in ("cl100k_base", "o200k_base"):
        once = med("kinds", kind, enc, "flashtok_once")
        repeated = med("kinds", kind, enc, "flashtok")
        label = "synthetic (generated)" if kind == "synthetic" else kind
        memo_once, memo_repeated = memo["kinds", kind, enc]
        peers = " | ".join(cell(once, med("kinds", kind, enc, t)) for t in ("tokendagger", "wasm", "native"))
        print(f"| {enc} | {label} | {once:.1f} | {memo_once} | {cell(once, med('kinds', kind, enc, 'quicktok_once'))} | "
              f"{repeated:.1f} | {memo_repeated} | {cell(repeated, med('kinds', kind, enc, 'quicktok'))} | {peers} | "
              f"{tokens['kinds', kind, enc]} |")
scripts = sorted({row for table, row, _, _ in rows if table == "scripts"})
if scripts:
    print()
    print("Per script (`multilingual/<script>.txt`, ~1 MB or what the packages hold), one pass, MB/s:")
    print()
    print("| script | size | flashtok cl100k | memo | quicktok cl100k | ratio | flashtok o200k | memo | quicktok o200k | ratio |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for s in scripts:
        size = os.path.getsize(os.path.join(sys.argv[2], "multilingual", s + ".txt")) // 1000
        cells = []
        for enc in ("cl100k_base", "o200k_base"):
            o = med("scripts", s, enc, "flashtok_once")
            cells.append(f"{o:.1f} | {memo['scripts', s, enc][0]} | {cell(o, med('scripts', s, enc, 'quicktok_once'))}")
        print(f"| {s} | {size} KB | " + " | ".join(cells) + " |")
PY
} | tee "$root/reports/tiktoken_comparison.md"
