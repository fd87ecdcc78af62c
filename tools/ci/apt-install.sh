#!/usr/bin/env bash
# apt-install.sh TOOL PACKAGE PROGRAM: installs Debian's PACKAGE (apt-get, as root or through sudo)
# unless PROGRAM (a command name or an absolute path) is there already. Idempotent and quiet when
# there is nothing to do; on failure prints apt-get's last lines, prefixed by TOOL, and exits non-zero.
# Used by install-chromium.sh and install-redis.sh.
set -euo pipefail
tool=$1 package=$2 program=$3

present() { if [[ $program == /* ]]; then [ -x "$program" ]; else command -v "$program" >/dev/null 2>&1; fi; }

if present; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "$tool: $program is missing and apt-get is not available: install Debian's $package (or its equivalent) by hand" >&2
  exit 1
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "$tool: $program is missing and installing it needs root (no sudo here)" >&2
    exit 1
  fi
  SUDO=(sudo)
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
echo "$tool: installing Debian's $package package (apt-get)..."
if ! { "${SUDO[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq "$package"; } >"$log" 2>&1; then
  echo "$tool: apt-get failed; its last lines:" >&2
  tail -n 40 "$log" >&2
  exit 1
fi
if ! present; then
  echo "$tool: apt-get reported success but $program is still missing" >&2
  exit 1
fi
echo "$tool: installed $(dpkg-query -W -f="$package \${Version}" "$package" 2>/dev/null || echo "$package")"
