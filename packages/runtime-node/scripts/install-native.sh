#!/usr/bin/env bash
# install-native.sh: makes an installed @tensorflow/tfjs-node@4.22.0 work WITHOUT its own install
# script, which downloads libtensorflow 2.9.1 and a prebuilt addon from storage.googleapis.com.
#
# It takes libtensorflow (the C and eager C APIs) from TensorFlow's `tensorflow-cpu` Python wheel,
# from a local file (--wheel) or from the Python package index pip is configured for, stages it in
# the package's deps/ folder, and compiles the package's small N-API addon
# (lib/napi-v<N>/tfjs_binding.node) with g++ against it. Nothing else of the package is changed.
# The addon finds libtensorflow through its RUNPATH ($ORIGIN/../../deps/lib): no LD_LIBRARY_PATH.
# Then build-native-ops.sh compiles the fused slot op (a TensorFlow custom op) into deps/slot-machines-ops/.
#
# Usage, after `npm install @tensorflow/tfjs-node@4.22.0 --ignore-scripts` (pnpm 10 skips the
# script by itself):
#   bash install-native.sh [--project DIR] [--tf-version X.Y.Z] [--wheel FILE.whl] [--cache DIR]
#                          [--node-headers DIR] [--no-strip] [--no-test] [--force]
#
#   --project DIR       where @tensorflow/tfjs-node is resolved from                [.]
#   --tf-version X.Y.Z  tensorflow-cpu version to download                          [2.18.1]
#   --wheel FILE        a tensorflow-cpu (or tensorflow) wheel already on disk: no download, no pip
#   --cache DIR         downloaded wheels, unpacked libraries, built addons
#                                                  [${XDG_CACHE_HOME:-~/.cache}/slot-machines/native]
#   --node-headers DIR  a folder holding node_api.h                      [found next to node]
#   --no-strip          keep the libraries' symbol tables (+190 MB)
#   --no-test           skip loading the result in node
#   --force             accept a tfjs-node other than 4.22.0 or a machine other than Linux x86_64
#
# Needs: node; g++ >= 9 (or $CXX); python3 (or unzip) to unpack the wheel; pip only to download.
# pip honours its own configuration (pip.conf, PIP_INDEX_URL), so a private index works too.
# Verified on Linux x86_64 with tensorflow-cpu 2.12.1 to 2.21.0. See docs/guide/native.md.
set -euo pipefail

TFJS_NODE_VERSION=4.22.0 # the one tfjs-node this route is verified with (= @tensorflow/tfjs-core)
CACHE_LAYOUT=1           # bump when the unpacked file set changes

PROJECT_DIR=$PWD
TF_VERSION=2.18.1
WHEEL=""
CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/slot-machines/native"
NODE_HEADERS=""
STRIP=1
RUN_TEST=1
FORCE=0

log() { printf 'install-native: %s\n' "$*" >&2; }
die() { printf 'install-native: error: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit "${1:-0}"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --project | --tf-version | --wheel | --cache | --node-headers)
      [ $# -ge 2 ] || { log "error: $1 needs a value"; usage 2; }
      case "$1" in
        --project) PROJECT_DIR=$2 ;;
        --tf-version) TF_VERSION=$2 ;;
        --wheel) WHEEL=$2 ;;
        --cache) CACHE_DIR=$2 ;;
        --node-headers) NODE_HEADERS=$2 ;;
      esac
      shift 2 ;;
    --no-strip) STRIP=0; shift ;;
    --no-test) RUN_TEST=0; shift ;;
    --force) FORCE=1; shift ;;
    -h | --help) usage 0 ;;
    *) log "error: unknown argument '$1'"; usage 2 ;;
  esac
done
started=$(date +%s)

# ------------------------------------------------------------------------------------- checks
command -v node >/dev/null || die "node not found on PATH"
[ -d "$PROJECT_DIR" ] || die "--project $PROJECT_DIR: no such directory"
PROJECT_DIR=$(cd "$PROJECT_DIR" && pwd)
mkdir -p "$CACHE_DIR" || die "cannot create the cache directory $CACHE_DIR (pass --cache DIR)"
CACHE_DIR=$(cd "$CACHE_DIR" && pwd)
[[ "$TF_VERSION" =~ ^2\.[0-9]+\.[0-9]+$ ]] || die "--tf-version: expected a TensorFlow 2 version like 2.18.1, got '$TF_VERSION'"

if [ "$(uname -s)" != Linux ]; then
  die "only Linux is supported (this is $(uname -s)); elsewhere use tfjs-node's own install (npm install @tensorflow/tfjs-node@$TFJS_NODE_VERSION), which needs storage.googleapis.com"
fi
ARCH=$(uname -m)
case "$ARCH" in
  x86_64) PYPI_PACKAGE=tensorflow-cpu ;;
  aarch64)
    # tensorflow-cpu has no aarch64 wheels; the plain tensorflow wheel carries the same libraries.
    [ $FORCE = 1 ] || die "Linux $ARCH is not verified (only x86_64 is); --force tries the 'tensorflow' wheel"
    PYPI_PACKAGE=tensorflow ;;
  *) die "unsupported machine $ARCH (TensorFlow publishes Linux wheels for x86_64 and aarch64)" ;;
esac

# tfjs-node, resolved the way Node resolves it from the project (NODE_PATH aside: package managers'
# shims point it at their own store).
PKG_DIR=$(cd "$PROJECT_DIR" && env -u NODE_PATH node -e '
  try { console.log(require("path").dirname(require.resolve("@tensorflow/tfjs-node/package.json", { paths: [process.cwd()] }))); }
  catch { process.exit(1); }') ||
  die "@tensorflow/tfjs-node is not installed in $PROJECT_DIR (or pass --project DIR). Install it without its download step first:
    npm install @tensorflow/tfjs-node@$TFJS_NODE_VERSION --ignore-scripts
    pnpm add @tensorflow/tfjs-node@$TFJS_NODE_VERSION      (pnpm 10 skips its install script by itself)
    yarn add @tensorflow/tfjs-node@$TFJS_NODE_VERSION --ignore-scripts"
PKG_VERSION=$(node -p 'require(process.argv[1]).version' "$PKG_DIR/package.json")
if [ "$PKG_VERSION" != "$TFJS_NODE_VERSION" ] && [ $FORCE = 0 ]; then
  die "found @tensorflow/tfjs-node $PKG_VERSION at $PKG_DIR; slot machines needs $TFJS_NODE_VERSION, the version of its @tensorflow/tfjs-core (npm install @tensorflow/tfjs-node@$TFJS_NODE_VERSION --ignore-scripts), or pass --force"
fi
[ -f "$PKG_DIR/binding/tfjs_binding.cc" ] || die "$PKG_DIR has no binding/tfjs_binding.cc: not a complete @tensorflow/tfjs-node package"

# Where tfjs-node's dist/index.js looks for the addon: node-pre-gyp's find() picks the highest
# N-API version in package.json "binary.napi_versions" that this node supports (napi-v8 on Node 20).
ADDON=$(cd "$PKG_DIR" && node -p 'require("@mapbox/node-pre-gyp").find(require("path").resolve("package.json"))') ||
  die "could not ask @mapbox/node-pre-gyp (a dependency of tfjs-node) where the addon goes: is $PKG_DIR complete?"
NAPI_VERSION=$(basename "$(dirname "$ADDON")" | sed 's/^napi-v//')
[[ "$NAPI_VERSION" =~ ^[0-9]+$ ]] || die "unexpected addon path $ADDON"

CXX=${CXX:-g++}
command -v "$CXX" >/dev/null ||
  die "$CXX not found: a C++17 compiler builds tfjs-node's addon (about 90 KB, a few seconds). Install one (Debian/Ubuntu: apt-get install g++; Fedora/RHEL: dnf install gcc-c++; Alpine: apk add g++) or set CXX"

# Node-API headers: next to node (official Node tarballs, Debian's libnode-dev), an npm package
# `node-api-headers` in the project, or the same package fetched with npm pack.
find_node_headers() {
  local prefix candidate
  prefix=$(dirname "$(dirname "$(command -v node)")")
  for candidate in "$NODE_HEADERS" "$prefix/include/node" /usr/include/node /usr/local/include/node; do
    [ -n "$candidate" ] && [ -f "$candidate/node_api.h" ] && { echo "$candidate"; return; }
  done
  candidate=$(cd "$PROJECT_DIR" && env -u NODE_PATH node -e '
    try { console.log(require("path").join(require("path").dirname(require.resolve("node-api-headers/package.json", { paths: [process.cwd()] })), "include")); }
    catch { process.exit(1); }' 2>/dev/null) && [ -f "$candidate/node_api.h" ] && { echo "$candidate"; return; }
  candidate="$CACHE_DIR/node-api-headers/package/include"
  if [ ! -f "$candidate/node_api.h" ] && command -v npm >/dev/null; then
    log "Node-API headers not found next to node; fetching the npm package node-api-headers"
    mkdir -p "$CACHE_DIR/node-api-headers"
    (cd "$CACHE_DIR/node-api-headers" && rm -f node-api-headers-*.tgz && npm pack node-api-headers@1 --silent >/dev/null 2>&1 && tar xzf node-api-headers-*.tgz) || true
  fi
  [ -f "$candidate/node_api.h" ] && { echo "$candidate"; return; }
  return 1
}
if [ -n "$NODE_HEADERS" ] && [ ! -f "$NODE_HEADERS/node_api.h" ]; then die "--node-headers $NODE_HEADERS has no node_api.h"; fi
NODE_INCLUDE=$(find_node_headers) ||
  die "Node-API headers (node_api.h) not found next to node, and npm could not fetch them. Install Node's headers (Debian/Ubuntu: apt-get install libnode-dev; official Node tarballs have include/node), run 'npm install node-api-headers' in the project, or pass --node-headers DIR"

# Unpacking a wheel (a zip file) needs python3's zipfile or unzip.
if command -v python3 >/dev/null; then UNZIP=python3
elif command -v unzip >/dev/null; then UNZIP=unzip
else die "neither python3 nor unzip found: one is needed to unpack the wheel (Debian/Ubuntu: apt-get install python3, or apt-get install unzip)"
fi
if [ $STRIP = 1 ] && ! command -v strip >/dev/null; then
  log "strip not found (binutils): keeping the libraries' symbol tables (+190 MB)"
  STRIP=0
fi

# ------------------------------------------------------------------- libtensorflow from a wheel
# A wheel's libtensorflow_cc.so.2 exports the C API (TF_*, TFE_*) tfjs-node's binding calls.
# The libraries do not link libpython, so a wheel for any Python version works.
LIB_KEY() { echo "$1-$2-$ARCH$([ $STRIP = 1 ] && echo -stripped)"; }
if [ -n "$WHEEL" ]; then
  [ -f "$WHEEL" ] || die "--wheel $WHEEL: no such file"
  WHEEL=$(cd "$(dirname "$WHEEL")" && pwd)/$(basename "$WHEEL")
  # tensorflow_cpu-2.18.1-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
  [[ "$(basename "$WHEEL")" =~ ^(tensorflow(_cpu)?)-(2\.[0-9]+\.[0-9]+)-[^-]+-[^-]+-([^-]+)\.whl$ ]] ||
    die "--wheel $(basename "$WHEEL"): expected a TensorFlow 2 wheel file named like tensorflow_cpu-2.18.1-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
  WHEEL_PACKAGE=${BASH_REMATCH[1]//_/-}
  TF_VERSION=${BASH_REMATCH[3]}
  [[ "${BASH_REMATCH[4]}" == *"$ARCH"* ]] || die "--wheel $(basename "$WHEEL") is not for Linux $ARCH (its platform tag is ${BASH_REMATCH[4]})"
  LIB_DIR="$CACHE_DIR/$(LIB_KEY "$WHEEL_PACKAGE" "$TF_VERSION")"
else
  WHEEL_PACKAGE=$PYPI_PACKAGE
  LIB_DIR="$CACHE_DIR/$(LIB_KEY "$WHEEL_PACKAGE" "$TF_VERSION")"
fi
case "$TF_VERSION" in
  2.1[2-9].* | 2.2[01].*) ;;
  *) log "warning: libtensorflow $TF_VERSION is not among the verified versions (2.12 to 2.21)" ;;
esac

if [ "$(cat "$LIB_DIR/.complete" 2>/dev/null)" != "$CACHE_LAYOUT" ]; then
  if [ -z "$WHEEL" ]; then
    WHEEL=$(ls "$CACHE_DIR"/wheels/"${WHEEL_PACKAGE//-/_}-$TF_VERSION"-*.whl 2>/dev/null | head -1 || true)
  fi
  if [ -z "$WHEEL" ]; then
    command -v python3 >/dev/null ||
      die "python3 not found: it downloads the $WHEEL_PACKAGE wheel (with pip). Install python3 and pip (Debian/Ubuntu: apt-get install python3 python3-pip), or download the wheel on another machine and pass --wheel FILE (see docs/guide/native.md)"
    python3 -m pip --version >/dev/null 2>&1 ||
      die "python3 has no pip: install it (Debian/Ubuntu: apt-get install python3-pip; or python3 -m ensurepip --user), or download the wheel elsewhere and pass --wheel FILE"
    case "$ARCH" in
      x86_64) platforms=(manylinux_2_27_x86_64 manylinux_2_17_x86_64 manylinux2014_x86_64) ;;
      aarch64) platforms=(manylinux_2_27_aarch64 manylinux_2_17_aarch64 manylinux2014_aarch64) ;;
    esac
    platform_args=()
    for p in "${platforms[@]}"; do platform_args+=(--platform "$p"); done
    log "downloading the $WHEEL_PACKAGE $TF_VERSION wheel with pip (about 230 MB, once; cached in $CACHE_DIR/wheels)"
    mkdir -p "$CACHE_DIR/wheels"
    # --python-version pins the wheel, not the local interpreter; manylinux_2_17 covers TF <= 2.20,
    # manylinux_2_27 TF 2.21.
    if ! python3 -m pip download --no-deps --only-binary=:all: --python-version 3.11 "${platform_args[@]}" \
      --dest "$CACHE_DIR/wheels" "$WHEEL_PACKAGE==$TF_VERSION" >"$CACHE_DIR/pip.log" 2>&1; then
      tail -n 5 "$CACHE_DIR/pip.log" | sed 's/^/  pip: /' >&2
      die "pip could not download $WHEEL_PACKAGE==$TF_VERSION (full log: $CACHE_DIR/pip.log). Check the version exists and pip can reach its index (pip.conf, PIP_INDEX_URL), or pass --wheel FILE"
    fi
    WHEEL=$(ls "$CACHE_DIR"/wheels/"${WHEEL_PACKAGE//-/_}-$TF_VERSION"-*.whl | head -1)
  fi
  log "unpacking libtensorflow from $(basename "$WHEEL")"
  rm -rf "$LIB_DIR.tmp"
  mkdir -p "$LIB_DIR.tmp/lib" "$LIB_DIR.tmp/include"
  # The two libraries plus the C API headers the binding includes (and the headers they include).
  LIBS=(tensorflow/libtensorflow_cc.so.2 tensorflow/libtensorflow_framework.so.2)
  HEADER_PREFIXES=(tensorflow/include/tensorflow/c/ tensorflow/include/tensorflow/core/platform/
    tensorflow/include/tensorflow/tsl/ tensorflow/include/tsl/ tensorflow/include/xla/tsl/)
  if [ "$UNZIP" = python3 ]; then
    python3 - "$WHEEL" "$LIB_DIR.tmp" "${LIBS[*]}" "${HEADER_PREFIXES[*]}" <<'PY' || die "could not unpack $WHEEL"
import os, shutil, sys, zipfile
wheel, out, libs, prefixes = sys.argv[1], sys.argv[2], set(sys.argv[3].split()), tuple(sys.argv[4].split())
with zipfile.ZipFile(wheel) as z:
    names = z.namelist()
    missing = libs - set(names)
    if missing:
        sys.exit(f'install-native: error: {os.path.basename(wheel)} has no {", ".join(sorted(missing))}: not a TensorFlow 2.x Linux wheel')
    for name in names:
        if name in libs:
            dest = os.path.join(out, 'lib', os.path.basename(name))
        elif name.startswith(prefixes) and not name.endswith('/'):
            dest = os.path.join(out, 'include', name[len('tensorflow/include/'):])
        else:
            continue
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with z.open(name) as src, open(dest, 'wb') as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
PY
  else
    unzip -q -o "$WHEEL" "${LIBS[@]}" -d "$LIB_DIR.tmp/wheel" || die "$(basename "$WHEEL") has no ${LIBS[*]}: not a TensorFlow 2.x Linux wheel"
    unzip -q -o "$WHEEL" "${HEADER_PREFIXES[@]/%/*}" -d "$LIB_DIR.tmp/wheel" 2>/dev/null || true
    mv "$LIB_DIR.tmp/wheel/tensorflow/"libtensorflow_*.so.2 "$LIB_DIR.tmp/lib/"
    cp -r "$LIB_DIR.tmp/wheel/tensorflow/include/." "$LIB_DIR.tmp/include/"
    rm -rf "$LIB_DIR.tmp/wheel"
  fi
  [ -f "$LIB_DIR.tmp/include/tensorflow/c/eager/c_api.h" ] || die "$(basename "$WHEEL") has no tensorflow/include/tensorflow/c/eager/c_api.h"
  if [ $STRIP = 1 ]; then
    # --strip-unneeded keeps .dynsym: the exported C API stays; 2.18.1 goes from 682 to 479 MB.
    strip --strip-unneeded "$LIB_DIR.tmp/lib/libtensorflow_cc.so.2" "$LIB_DIR.tmp/lib/libtensorflow_framework.so.2"
  fi
  printf '{"package":"%s","version":"%s","wheel":"%s"}\n' "$WHEEL_PACKAGE" "$TF_VERSION" "$(basename "$WHEEL")" >"$LIB_DIR.tmp/source.json"
  echo "$CACHE_LAYOUT" >"$LIB_DIR.tmp/.complete"
  rm -rf "$LIB_DIR"
  mv "$LIB_DIR.tmp" "$LIB_DIR"
fi
WHEEL_NAME=$(node -p 'require(process.argv[1]).wheel' "$LIB_DIR/source.json")
log "libtensorflow $TF_VERSION ($WHEEL_NAME): $LIB_DIR ($(du -sh "$LIB_DIR" | cut -f1))"

# ----------------------------------------------------------------------------- stage into deps/
# The layout tfjs-node's binding.gyp and install script expect (that of Google's
# libtensorflow-cpu-linux-x86_64-2.9.1.tar.gz): deps/include/tensorflow/c/..., deps/lib/. The
# libraries keep their sonames; libtensorflow.so (for -ltensorflow) and libtensorflow.so.2.9.1
# (which tfjs-node's install script checks for) are links to them.
log "tfjs-node $PKG_VERSION: $PKG_DIR"
DEPS="$PKG_DIR/deps"
rm -rf "$DEPS.tmp"
mkdir -p "$DEPS.tmp/lib"
for f in libtensorflow_cc.so.2 libtensorflow_framework.so.2; do
  # a hard link costs no space when the cache is on the same file system
  ln "$LIB_DIR/lib/$f" "$DEPS.tmp/lib/$f" 2>/dev/null || cp "$LIB_DIR/lib/$f" "$DEPS.tmp/lib/$f"
done
ln -s libtensorflow_cc.so.2 "$DEPS.tmp/lib/libtensorflow.so"
ln -s libtensorflow_cc.so.2 "$DEPS.tmp/lib/libtensorflow.so.2"
ln -s libtensorflow_cc.so.2 "$DEPS.tmp/lib/libtensorflow.so.2.9.1"
ln -s libtensorflow_framework.so.2 "$DEPS.tmp/lib/libtensorflow_framework.so"
ln -s libtensorflow_framework.so.2 "$DEPS.tmp/lib/libtensorflow_framework.so.2.9.1"
cp -r "$LIB_DIR/include" "$DEPS.tmp/include"
rm -rf "$DEPS"
mv "$DEPS.tmp" "$DEPS"

# ----------------------------------------------------------------------------------- the addon
CXX_VERSION=$("$CXX" -dumpfullversion 2>/dev/null || "$CXX" -dumpversion)
ADDON_CACHE="$CACHE_DIR/addons/tfjs-node-$PKG_VERSION-tf-$TF_VERSION-$ARCH-napi-v$NAPI_VERSION-$(basename "$CXX")-$CXX_VERSION.node"
mkdir -p "$(dirname "$ADDON")"
rm -f "$ADDON"
if [ -f "$ADDON_CACHE" ]; then
  log "addon: reusing $ADDON_CACHE"
  cp "$ADDON_CACHE" "$ADDON"
else
  log "compiling the addon with $CXX $CXX_VERSION (Node-API $NAPI_VERSION, headers in $NODE_INCLUDE)"
  compiled=$(date +%s)
  (cd "$PKG_DIR" && "$CXX" -std=gnu++17 -O2 -fPIC -pthread -shared \
    -DNAPI_VERSION="$NAPI_VERSION" -DBUILDING_NODE_EXTENSION -DNDEBUG \
    -I.. -I"$DEPS/include" -I"$NODE_INCLUDE" \
    binding/tfjs_backend.cc binding/tfjs_binding.cc \
    -o "$ADDON.tmp" \
    -L"$DEPS/lib" -ltensorflow -ltensorflow_framework \
    -Wl,-rpath,'$ORIGIN/../../deps/lib' -Wl,--as-needed) ||
    die "$CXX failed to compile tfjs-node's addon (above). It needs C++17 (g++ >= 9)"
  mv "$ADDON.tmp" "$ADDON"
  mkdir -p "$(dirname "$ADDON_CACHE")"
  cp "$ADDON" "$ADDON_CACHE.tmp" && mv "$ADDON_CACHE.tmp" "$ADDON_CACHE"
  log "addon compiled in $(($(date +%s) - compiled))s: $ADDON"
fi
# What was installed, for `slot-machines native status` and for people reading node_modules.
cat >"$DEPS/slot-machines-native.json" <<EOF
{
  "libtensorflow": "$TF_VERSION",
  "wheel": "$WHEEL_NAME",
  "tfjsNode": "$PKG_VERSION",
  "napiVersion": $NAPI_VERSION,
  "compiler": "$(basename "$CXX") $CXX_VERSION",
  "installedBy": "@slot-machines/runtime-node scripts/install-native.sh",
  "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
}
EOF

# ------------------------------------------------------------------------------------- smoke test
if [ $RUN_TEST = 1 ]; then
  smoke=$(cd "$PROJECT_DIR" && TF_CPP_MIN_LOG_LEVEL=2 node -e '
    const tf = require(process.argv[1]);
    const product = tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5, 6], [7, 8]])).arraySync();
    const grad = tf.grad((x) => tf.sum(tf.square(x)))(tf.tensor1d([1, -2])).arraySync();
    const ok = tf.getBackend() === "tensorflow" && JSON.stringify(product) === "[[19,22],[43,50]]" && JSON.stringify(grad) === "[2,-4]";
    console.log(`backend ${tf.getBackend()}, libtensorflow ${tf.backend().binding.TF_Version}, matMul ${JSON.stringify(product)}, grad ${JSON.stringify(grad)}`);
    process.exit(ok ? 0 : 1);' "$PKG_DIR" 2>"$CACHE_DIR/check.stderr") ||
    die "the built tfjs-node does not work: $smoke $(grep -v '^\s*at ' "$CACHE_DIR/check.stderr" | head -n 8)"
  log "check: $smoke"
fi

# --------------------------------------------------------------------------- the fused slot op
# SlotMachinesSlotUpdate, a TensorFlow custom op runtime-node loads into this libtensorflow (see
# build-native-ops.sh). Without it the backend still works: slotUpdate() runs tfjs ops instead.
if ! bash "$(dirname "$0")/build-native-ops.sh" "$PKG_DIR" "$WHEEL_PACKAGE" "$TF_VERSION" "$WHEEL" "$CACHE_DIR" "$NODE_INCLUDE" "$NAPI_VERSION" "$RUN_TEST"; then
  log "warning: the native backend works without the fused slot op (slotUpdate() falls back to tfjs ops, slower); slot-machines native status says whether it loads"
fi
log "done in $(($(date +%s) - started))s: @tensorflow/tfjs-node $PKG_VERSION runs on libtensorflow $TF_VERSION"
