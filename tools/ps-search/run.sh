#!/usr/bin/env bash
# The PS recipe search of docs/results/ps-findings.md: trains the runs listed in
# tools/ps-search/runs.txt ("name flags..." per line, # for comments) one at a time, in order,
# into runs/ps-search/<name> on the native backend. A finished run (summary.json) is skipped, an
# unfinished one resumed; the file is reread after every run, so lines may be added meanwhile.
# Then `node tools/ps-search/table.mjs` writes the table of docs/results/ps-findings.md.
# Usage: nice -n 0 bash tools/ps-search/run.sh   (SM_FROM_SOURCE=1: run the CLI from src/ via tsx, no build)
set -uo pipefail
cd "$(dirname "$0")/../.."
list=tools/ps-search/runs.txt
if [ "${SM_FROM_SOURCE:-0}" = 1 ]; then
  cli=(node --conditions=source --import tsx tools/ps-search/cli-from-source.mjs)
else
  cli=(node packages/cli/bin/slot-machines.js)
fi
mkdir -p runs/ps-search
while true; do
  next=""
  while read -r name flags; do
    case "$name" in '' | '#'*) continue ;; esac
    [ -f "runs/ps-search/$name/summary.json" ] && continue
    [ -f "runs/ps-search/$name/failed" ] && continue
    next=$name
    nextflags=$flags
    break
  done <"$list"
  [ -z "$next" ] && { echo "nothing left in $list ($(date -u +%H:%M))"; exit 0; }
  if [ -f "runs/ps-search/$next/last.safetensors" ]; then args=(train --resume --out "runs/ps-search/$next"); else
    # shellcheck disable=SC2206 # the flags of runs.txt are words
    args=(train $nextflags --out "runs/ps-search/$next")
  fi
  echo "start $next ($(date -u +%H:%M)): ${args[*]}"
  mkdir -p "runs/ps-search/$next"
  "${cli[@]}" "${args[@]}" --backend tensorflow >"runs/ps-search/$next.log" 2>&1 || { echo "failed: $next (see runs/ps-search/$next.log)"; touch "runs/ps-search/$next/failed"; }
  echo "end $next ($(date -u +%H:%M))"
done
