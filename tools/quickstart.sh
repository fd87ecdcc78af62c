#!/usr/bin/env bash
# The README's first command (`pnpm run quickstart`): build the packages, build the native backend
# where this machine can (tfjs-node on libtensorflow from PyPI's tensorflow-cpu wheel, about 20 s
# once, see docs/guide/native.md) or say in one line how to get it, then train Lenet-300-100 (GS,
# K=8) on the bundled MNIST for 3 epochs. Without the native backend it trains on wasm, about 3x
# slower; that is a normal outcome, not an error. SM_QUICKSTART_NATIVE=0 skips the native step.
set -uo pipefail
cd "$(dirname "$0")/.."

PATH="$PWD/node_modules/.bin:$PATH" nx run-many -t build --outputStyle=static || exit 1

# runtime-node resolves @tensorflow/tfjs-node (its dev dependency here) from its own folder
script=packages/runtime-node/scripts/install-native.sh
tfjs_node=$(cd packages/runtime-node && node -p 'require("path").dirname(require.resolve("@tensorflow/tfjs-node/package.json"))' 2>/dev/null)
cxx=${CXX:-g++}
cache="${XDG_CACHE_HOME:-$HOME/.cache}/slot-machines/native"
say() { printf 'quickstart: %s\n' "$*" >&2; }

if [ "${SM_QUICKSTART_NATIVE:-1}" = 0 ] || [ -z "$tfjs_node" ] || compgen -G "$tfjs_node/lib/napi-v*/tfjs_binding.node" >/dev/null; then
  : # asked not to, tfjs-node absent (initRuntime says so), or the native part is already there
elif [ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]; then
  say "training on wasm (SIMD); the native backend is built here on Linux x86_64 only, elsewhere see docs/guide/native.md"
elif ! command -v "$cxx" >/dev/null; then
  say "training on wasm (SIMD); for the about 3x faster native backend install a C++ compiler (apt-get install g++) and run the quickstart again"
elif ! python3 -m pip --version >/dev/null 2>&1 && ! compgen -G "$cache/tensorflow-cpu-*/.complete" >/dev/null && ! compgen -G "$cache/wheels/*.whl" >/dev/null; then
  say "training on wasm (SIMD); for the about 3x faster native backend install python3 with pip (apt-get install python3-pip) and run the quickstart again"
else
  log=$(mktemp /tmp/slot-machines-native.XXXXXX.log)
  say "building the native backend once (libtensorflow from the tensorflow-cpu wheel, about 20 s; pip downloads 230 MB the first time)"
  started=$(date +%s)
  if bash "$script" --project packages/runtime-node >"$log" 2>&1; then
    say "native backend built in $(( $(date +%s) - started ))s"
    rm -f "$log"
  else
    why=$(grep -m1 'install-native: error:' "$log" | sed -e 's/^install-native: error: //' -e 's/ (full log: [^)]*)//' -e 's/[.] .*//' | cut -c1-120)
    say "training on wasm (SIMD); the native backend did not build here: ${why:-see the log}; details in $log and docs/guide/native.md"
  fi
fi

exec node packages/cli/bin/slot-machines.js train --epochs 3 --out runs/quickstart-lenet-gs-k8
