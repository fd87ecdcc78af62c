#!/usr/bin/env bash
# The README's test command (after install): provision the native backend where the machine can
# build it, then typecheck, build and run every test on every backend. In CI (CI=true) the native
# backend is required; elsewhere its absence is said and the cpu and wasm projects still run.
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

exec npx --yes pnpm@10.34.8 run test:ci
