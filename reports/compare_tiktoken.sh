#!/usr/bin/env bash
# flashtok vs tiktoken, same files, same run, one thread: full-encoder MB/s for
# cl100k_base and o200k_base on each kind of text. Writes a Markdown table to
# reports/tiktoken_comparison.md and prints it.
#   reports/compare_tiktoken.sh [BUILD_DIR]     (default build/release, a Release build)
# Needs Node.js and npm (apt-get install nodejs npm) for tiktoken itself.
# TOKENDAGGER_BENCH=CMD adds TokenDagger (a C++ tiktoken on PCRE2): CMD ENCODING
# FILE must print one JSON object with "mb_per_s_median" and "tokens"; it is
# built by hand beside this repository (docs/PERFORMANCE.md), never from it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/release}
flashtok=$build/apps/flashtok/flashtok
microbench=$build/apps/microbench/encode_benchmark
oracle=$root/tests/oracle
for tool in "$flashtok" "$microbench"; do
  [ -x "$tool" ] || { echo "missing $tool: build Release first (tests/run_tests.sh or run_benchmark.sh)" >&2; exit 2; }
done
command -v node >/dev/null || { echo "needs Node.js: apt-get install nodejs npm" >&2; exit 2; }
[ -d "$oracle/node_modules/tiktoken" ] || (cd "$oracle" && npm install --no-audit --no-fund >/dev/null)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

rows=""
for kind in prose code multilingual chat; do
  "$flashtok" workloads corpus "$kind" --bytes 4000000 >"$work/$kind.txt"
  for enc in cl100k_base o200k_base; do
    ours=$(FLASHTOK_CORPUS="$work/$kind.txt" "$microbench" --benchmark_filter="^EncodeOrdinary/$enc\$" \
             --benchmark_min_time=1 --benchmark_format=json 2>/dev/null |
           python3 -c "import json,sys; b=json.load(sys.stdin)['benchmarks'][0]; print(b['bytes_per_second'] / 1e6, int(b['tokens']))")
    theirs=$(node "$oracle/time_tiktoken.mjs" "$enc" "$work/$kind.txt" --impl wasm |
             python3 -c "import json,sys; d=json.load(sys.stdin); print(d['mb_per_s'], d['tokens'])")
    # The same number of tokens, or the comparison is not of the same work.
    [ "${ours#* }" = "${theirs#* }" ] || { echo "token counts differ on $kind/$enc: ${ours#* } vs ${theirs#* }" >&2; exit 1; }
    ours=${ours% *}
    wasm=${theirs% *}
    native=$(node "$oracle/time_tiktoken.mjs" "$enc" "$work/$kind.txt" --impl native 2>/dev/null |
             python3 -c "import json,sys; print(json.load(sys.stdin)['mb_per_s'])" 2>/dev/null || echo nan)
    dagger=nan
    if [ -n "${TOKENDAGGER_BENCH:-}" ]; then
      dagger=$($TOKENDAGGER_BENCH "$enc" "$work/$kind.txt" |
               python3 -c "import json,sys; d=json.load(sys.stdin); print(d['mb_per_s_median'], d['tokens'])")
      [ "${dagger#* }" = "${theirs#* }" ] || { echo "TokenDagger's token count differs on $kind/$enc" >&2; exit 1; }
      dagger=${dagger% *}
    fi
    rows+=$(python3 -c "
o, w, n, d = $ours, $wasm, float('$native'), float('$dagger')
cell = lambda x: 'n/a | n/a' if x != x else f'{x:.1f} | {o / x:.1f}x'
print(f'| $enc | $kind | {o:.1f} | {w:.1f} | {o / w:.1f}x | {cell(n)} | {cell(d)} |')")$'\n'
  done
done
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
{
  echo "# flashtok vs tiktoken: full encoder, one thread"
  echo
  echo "$cpu, $(nproc) cores; $(date -u +%Y-%m-%d). flashtok: Release build, Google Benchmark"
  echo "(\`encode_benchmark\`); tiktoken 1.0.22 (npm, WebAssembly) and @anysphere/tiktoken-node 0.2.1 (native"
  echo "addon of the same Rust core), median of 5 after a warm-up, on the same 4 MB files"
  echo "(\`flashtok workloads corpus KIND\`); TokenDagger when TOKENDAGGER_BENCH is set. MB/s;"
  echo "ratio = flashtok / the other. Every tool's token count is checked equal to flashtok's."
  echo
  echo "| encoding | text | flashtok | tiktoken wasm | ratio | tiktoken native | ratio | TokenDagger | ratio |"
  echo "|---|---|---|---|---|---|---|---|---|"
  printf '%s' "$rows"
} | tee "$root/reports/tiktoken_comparison.md"
