#!/usr/bin/env bash
# One click: installs the dependencies (Debian/Ubuntu), builds Release, runs
# verify (stops on any mismatch), bench on every workload, sweep and plot,
# then prints where the report is. The full encoder's throughput is timed on
# real text: the corpus workloads/corpus/build_corpus.sh builds from Debian
# packages (once, into the build folder; about a minute), which every cache
# is also verified on; --quick times the generated text instead, labelled
# synthetic, unless FLASHTOK_CORPUS_DIR names a corpus already built.
#   ./run_benchmark.sh           # after the build, a minute or two on 2 cores
#   ./run_benchmark.sh --quick   # a tenth of the work, no corpus: a smoke run
# FLASHTOK_BUILD_DIR overrides the build folder (default build/release);
# FLASHTOK_CORPUS_DIR the real-text corpus (default BUILD/corpus).
set -euo pipefail
root=$(cd "$(dirname "$0")" && pwd)
build=${FLASHTOK_BUILD_DIR:-$root/build/release}
out=$root/reports/out
size=()
case "${1:-}" in
  --quick) size=(--quick) ;;
  "") ;;
  *) echo "usage: $0 [--quick]" >&2; exit 2 ;;
esac

if command -v apt-get >/dev/null 2>&1; then
  "$root/cmake/install-debian-deps.sh"
else
  echo "Not a Debian-like system: install CMake, a C++17 compiler, RE2, CLI11, fmt, nlohmann-json, OpenSSL," >&2
  echo "GoogleTest and Google Benchmark yourself (README 'Dependencies')." >&2
fi
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" --parallel "$(nproc 2>/dev/null || echo 2)" --target flashtok_cli
flashtok="$build/apps/flashtok/flashtok"

echo "== verify: every cache against a full encode, the encoder against tiktoken's ids"
"$flashtok" verify "${size[@]}" --out "$out/verify"
corpus=()
if [ -n "${FLASHTOK_CORPUS_DIR:-}" ]; then
  corpus=(--corpus "$FLASHTOK_CORPUS_DIR")
elif [ ${#size[@]} -eq 0 ]; then
  echo "== corpus: real text for the encoder's throughput (workloads/corpus/README.md)"
  if [ -f "$build/corpus/manifest.json" ] || "$root/workloads/corpus/build_corpus.sh" "$build/corpus"; then
    corpus=(--corpus "$build/corpus")
  else
    echo "warning: the real-text corpus could not be built; the throughput is timed on generated text (labelled synthetic)" >&2
  fi
fi
if [ ${#corpus[@]} -gt 0 ]; then
  # The same text through every cache, cut at random bytes (inside
  # characters too), and, when the folder has the built corpus's prose, chat
  # and code, the edits workload's shape on it: about 15 s.
  echo "== verify on real text: every cache on the corpus, against a full encode"
  replays=(--replay "$build/stream_replay.jsonl")
  python3 "$root/workloads/corpus/stream_replay.py" "${corpus[1]}" "$build/stream_replay.jsonl"
  if [ -f "${corpus[1]}/prose.txt" ] && [ -f "${corpus[1]}/chat.txt" ] && [ -f "${corpus[1]}/code.txt" ]; then
    python3 "$root/workloads/corpus/edits_replay.py" "${corpus[1]}" "$build/edits_replay.jsonl"
    replays+=(--replay "$build/edits_replay.jsonl")
  fi
  "$flashtok" verify "${replays[@]}" --out "$out/verify_real_text"
fi
echo "== bench: full encode vs cache, every workload"
"$flashtok" bench "${size[@]}" "${corpus[@]}" --workload all --out "$out/bench"
echo "== sweep: backtrack_pieces and sizes"
"$flashtok" sweep "${size[@]}" --out "$out/sweep"
echo "== plot: the figures of both, together"
"$flashtok" plot --in "$out/bench/results.json" --in "$out/sweep/results.json" --out "$out/figures"
echo
reports="verify,bench,sweep"
if [ ${#corpus[@]} -gt 0 ]; then reports="verify,verify_real_text,bench,sweep"; fi
echo "Report: $out/{$reports}/summary.md (results.json and PNG figures beside each; all figures in $out/figures)"
