#!/usr/bin/env bash
# The README's install command for the Python package, in a fresh venv, then
# the pytest suite against the installed package (not the build tree).
# Usage: tests/python/install_test.sh [WORK_DIR]   (default: build/python-install)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=${1:-$root/build/python-install}
rm -rf "$work"
mkdir -p "$work"
work=$(cd "$work" && pwd)

# The README's commands, as written there.
cd "$root"
/usr/bin/python3 -m venv --system-site-packages "$work/venv"
"$work/venv/bin/pip" install --no-build-isolation --no-index .

# From outside the checkout, so that only the installed package can be imported.
cd "$work"
installed=$("$work/venv/bin/python" -c "import flashtok; print(flashtok.__file__)")
case "$installed" in
  "$work/venv/"*) echo "flashtok imported from $installed" ;;
  *) echo "install_test: flashtok imported from $installed, not the venv" >&2; exit 1 ;;
esac
FLASHTOK_TEST_DATA_DIR="$root/tests" "$work/venv/bin/python" -m pytest -q -p no:cacheprovider "$root/tests/python"
