#!/usr/bin/env bash
# Side by side: start the reference server on a free loopback port, then drive
# it with load_bench at increasing open-loop rates (or closed-loop
# concurrencies) against classifier, batch 1, a few seconds per step.
#
#   bench/max_rate.sh [BUILD_DIR] [-- load_bench options...]
#   e.g. bench/max_rate.sh build -- --mode closed --steps 1,2,4,8,16,32
#
# Prints achieved ok rate, errors, corrected and service p99, and the client's
# CPU seconds per 1,000 requests for every step.
set -euo pipefail

build=${1:-build}
shift || true
[[ ${1:-} == "--" ]] && shift
server="$build/faultdrill-model-server"
bench="$build/bench/load_bench"
for f in "$server" "$bench"; do
  [[ -x $f ]] || { echo "missing $f (build faultdrill-model-server and load_bench)" >&2; exit 2; }
done

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [[ -n $server_pid ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

"$server" generate-weights --out "$work/models" --seed 42 >/dev/null
"$server" --host 127.0.0.1 --port 0 --port-file "$work/port" --models "$work/models" \
  --queue-size 4096 >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 500); do
  [[ -s $work/port ]] && break
  sleep 0.02
done
[[ -s $work/port ]] || { echo "server did not start:" >&2; cat "$work/server.log" >&2; exit 3; }
endpoint="127.0.0.1:$(cat "$work/port")"

echo "# $(nproc) cores; server pid $server_pid at $endpoint; client: $bench $*"
args=(--endpoint "$endpoint" --model classifier --batch 1 --seconds 3)
if [[ $# -eq 0 ]]; then args+=(--mode open --steps 500,1000,2000,4000,8000); fi
"$bench" "${args[@]}" "$@"
