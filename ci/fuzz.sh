#!/usr/bin/env bash
# Builds the libFuzzer harnesses of tests/fuzz/ with clang 14, AddressSanitizer
# and UndefinedBehaviorSanitizer into ${BUILD_DIR:-build-fuzz}, and runs each
# for ${FUZZ_SECONDS:-20} seconds on its seed corpus (CTest label "fuzz").
# ci/test.sh runs it after the main suite where clang 14 with libFuzzer is
# already installed (it never installs it); run on its own, it installs clang
# first (apt-get runs only for what is missing). A failure leaves the input
# that found it in ${BUILD_DIR}/tests/fuzz/ (crash-*, leak-*, timeout-*,
# oom-*); reproduce with
#   ${BUILD_DIR}/tests/fuzz/<harness> ${BUILD_DIR}/tests/fuzz/crash-...
set -euo pipefail
cd "$(dirname "$0")/.."
ci/install-deps.sh fuzz
build_dir=${BUILD_DIR:-build-fuzz}
CXX=${CXX:-clang++-14} cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DFAULTDRILL_FUZZ=ON -DFAULTDRILL_SANITIZE=ON -DFAULTDRILL_BENCH=OFF \
  -DFAULTDRILL_FUZZ_SECONDS="${FUZZ_SECONDS:-20}" "$@"
cmake --build "$build_dir" -j "${JOBS:-$(nproc)}" \
  --target scenario_fuzz result_json_fuzz masters_fuzz prometheus_text_fuzz journal_fuzz
cd "$build_dir"
# One at a time: each harness uses a core fully for its whole run.
ASAN_SYMBOLIZER_PATH=${ASAN_SYMBOLIZER_PATH:-/usr/bin/llvm-symbolizer-14} \
  ctest -L fuzz --output-on-failure -j 1
