#!/usr/bin/env bash
# Installs PyTorch (CPU build, torch==2.13.0) into a venv for the differential test against PyTorch
# (packages/bench/src/torchDifferential.test.ts), which finds its python there. Idempotent and quiet
# when torch already imports; on failure prints one line (and pip's last lines) and exits non-zero.
# Pinned: a plain `pip install torch` would pull the multi-GB CUDA build.
# SM_TORCH_VENV overrides the location (default ~/.cache/slot-machines/torch-venv).
set -uo pipefail

VENV="${SM_TORCH_VENV:-$HOME/.cache/slot-machines/torch-venv}"
PY="$VENV/bin/python"
TORCH_VERSION=2.13.0

if [ -x "$PY" ] && "$PY" -c "import torch, sys; sys.exit(0 if torch.__version__.split('+')[0] == '$TORCH_VERSION' else 1)" >/dev/null 2>&1; then
  exit 0
fi

PYTHON="${PYTHON:-python3}"
if ! command -v "$PYTHON" >/dev/null 2>&1; then
  echo "install-torch: FAILED: $PYTHON not found (PyTorch needs python3 with venv and pip)" >&2
  exit 1
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
start=$(date +%s)
echo "install-torch: installing torch==$TORCH_VERSION (CPU) into $VENV ..."
if ! { "$PYTHON" -m venv "$VENV" && "$PY" -m pip install --quiet "torch==$TORCH_VERSION"; } >"$log" 2>&1; then
  echo "install-torch: FAILED to install torch==$TORCH_VERSION into $VENV (see pip's last lines below)" >&2
  tail -n 20 "$log" >&2
  exit 1
fi
if ! "$PY" -c 'import torch' >"$log" 2>&1; then
  echo "install-torch: FAILED: torch installed into $VENV but does not import: $(tail -n 1 "$log")" >&2
  exit 1
fi
echo "install-torch: $("$PY" -c 'import torch; print("torch " + torch.__version__)') in $VENV ($(( $(date +%s) - start )) s)"
