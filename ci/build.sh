#!/usr/bin/env bash
# Configures and builds faultdrill into ${BUILD_DIR:-build}.
# Extra CMake arguments pass through, e.g. ci/build.sh -DFAULTDRILL_SANITIZE=ON.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo} "$@"
cmake --build "$build_dir" -j "${JOBS:-$(nproc)}"
