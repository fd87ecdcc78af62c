#!/usr/bin/env bash
# Installs Debian's chromium (for the browser e2e test and benchmark) when /usr/bin/chromium is
# missing. Idempotent and quiet when there is nothing to do; on failure prints apt-get's last lines
# and exits non-zero. playwright-core drives this browser; it never downloads one of its own.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: $CHROMIUM is missing and apt-get is not available: install Chromium by hand (or set SM_CHROMIUM to one)" >&2
  exit 1
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "install-chromium: $CHROMIUM is missing and installing it needs root (no sudo here)" >&2
    exit 1
  fi
  SUDO=(sudo)
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
echo "install-chromium: installing Debian's chromium package (apt-get)..."
if ! { "${SUDO[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq chromium; } >"$log" 2>&1; then
  echo "install-chromium: apt-get failed; its last lines:" >&2
  tail -n 40 "$log" >&2
  exit 1
fi
if [ ! -x "$CHROMIUM" ]; then
  echo "install-chromium: apt-get reported success but $CHROMIUM is still missing" >&2
  exit 1
fi
echo "install-chromium: installed $(dpkg-query -W -f='chromium ${Version}' chromium 2>/dev/null || echo chromium)"
