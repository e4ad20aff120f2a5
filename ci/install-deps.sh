#!/usr/bin/env bash
# Installs everything faultdrill needs to build, test and run, from Debian 12's
# packages only. Idempotent; needs root (or sudo).
#   ci/install-deps.sh          what the build and the test suite need
#   ci/install-deps.sh fuzz     and clang with libFuzzer, for ci/fuzz.sh
#   ci/install-deps.sh --check [fuzz]
#                               installs nothing: exits 0 when all of them are
#                               present, 1 (naming the missing) otherwise
set -euo pipefail

check_only=false
if [ "${1:-}" = --check ]; then
  check_only=true
  shift
fi

packages=(
  build-essential cmake ninja-build pkg-config ccache git
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libboost-dev libboost-filesystem-dev
  libyaml-cpp-dev nlohmann-json3-dev libcli11-dev libfmt-dev libssl-dev libabsl-dev
  prometheus-cpp-dev
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  faketime libfaketime iproute2 procps
  chromium libxml2-utils python3 python3-yaml python3-jsonschema
)
if [ "${1:-}" = fuzz ]; then
  # clang 14 and its runtime (libFuzzer, ASan, UBSan); llvm-14 for llvm-symbolizer.
  packages+=(clang-14 libclang-rt-14-dev llvm-14)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi
if $check_only; then
  echo "install-deps: missing ${missing[*]}"
  exit 1
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
