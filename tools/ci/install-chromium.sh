#!/usr/bin/env bash
# Installs Debian's chromium (for the browser e2e test and benchmark) when /usr/bin/chromium is
# missing. Idempotent and quiet when there is nothing to do; on failure prints apt-get's last lines
# and exits non-zero. playwright-core drives this browser; it never downloads one of its own.
set -euo pipefail
exec bash "$(dirname "$0")/apt-install.sh" install-chromium chromium /usr/bin/chromium
