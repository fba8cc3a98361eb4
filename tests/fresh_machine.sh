#!/usr/bin/env bash
# The README's two commands on a fresh Debian 12 machine, for real: a minimal
# Debian 12 (debootstrap --variant=minbase: no compiler, no Python, no git) is
# made in DIR, a clean clone of this repository's HEAD goes into it, and
# ./run_benchmark.sh then tests/run_tests.sh run inside it (chroot) with an
# empty environment. CI runs on a machine that already has most packages, so
# an install step missing from cmake/install-debian-deps.sh or from the
# corpus builder would pass there and fail here.
#
# Needs root, debootstrap (installed if missing), Debian's mirror and the npm
# registry (tiktoken's ids). About 15 minutes on 2 cores. Not part of .ci/run.
# Usage: tests/fresh_machine.sh [DIR]   (default /var/tmp/flashtok-fresh; made anew, and only
# if it is new, empty or made by this script before)
# Exit code: 2 for a DIR it will not use, else that of the first command that fails, 0 if both pass.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$(realpath -m "${1:-/var/tmp/flashtok-fresh}")
[ "$dir" != / ] || { echo "fresh_machine: not into /" >&2; exit 2; }
mounts=(proc sys dev dev/pts)

unmount_all() {
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
    if mountpoint -q "$dir/${mounts[i]}"; then umount "$dir/${mounts[i]}"; fi
  done
}

# Never delete through a mount: /dev bound into the old tree would go with it.
if findmnt -rn -o TARGET | grep -q "^$dir/"; then
  echo "fresh_machine: something is still mounted under $dir; unmount it first" >&2
  exit 2
fi
# Only a tree this script made (its marker inside) or an empty one is replaced:
# a mistyped DIR such as /home is refused, not deleted.
marker=.flashtok-fresh-machine
if [ -e "$dir" ] && [ ! -e "$dir/$marker" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
  echo "fresh_machine: $dir exists and was not made by this script; give a new or empty DIR" >&2
  exit 2
fi
command -v debootstrap > /dev/null || apt-get install -y debootstrap
rm -rf "$dir"
mkdir -p "$dir"
touch "$dir/$marker"
debootstrap --variant=minbase bookworm "$dir" http://deb.debian.org/debian
# The sources Debian 12's installer writes (debootstrap's list has only
# bookworm): point releases and security updates come from the other two.
rm -f "$dir/etc/apt/sources.list"
cat > "$dir/etc/apt/sources.list.d/debian.sources" <<'SOURCES'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
git clone -q "$root" "$dir/root/flashtok"

trap unmount_all EXIT
for m in "${mounts[@]}"; do mount --bind "/$m" "$dir/$m"; done
cp /etc/resolv.conf "$dir/etc/resolv.conf"
run() {
  echo "== fresh_machine: $*"
  chroot "$dir" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    /bin/bash -c "cd /root/flashtok && $*"
}
run ./run_benchmark.sh
run tests/run_tests.sh
echo "== fresh_machine: both README commands passed on a fresh Debian 12 ($(git -C "$root" rev-parse --short HEAD))"
