#!/usr/bin/env bash
# build-native-ops.sh: builds the fused slot kernel for the native backend, called by
# install-native.sh once tfjs-node's addon is in place (see docs/guide/native.md, "The fused slot op").
#
#   native-ops/slot_update_op.cc -> deps/slot-machines-ops/slot_ops.so
#       the TensorFlow custom op SlotMachinesSlotUpdate, compiled with g++ against the C++ headers of
#       the same tensorflow-cpu wheel libtensorflow came from, linked to its libtensorflow_framework.so.2
#   native-ops/load_library.cc -> deps/slot-machines-ops/slot_ops_loader.node
#       a Node-API addon whose loadLibrary(path) calls TF_LoadLibrary of the libtensorflow_cc.so.2
#       tfjs-node's addon runs on (tfjs-node does not expose it)
#
# Both find libtensorflow through RUNPATH $ORIGIN/../lib. Built files are cached per sources,
# TensorFlow version and compiler. @slot-machines/runtime-node loads them when the tensorflow
# backend starts and registers the tfjs kernel SlotMachinesSlotUpdate for it.
#
# Usage (install-native.sh passes these): build-native-ops.sh PKG_DIR WHEEL_PACKAGE TF_VERSION
#   WHEEL_OR_EMPTY CACHE_DIR NODE_INCLUDE NAPI_VERSION RUN_TEST
# Exit 0: built (or reused) and, with RUN_TEST=1, checked; non-zero: not built (message on stderr).
set -euo pipefail

[ $# -eq 8 ] || { echo "usage: $0 PKG_DIR WHEEL_PACKAGE TF_VERSION WHEEL_OR_EMPTY CACHE_DIR NODE_INCLUDE NAPI_VERSION RUN_TEST" >&2; exit 2; }
PKG_DIR=$1 WHEEL_PACKAGE=$2 TF_VERSION=$3 WHEEL=$4 CACHE_DIR=$5 NODE_INCLUDE=$6 NAPI_VERSION=$7 RUN_TEST=$8
HERE=$(cd "$(dirname "$0")" && pwd)
SRC="$HERE/../native-ops"
CXX=${CXX:-g++}
ARCH=$(uname -m)
DEPS="$PKG_DIR/deps"
OUT="$DEPS/slot-machines-ops"

log() { printf 'install-native: %s\n' "$*" >&2; }
fail() { printf 'install-native: fused slot op not built: %s\n' "$*" >&2; exit 1; }

[ -f "$SRC/slot_update_op.cc" ] && [ -f "$SRC/load_library.cc" ] || fail "$SRC/slot_update_op.cc or load_library.cc is missing (reinstall @slot-machines/runtime-node)"

# ------------------------------------------------------------------ the wheel's C++ headers
# install-native.sh keeps only the C API headers; a custom op needs TensorFlow's framework headers
# and what they include (absl, Eigen, protobuf, tsl). About 35 MB, unpacked once per version.
HEADERS="$CACHE_DIR/op-headers/$WHEEL_PACKAGE-$TF_VERSION"
HEADERS_LAYOUT=1
if [ "$(cat "$HEADERS/.complete" 2>/dev/null)" != "$HEADERS_LAYOUT" ]; then
  if [ -z "$WHEEL" ]; then
    WHEEL=$(ls "$CACHE_DIR"/wheels/"${WHEEL_PACKAGE//-/_}-$TF_VERSION"-*.whl 2>/dev/null | head -1 || true)
  fi
  [ -n "$WHEEL" ] && [ -f "$WHEEL" ] ||
    fail "it needs the C++ headers inside the $WHEEL_PACKAGE $TF_VERSION wheel, which is no longer in $CACHE_DIR/wheels: pass --wheel FILE, or delete $CACHE_DIR/$WHEEL_PACKAGE-$TF_VERSION-* to download it again"
  log "unpacking TensorFlow's C++ headers from $(basename "$WHEEL") (for the fused slot op)"
  rm -rf "$HEADERS.tmp"
  mkdir -p "$HEADERS.tmp"
  PREFIXES=(tensorflow/core/ tensorflow/tsl/ tsl/ xla/tsl/ absl/ google/protobuf/ Eigen/ unsupported/Eigen/
    ml_dtypes/ third_party/ external/ml_dtypes/ external/nsync/ external/eigen_archive/ external/com_google_absl/)
  if command -v python3 >/dev/null; then
    python3 - "$WHEEL" "$HEADERS.tmp" "${PREFIXES[*]}" <<'PY' || fail "could not unpack the headers of $WHEEL"
import os, shutil, sys, zipfile
wheel, out, prefixes = sys.argv[1], sys.argv[2], tuple('tensorflow/include/' + p for p in sys.argv[3].split())
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        if not name.startswith(prefixes) or name.endswith('/'):
            continue
        dest = os.path.join(out, name[len('tensorflow/include/'):])
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with z.open(name) as src, open(dest, 'wb') as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
PY
  else
    unzip -q -o "$WHEEL" "${PREFIXES[@]/#/tensorflow/include/}" -d "$HEADERS.tmp/wheel" 2>/dev/null || true
    [ -d "$HEADERS.tmp/wheel/tensorflow/include" ] || fail "could not unpack the headers of $WHEEL"
    mv "$HEADERS.tmp/wheel/tensorflow/include/"* "$HEADERS.tmp/" && rm -rf "$HEADERS.tmp/wheel"
  fi
  [ -f "$HEADERS.tmp/tensorflow/core/framework/op_kernel.h" ] || fail "$(basename "$WHEEL") has no tensorflow/include/tensorflow/core/framework/op_kernel.h"
  echo "$HEADERS_LAYOUT" >"$HEADERS.tmp/.complete"
  rm -rf "$HEADERS"
  mv "$HEADERS.tmp" "$HEADERS"
fi

# ----------------------------------------------------------------------------- compile (cached)
CXX_VERSION=$("$CXX" -dumpfullversion 2>/dev/null || "$CXX" -dumpversion)
# TensorFlow's own flags for custom ops (tf.sysconfig.get_compile_flags()), plus -ffp-contract=off:
# no fused multiply-add, so the op rounds as the JS kernels do.
OP_FLAGS=(-std=c++17 -O3 -fPIC -shared -ffp-contract=off -D_GLIBCXX_USE_CXX11_ABI=1 -DEIGEN_MAX_ALIGN_BYTES=64 -DNDEBUG -w)
LOADER_FLAGS=(-std=gnu++17 -O2 -fPIC -shared -DNAPI_VERSION="$NAPI_VERSION" -DBUILDING_NODE_EXTENSION -DNDEBUG)
KEY=$(cat "$SRC/slot_update_op.cc" "$SRC/load_library.cc" <(echo "${OP_FLAGS[*]} ${LOADER_FLAGS[*]}") | sha256sum | cut -c1-12)
BUILT="$CACHE_DIR/ops/slot-ops-$KEY-$WHEEL_PACKAGE-$TF_VERSION-$ARCH-napi-v$NAPI_VERSION-$(basename "$CXX")-$CXX_VERSION"
if [ -f "$BUILT/slot_ops.so" ] && [ -f "$BUILT/slot_ops_loader.node" ]; then
  log "fused slot op: reusing $BUILT"
else
  log "compiling the fused slot op SlotMachinesSlotUpdate with $CXX $CXX_VERSION against TensorFlow $TF_VERSION's headers"
  compiled=$(date +%s)
  rm -rf "$BUILT.tmp"
  mkdir -p "$BUILT.tmp"
  # the two compile at once (the op, with TensorFlow's headers, is the slow one: 5-15 s)
  "$CXX" "${OP_FLAGS[@]}" -I"$HEADERS" "$SRC/slot_update_op.cc" -o "$BUILT.tmp/slot_ops.so" \
    -L"$DEPS/lib" -l:libtensorflow_framework.so.2 -Wl,-rpath,'$ORIGIN/../lib' 2>"$BUILT.tmp/op.log" &
  op=$!
  "$CXX" "${LOADER_FLAGS[@]}" -I"$DEPS/include" -I"$NODE_INCLUDE" "$SRC/load_library.cc" -o "$BUILT.tmp/slot_ops_loader.node" \
    -L"$DEPS/lib" -l:libtensorflow_cc.so.2 -Wl,-rpath,'$ORIGIN/../lib' -Wl,--as-needed 2>"$BUILT.tmp/loader.log" || {
    wait "$op" || true
    head -n 20 "$BUILT.tmp/loader.log" >&2
    fail "$CXX could not compile native-ops/load_library.cc (above)"
  }
  wait "$op" || { head -n 20 "$BUILT.tmp/op.log" >&2; fail "$CXX could not compile native-ops/slot_update_op.cc against $HEADERS (above)"; }
  rm -f "$BUILT.tmp"/*.log
  rm -rf "$BUILT"
  mv "$BUILT.tmp" "$BUILT"
  log "fused slot op compiled in $(($(date +%s) - compiled))s"
fi
rm -rf "$OUT"
mkdir -p "$OUT"
cp "$BUILT/slot_ops.so" "$BUILT/slot_ops_loader.node" "$OUT/"
cat >"$OUT/build.json" <<EOF
{
  "op": "SlotMachinesSlotUpdate",
  "libtensorflow": "$TF_VERSION",
  "compiler": "$(basename "$CXX") $CXX_VERSION",
  "sources": "$KEY",
  "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
}
EOF

# ------------------------------------------------------------------------------------ check
if [ "$RUN_TEST" = 1 ]; then
  check=$(cd "$PKG_DIR" && TF_CPP_MIN_LOG_LEVEL=2 node -e '
    const tf = require(process.argv[1]);
    const out = process.argv[1] + "/deps/slot-machines-ops/";
    require(out + "slot_ops_loader.node").loadLibrary(out + "slot_ops.so");
    const b = tf.backend(), B = b.binding;
    const attrs = [["lr", 0.5], ["momentum", 0.9], ["weight_decay", 0]].map(([name, value]) => ({ name, type: B.TF_ATTR_FLOAT, value }));
    attrs.push({ name: "rule", type: B.TF_ATTR_INT, value: 0 });
    const s = tf.tensor2d([[1, 2, 3], [3, 2, 1]]), v = tf.zeros([2, 3]), w = tf.tensor1d([1, -1, 2]), g = tf.tensor1d([2, -2]);
    const [ns, nv, ni, nw] = b.executeMultipleOutputs("SlotMachinesSlotUpdate", attrs, [s, v, w, g, tf.zeros([0])], 4).map((t) => tf.engine().makeTensorFromTensorInfo(t));
    const got = JSON.stringify([ns.arraySync(), ni.arraySync(), nw.arraySync()]);
    console.log(`SlotMachinesSlotUpdate runs: scores ${JSON.stringify(ns.arraySync())}, indices ${JSON.stringify(ni.arraySync())}`);
    process.exit(got === "[[[0,3,1],[4,1,3]],[1,0],[-1,1]]" ? 0 : 1);' "$PKG_DIR" 2>"$CACHE_DIR/ops-check.stderr") ||
    fail "the built op does not work: $check $(grep -v '^\s*at ' "$CACHE_DIR/ops-check.stderr" | head -n 8)"
  log "check: $check"
fi
