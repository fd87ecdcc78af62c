#!/usr/bin/env bash
# The paper's Figure 3 sweep for Lenet-300-100 on MNIST (docs/results/figure3-lenet.yaml) on this
# machine with two workers: starts redis-server on 127.0.0.1 (a free port, a temp directory, every
# setting on its command line), plans the grid into runs/figure3-lenet, enqueues it, runs two workers
# until no run is left, prints the status, writes docs/results/figure3-lenet.md and
# docs/results/figure3-lenet-accuracy.svg, and stops redis by its pid. Rerun it after an
# interruption: finished runs are kept, unfinished ones resume from their last checkpoint.
# Needs a build (pnpm build) and redis-server (bash tools/ci/install-redis.sh).
# Usage: bash tools/sweeps/figure3-lenet.sh   (SM_SWEEP_BACKEND=wasm|tensorflow|cpu, default auto)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=runs/figure3-lenet
cli=(node packages/cli/bin/slot-machines.js)
backend=${SM_SWEEP_BACKEND:-auto}

port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
redis_dir=$(mktemp -d /tmp/sm-sweep-redis.XXXXXX)
redis-server --port "$port" --bind 127.0.0.1 --dir "$redis_dir" --save '' --appendonly yes --appendfsync always \
  --maxmemory-policy noeviction --daemonize no --logfile "$redis_dir/redis.log" &
redis_pid=$!
workers=()
cleanup() {
  for w in "${workers[@]}"; do kill "$w" 2>/dev/null || true; done
  kill "$redis_pid" 2>/dev/null && wait "$redis_pid" 2>/dev/null
  rm -rf "$redis_dir"
}
trap cleanup EXIT
url="redis://127.0.0.1:$port"
for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.2; done

"${cli[@]}" sweep plan docs/results/figure3-lenet.yaml --runs "$runs"
"${cli[@]}" sweep enqueue --runs "$runs" --redis "$url"
started=$(date +%s)
for i in 1 2; do
  "${cli[@]}" sweep worker --runs "$runs" --redis "$url" --exit-when-done --backend "$backend" 2>"$runs/worker-$i.log" &
  workers+=($!)
done
status=0
for w in "${workers[@]}"; do wait "$w" || status=1; done
workers=()
echo "figure3-lenet: workers done in $(( $(date +%s) - started )) s (logs: $runs/worker-1.log, $runs/worker-2.log)"
"${cli[@]}" sweep status --runs "$runs" --redis "$url"
[ "$status" -eq 0 ] || { echo "figure3-lenet: a worker failed: see its log" >&2; exit 1; }
"${cli[@]}" sweep report --runs "$runs" --out docs/results
