#!/usr/bin/env bash
# The README's test command (after install): provision the native backend where the machine can
# build it and Chromium for the browser test, then typecheck, build and run every test on every
# backend. In CI (CI=true) both are required; elsewhere a missing one is said and left out.
set -uo pipefail
cd "$(dirname "$0")/../.."

if bash packages/runtime-node/scripts/install-native.sh --project packages/runtime-node; then
  export SM_TEST_TENSORFLOW=1
elif [ "${CI:-}" = true ]; then
  echo "ci: FAILED to provision the native backend (@tensorflow/tfjs-node on libtensorflow): see the install-native error above; the tests do not run without it" >&2
  exit 1
else
  echo "test: the native backend could not be built here (it needs python3 with pip, or a wheel, and g++; see docs/guide/native.md): testing on cpu and wasm only" >&2
  export SM_TEST_TENSORFLOW=0
fi

# The browser end-to-end test needs Debian's chromium (apt-get, as root).
if bash tools/ci/install-chromium.sh; then
  export SM_TEST_E2E=1
elif [ "${CI:-}" = true ]; then
  echo "ci: FAILED to install chromium for the browser end-to-end test: see the error above" >&2
  exit 1
else
  echo "test: chromium is not installed and could not be (it needs apt-get as root): the browser end-to-end test is left out" >&2
  export SM_TEST_E2E=0
fi

# The sweep tests (packages/cli/src/sweep.test.ts) start their own redis-server: Debian's (apt-get, as root).
if bash tools/ci/install-redis.sh; then
  export SM_TEST_REDIS=1
elif [ "${CI:-}" = true ]; then
  echo "ci: FAILED to install redis-server for the sweep tests: see the error above" >&2
  exit 1
else
  echo "test: redis-server is not installed and could not be (it needs apt-get as root): the sweep tests are skipped" >&2
  export SM_TEST_REDIS=0
fi

# The differential test against PyTorch (packages/bench) needs torch==2.13.0, the CPU build (a venv
# under ~/.cache/slot-machines/torch-venv; plain `pip install torch` would pull a CUDA build).
if bash tools/ci/install-torch.sh; then
  :
elif [ "${CI:-}" = true ]; then
  echo "ci: FAILED to install torch==2.13.0 for the differential test against PyTorch: see the error above" >&2
  exit 1
else
  echo "test: torch==2.13.0 could not be installed: the differential test against PyTorch (packages/bench) is skipped" >&2
fi

exec npx --yes pnpm@10.34.8 run test:ci
