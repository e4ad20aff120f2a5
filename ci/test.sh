#!/usr/bin/env bash
# Installs the dependencies, builds faultdrill and runs the whole test suite
# (CTest over GoogleTest). This is what .ci/run runs.
set -euo pipefail
cd "$(dirname "$0")/.."
ci/install-deps.sh
ci/build.sh "$@"
cd "${BUILD_DIR:-build}"
ctest --output-on-failure --timeout 300 -j "${JOBS:-$(nproc)}"
