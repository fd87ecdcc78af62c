#!/usr/bin/env bash
# Installs Debian's redis-server (for the sweep tests: packages/cli/src/sweep.test.ts starts its own
# server on 127.0.0.1 with a temporary directory) when it is missing. Idempotent and quiet when there
# is nothing to do; on failure prints apt-get's last lines and exits non-zero. Only the binary is
# wanted: a server apt-get may have started is left alone (the tests never use port 6379).
set -euo pipefail
exec bash "$(dirname "$0")/apt-install.sh" install-redis redis-server redis-server
