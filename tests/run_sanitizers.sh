#!/usr/bin/env bash
# The test suite under AddressSanitizer + UndefinedBehaviorSanitizer, and the
# thread-safe types' concurrency tests under ThreadSanitizer (OpenMP off:
# libgomp is not TSan-instrumented and reports false races).
# Usage: tests/run_sanitizers.sh [BUILD_ROOT]   (default build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
builds=${1:-$root/build}
jobs=$(nproc)

cmake -S "$root" -B "$builds/asan" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DFLASHTOK_SANITIZE=address,undefined -DFLASHTOK_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build "$builds/asan" --parallel "$jobs" --target flashtok_tests flashtok_cli flashtok_c_api_test \
  flashtok_allocation_fallback_test
# print_suppressions=0: LeakSanitizer would otherwise append its suppression
# statistics to stderr, and the CLI tests check that stderr holds exactly one line.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  LSAN_OPTIONS=suppressions=$root/tests/sanitizers/lsan.supp:print_suppressions=0 \
  ctest --test-dir "$builds/asan" --output-on-failure --parallel "$jobs"

cmake -S "$root" -B "$builds/tsan" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DFLASHTOK_SANITIZE=thread -DFLASHTOK_USE_OPENMP=OFF -DFLASHTOK_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build "$builds/tsan" --parallel "$jobs" --target flashtok_concurrency_tests
# The concurrency binary holds only the test files with such tests: it must
# list exactly the tests the whole suite (the ASan build's above) selects.
filter='*Concurrent*:*Batch*'
diff <(ASAN_OPTIONS=detect_leaks=0 "$builds/asan/tests/flashtok_tests" --gtest_list_tests --gtest_filter="$filter") \
     <(TSAN_OPTIONS=report_bugs=0 "$builds/tsan/tests/flashtok_concurrency_tests" --gtest_list_tests --gtest_filter="$filter") ||
  { echo "run_sanitizers: flashtok_concurrency_tests lacks tests of the filter (see tests/CMakeLists.txt)" >&2; exit 1; }
TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
  "$builds/tsan/tests/flashtok_concurrency_tests" --gtest_filter="$filter"
