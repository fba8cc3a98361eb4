#!/usr/bin/env bash
# Checks flashtok's ids against real tiktoken's (the pinned npm package), id
# for id, on the real-text corpus under all four encodings: the five 4 MB
# files and the per-script files of multilingual/ (about 35 MB, a minute).
# Installs Node.js and npm from Debian and the pinned tiktoken if missing.
# Usage: tests/oracle/check_corpus.sh FLASHTOK CORPUS_DIR
#   FLASHTOK    the flashtok program (e.g. build/release/apps/flashtok/flashtok)
#   CORPUS_DIR  a corpus built by workloads/corpus/build_corpus.sh
# Exit 0: identical; 1: a difference (printed); 2: bad use.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: tests/oracle/check_corpus.sh FLASHTOK CORPUS_DIR" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  sudo_cmd=(); [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm
fi
# package.json pins tiktoken's exact version; --no-save leaves the lock file
# as committed (npm ci refuses it: it lacks the optional native addon's
# builds for other platforms).
[ -d "$here/node_modules/tiktoken" ] || (cd "$here" && npm install --no-audit --no-fund --no-save >/dev/null)
dirs=("$2")
[ -d "$2/multilingual" ] && dirs+=("$2/multilingual")
node "$here/check_corpus.mjs" "$1" "${dirs[@]}"
