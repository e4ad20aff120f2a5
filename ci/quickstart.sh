#!/usr/bin/env bash
# Installs the dependencies, builds faultdrill and runs the quickstart drill
# against the embedded reference server. Reports land in out/quickstart/.
set -euo pipefail
cd "$(dirname "$0")/.."
ci/install-deps.sh
ci/build.sh
exec build/faultdrill run scenarios/quickstart.yaml "$@"
