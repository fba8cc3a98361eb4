#!/usr/bin/env bash
# Builds the real-text benchmark corpus in OUT_DIR: installs the Debian 12 packages named in
# packages.txt (when missing; --no-install-recommends; as root or through sudo, like
# cmake/install-debian-deps.sh), then runs build_corpus.py. See README.md beside this file.
#   workloads/corpus/build_corpus.sh OUT_DIR [build_corpus.py options]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 1 ] || { echo "usage: $0 OUT_DIR [build_corpus.py options]" >&2; exit 2; }
mapfile -t packages < <(sed 's/#.*//; s/[[:space:]]//g; /^$/d' "$here/packages.txt")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q '^ii' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  echo "installing: ${missing[*]}" >&2
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
exec python3 "$here/build_corpus.py" "$@"
