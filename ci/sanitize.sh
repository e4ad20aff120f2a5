#!/usr/bin/env bash
# Builds faultdrill with AddressSanitizer and UndefinedBehaviorSanitizer into
# ${BUILD_DIR:-build-asan} and runs the whole test suite there, e2e included.
# Any sanitizer report fails the test that triggered it (UBSan does not
# recover; ASan aborts). Takes about three times as long as ci/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
export BUILD_DIR=${BUILD_DIR:-build-asan}
ci/install-deps.sh
ci/build.sh -DFAULTDRILL_SANITIZE=ON -DFAULTDRILL_BENCH=OFF "$@"
# Leak checking is off: gRPC keeps process-lifetime singletons that LeakSanitizer
# reports at exit. Everything else is on, and halts at the first report.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
cd "$BUILD_DIR"
ctest --output-on-failure --timeout 900 -j "${JOBS:-$(nproc)}"
