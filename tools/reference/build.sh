#!/usr/bin/env bash
# The API reference (docs/reference/README.md): TypeDoc over the public packages' sources into
# docs/reference/api. Fails on any TypeDoc warning, a broken {@link ...} above all. TypeDoc is
# installed, once per version, into a cache folder outside the workspace (tools-package.json here).
# Usage: bash tools/reference/build.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
tools="${XDG_CACHE_HOME:-$HOME/.cache}/slot-machines/reference-tools"
if ! cmp -s tools/reference/tools-package.json "$tools/package.json" || [ ! -x "$tools/node_modules/.bin/typedoc" ]; then
  mkdir -p "$tools" && cp tools/reference/tools-package.json "$tools/package.json"
  npm install --prefix "$tools" --no-audit --no-fund --loglevel=error
fi
rm -rf docs/reference/api
"$tools/node_modules/.bin/typedoc" --options docs/reference/typedoc.json
