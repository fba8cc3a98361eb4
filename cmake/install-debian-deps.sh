#!/usr/bin/env bash
# Installs every Debian 12 package flashtok needs to build, test and plot.
# Runs as root (or through sudo); does nothing when everything is there.
set -euo pipefail
packages=(
  g++ cmake ninja-build pkg-config
  libre2-dev libcli11-dev libfmt-dev nlohmann-json3-dev libssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-jsonschema
  python3-dev python3-pybind11 python3-pytest python3-numpy python3-venv python3-wheel
  libplplot-dev plplot-driver-cairo fonts-dejavu-core
  valgrind  # bench --metric instructions (callgrind and <valgrind/callgrind.h>)
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
echo "installing: ${missing[*]}" >&2
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
