#!/usr/bin/env bash
# Installs Debian's redis-server (for the sweep tests: packages/cli/src/sweep.test.ts starts its own
# server on 127.0.0.1 with a temporary directory) when it is missing. Idempotent and quiet when there
# is nothing to do; on failure prints apt-get's last lines and exits non-zero. Only the binary is
# wanted: a server apt-get may have started is left alone (the tests never use port 6379).
set -euo pipefail

if command -v redis-server >/dev/null 2>&1; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-redis: redis-server is missing and apt-get is not available: install Redis 6.2 or newer by hand" >&2
  exit 1
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "install-redis: redis-server is missing and installing it needs root (no sudo here)" >&2
    exit 1
  fi
  SUDO=(sudo)
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
echo "install-redis: installing Debian's redis-server package (apt-get)..."
if ! { "${SUDO[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq redis-server; } >"$log" 2>&1; then
  echo "install-redis: apt-get failed; its last lines:" >&2
  tail -n 40 "$log" >&2
  exit 1
fi
if ! command -v redis-server >/dev/null 2>&1; then
  echo "install-redis: apt-get reported success but redis-server is still missing" >&2
  exit 1
fi
echo "install-redis: installed $(redis-server --version | cut -d' ' -f1-3)"
