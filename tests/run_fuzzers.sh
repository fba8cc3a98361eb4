#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan, the library
# instrumented for coverage) and runs each for SECONDS (default 60) on a copy
# of its seed corpus in tests/fuzz/corpus/. Crashes are saved in the build
# folder and fail the run.
# Usage: tests/run_fuzzers.sh [SECONDS] [BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
build=${2:-$root/build/fuzz}
if ! command -v clang++ >/dev/null; then
  sudo_cmd=(); [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clang libclang-rt-14-dev
fi
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DFLASHTOK_SANITIZE=address,undefined,fuzzer-no-link -DFLASHTOK_BUILD_FUZZERS=ON \
  -DFLASHTOK_BUILD_CLI=OFF -DFLASHTOK_BUILD_TESTS=OFF -DFLASHTOK_BUILD_BENCHMARKS=OFF -DFLASHTOK_USE_OPENMP=OFF >/dev/null
cmake --build "$build" --parallel "$(nproc)" --target fuzz_encoder fuzz_caches fuzz_edits fuzz_edit_resync fuzz_tiktoken_loader fuzz_piece_splitter fuzz_stream_decoder fuzz_long_piece fuzz_long_run_append
for target in encoder caches edits edit_resync tiktoken_loader piece_splitter stream_decoder long_piece long_run_append; do
  corpus="$build/corpus/$target"
  mkdir -p "$corpus" "$build/crashes"
  cp -n "$root/tests/fuzz/corpus/$target/"* "$corpus/" 2>/dev/null || true
  echo "== fuzz_$target for ${seconds}s"
  "$build/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -max_len=4096 -timeout=20 -rss_limit_mb=4096 \
    -artifact_prefix="$build/crashes/$target-" -print_final_stats=1 "$corpus" 2>&1 | tail -n 12
done
