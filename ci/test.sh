#!/usr/bin/env bash
# Installs the dependencies, builds faultdrill and runs the whole test suite
# (CTest over GoogleTest). This is what .ci/run runs.
# Then, where clang 14 with libFuzzer is already installed, runs ci/fuzz.sh:
# each libFuzzer harness for 20 s, in its own sanitized clang build
# (${FUZZ_BUILD_DIR:-build-fuzz}). It never installs clang: CI machines have
# none, and installing it plus a second build does not fit CI's time budget.
set -euo pipefail
cd "$(dirname "$0")/.."
ci/install-deps.sh
ci/build.sh "$@"
(cd "${BUILD_DIR:-build}" && ctest --output-on-failure --timeout 300 -j "${JOBS:-$(nproc)}")

if ci/install-deps.sh --check fuzz > /dev/null; then
  BUILD_DIR=${FUZZ_BUILD_DIR:-build-fuzz} ci/fuzz.sh
else
  echo "test.sh: fuzzing skipped (clang 14 with libFuzzer is not installed); to run it: ci/install-deps.sh fuzz && ci/fuzz.sh"
fi
