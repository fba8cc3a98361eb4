#!/usr/bin/env bash
# Regenerates everything the oracle provides: the Unicode class tables, the
# golden texts and tiktoken's ids for them. Needs Node.js and npm.
set -euo pipefail
cd "$(dirname "$0")"
[ -d node_modules/tiktoken ] || npm install --no-audit --no-fund
node extract_unicode.mjs
node make_texts.mjs
node golden.mjs
