#!/usr/bin/env bash
# flashtok as a product: builds and installs the library alone (static, then
# shared) under BUILD_ROOT and uses it the three ways a project can, each
# with tests/consumers/main.cc (encodes "hello world" with o200k_base through
# one cache and checks it against the library's own full encode and decode):
#   1. find_package(flashtok CONFIG) from the install prefix, with g++ and
#      with clang++, against the static and against the shared library;
#   2. add_subdirectory of the source tree, which must build the library
#      alone (no CLI, tests, benchmarks, nor their packages) and must leave
#      the parent's CMAKE_BUILD_TYPE alone;
#   3. pkg-config (--static for the static library), from C++ and, with
#      tests/consumers/main.c, from C through flashtok_c.h.
# Then checks what the shared library exports: its SONAME, and that its
# dynamic symbols are flashtok's public API only (listed).
# Usage: tests/consumers/run_consumers.sh BUILD_ROOT
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here=$root/tests/consumers
[ $# -eq 1 ] || { echo "usage: $0 BUILD_ROOT" >&2; exit 2; }
mkdir -p "$1"
out=$(cd "$1" && pwd)
jobs=$(nproc)
start=$(date +%s)
step() { echo "== $* ($(( $(date +%s) - start )) s)"; }
fail() { echo "consumers: FAILED: $*" >&2; exit 1; }

# The second compiler, and the OpenMP runtime clang++ links the static
# library's OpenMP code with.
if ! command -v clang++ >/dev/null || ! dpkg-query -W -f='${Status}' libomp-dev 2>/dev/null | grep -q "ok installed"; then
  sudo_cmd=(); [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clang libomp-dev
fi

library_only=(-DFLASHTOK_BUILD_CLI=OFF -DFLASHTOK_BUILD_TESTS=OFF -DFLASHTOK_BUILD_BENCHMARKS=OFF)
for kind in static shared; do
  step "build and install the $kind library (Release, library only)"
  shared=OFF; [ "$kind" = shared ] && shared=ON
  cmake -S "$root" -B "$out/$kind" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=$shared \
    "${library_only[@]}" >/dev/null
  cmake --build "$out/$kind" --parallel "$jobs" >/dev/null
  rm -rf "$out/prefix-$kind"
  cmake --install "$out/$kind" --prefix "$out/prefix-$kind" >/dev/null
done

step "installed files"
(cd "$out/prefix-static" && find . -type f -o -type l | sort | sed 's/^\.\//  /')
include=$out/prefix-static/include
for internal in rank_table.h pretokenizer.h tokenized_text.h huge_page_allocator.h io.h utf8.h; do
  [ ! -e "$include/flashtok/$internal" ] || fail "internal header flashtok/$internal is installed"
done
gcc -std=c99 -Wall -Wextra -Wpedantic -Werror -fsyntax-only -x c -I "$include" "$include/flashtok/flashtok_c.h" ||
  fail "flashtok/flashtok_c.h does not compile as C"
for header in "$include"/flashtok/*.h; do  # each installed header compiles on its own
  echo "#include \"flashtok/$(basename "$header")\"" | g++ -std=c++17 -fsyntax-only -x c++ -I "$include" - ||
    fail "flashtok/$(basename "$header") does not compile alone"
done

run_consumer() {  # NAME BINARY LINKAGE(static|shared)
  local linked
  linked=$(ldd "$2" | grep -c libflashtok || true)
  if [ "$3" = shared ]; then [ "$linked" -eq 1 ] || fail "$1 does not load libflashtok.so"
  else [ "$linked" -eq 0 ] || fail "$1 loads libflashtok.so, expected the static library"; fi
  printf '  %-28s ' "$1:"
  "$2" || fail "$1"
}

for kind in static shared; do
  for cxx in g++ clang++; do
    name=find_package-$kind-$cxx
    step "find_package(flashtok CONFIG), $kind library, $cxx"
    cmake -S "$here/find_package" -B "$out/$name" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_PREFIX_PATH="$out/prefix-$kind" >/dev/null
    cmake --build "$out/$name" >/dev/null
    run_consumer "$name" "$out/$name/consumer" "$kind"
  done
done

step "add_subdirectory(flashtok), no build type given"
cmake -S "$here/add_subdirectory" -B "$out/add_subdirectory" -G Ninja -DFLASHTOK_SOURCE_DIR="$root" >/dev/null
grep -q '^CMAKE_BUILD_TYPE:STRING=$' "$out/add_subdirectory/CMakeCache.txt" ||
  fail "flashtok as a subproject wrote CMAKE_BUILD_TYPE into the parent's cache"
cmake --build "$out/add_subdirectory" --parallel "$jobs" >/dev/null
run_consumer add_subdirectory "$out/add_subdirectory/consumer" static

step "pkg-config"
pc() {  # KIND ARGS...: pkg-config on the KIND install
  PKG_CONFIG_PATH=$(dirname "$(find "$out/prefix-$1" -name flashtok.pc)") pkg-config "${@:2}" flashtok
}
# shellcheck disable=SC2046  # the flags are meant to split
g++ -std=c++17 -O2 "$here/main.cc" -o "$out/pkg-config-static" $(pc static --cflags) $(pc static --static --libs)
run_consumer "pkg-config --static, g++" "$out/pkg-config-static" static
shared_libdir=$(pc shared --variable=libdir)
# shellcheck disable=SC2046
clang++ -std=c++17 -O2 "$here/main.cc" -o "$out/pkg-config-shared" $(pc shared --cflags) $(pc shared --libs) \
  -Wl,-rpath,"$shared_libdir"
run_consumer "pkg-config, clang++" "$out/pkg-config-shared" shared

step "a C program (main.c, flashtok_c.h), through pkg-config"
# shellcheck disable=SC2046
gcc -std=c99 -Wall -Wextra -Werror "$here/main.c" -o "$out/c-static" $(pc static --cflags) $(pc static --static --libs)
run_consumer "C, pkg-config --static, gcc" "$out/c-static" static
# shellcheck disable=SC2046
clang -std=c99 -Wall -Wextra -Werror "$here/main.c" -o "$out/c-shared" $(pc shared --cflags) $(pc shared --libs) \
  -Wl,-rpath,"$shared_libdir"
run_consumer "C, pkg-config, clang" "$out/c-shared" shared

step "what the shared library exports"
so=$(readlink -f "$shared_libdir/libflashtok.so")
soname=$(readelf -d "$so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = libflashtok.so.0 ] || fail "SONAME is '$soname', expected libflashtok.so.0"
echo "  $(basename "$so"), SONAME $soname"
symbols=$(nm -D --defined-only -C "$so" | cut -d' ' -f3- | sort)
echo "$symbols" | sed 's/^/  /'
echo "  $(echo "$symbols" | wc -l) symbols"
internal=$(echo "$symbols" | grep 'flashtok::internal' || true)
[ -z "$internal" ] || fail "internal symbols are exported: $internal"
# A type a public header only declares, inside a class (defined in the
# library's sources), is private: none of its members may be exported.
headers=("$root"/lib/include/flashtok/*.h)
declared=$(grep -hoE '^\s+(struct|class) (FLASHTOK_NO_EXPORT )?[A-Za-z_]+;' "${headers[@]}" | grep -oE '[A-Za-z_]+;$' | tr -d ';' | sort -u)
for type in $declared; do
  grep -qE "(struct|class) [A-Z_ ]*[A-Za-z_:]*::$type\b[^;]*\{" "${headers[@]}" && continue  # defined in public
  leaked=$(echo "$symbols" | grep -F "::$type::" || true)
  [ -z "$leaked" ] || fail "members of the private type $type are exported: $leaked"
done
# C symbols: exactly the functions flashtok_c.h declares (the embedded data
# shares their prefix and must stay hidden).
c_api=$(grep -oE '\bflashtok_[a-z0-9_]+\(' "$root/lib/include/flashtok/flashtok_c.h" | tr -d '(' | sort -u)
c_exported=$(nm -D --defined-only "$so" | cut -d' ' -f3- | grep '^flashtok_' | sort || true)
[ "$c_exported" = "$c_api" ] || fail "the exported C symbols are not flashtok_c.h's functions: $(comm -3 <(echo "$c_exported") <(echo "$c_api") | tr -s ' \t\n' ' ')"
foreign=$(echo "$symbols" | grep -v -E '^(flashtok::|typeinfo for flashtok::|typeinfo name for flashtok::|vtable for flashtok::)' | grep -v -x -F "$c_api" || true)
[ -z "$foreign" ] || fail "symbols outside flashtok's API are exported: $foreign"

step "all consumers passed"
