#!/usr/bin/env bash
# Release rehearsal (.ci/run runs it after the tests): pack every public package, lint the tarballs
# (publint --strict, attw --profile esm-only), build the API reference (docs/reference, TypeDoc:
# a broken {@link} fails), version a throwaway copy with changesets and publish
# it to a local verdaccio on 127.0.0.1 (storage in a temp dir), then install from it as a stranger
# would, with plain npm in empty projects: train 3 steps, check core alone fails helpfully, run
# the CLI for one epoch, and typecheck and test the example plugin package (docs/plugins) on its own.
# Each check counts as one test in test-output/release-rehearsal.json ({ passed, failed, checks }),
# which .ci/run adds to its final line. Usage: bash tools/release/rehearse.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
pnpm="npx --yes pnpm@10.34.8"
tmp=$(mktemp -d /tmp/slot-machines-release.XXXXXX)
port=${SM_REHEARSAL_PORT:-4873}
registry="http://127.0.0.1:$port/"
report="$root/test-output/release-rehearsal.json"
mkdir -p "$root/test-output"
passed=0 failed=0 checks=()
verdaccio_pid=
rehearsal_started=$(date +%s)

check() { # check NAME COMMAND...: run, log to $tmp/NAME.log, count
  local name=$1; shift
  local started=$(date +%s)
  if "$@" >"$tmp/$name.log" 2>&1; then
    passed=$((passed + 1)); checks+=("{\"name\":\"$name\",\"ok\":true}")
    echo "release: ok   $name ($(( $(date +%s) - started ))s)"
  else
    failed=$((failed + 1)); checks+=("{\"name\":\"$name\",\"ok\":false}")
    echo "release: FAIL $name ($(( $(date +%s) - started ))s); its log:" >&2
    tail -n 40 "$tmp/$name.log" >&2
  fi
}
finish() {
  [ -n "$verdaccio_pid" ] && kill "$verdaccio_pid" 2>/dev/null && wait "$verdaccio_pid" 2>/dev/null
  local IFS=,
  echo "{\"passed\":$passed,\"failed\":$failed,\"checks\":[${checks[*]}]}" >"$report"
  # a green run keeps its logs and tarballs only (the copy, the projects and the registry are ~0.9 GB)
  [ "$failed" -eq 0 ] && rm -rf "$tmp/copy" "$tmp/app" "$tmp/cli" "$tmp/plugin" "$tmp/tools" "$tmp/verdaccio" "$tmp/run"
  echo "release rehearsal: $passed passed, $failed failed in $(( $(date +%s) - rehearsal_started ))s (logs in $tmp)"
}
trap finish EXIT

publics=()
for dir in packages/*/; do
  node -e 'process.exit(require(process.argv[1]).private ? 1 : 0)' "$root/${dir}package.json" && publics+=("$(basename "$dir")")
done

# 0. the tools, into the temp dir (not the workspace)
mkdir -p "$tmp/tools" && cp tools/release/tools-package.json "$tmp/tools/package.json"
check tools-install npm install --prefix "$tmp/tools" --no-audit --no-fund --loglevel=error
bin="$tmp/tools/node_modules/.bin"

# 1. metadata, then pack (prepack builds) and lint every public package
check manifests node tools/release/syncManifests.mjs --check
mkdir -p "$tmp/packs"
pack_all() { for p in "${publics[@]}"; do (cd "packages/$p" && $pnpm pack --pack-destination "$tmp/packs" >/dev/null) || return 1; done; }
check pack pack_all
lint_all() {
  local bad=0
  for t in "$tmp"/packs/*.tgz; do
    echo "== $t"
    "$bin/publint" run "$t" --strict || bad=1
    "$bin/attw" "$t" --profile esm-only || bad=1
    tar -xOzf "$t" package/package.json | grep -q '"source"' && { echo "$t: a source condition in the published manifest"; bad=1; }
    tar -tzf "$t" | grep -E '\.test(-helpers)?\.ts$|\.js\.map$' | xargs -r -I{} sh -c 'tar -tzvf "$0" "{}"' "$t" | awk '$3 > 500000 { print "too large: " $6; bad=1 } END { exit bad }' || bad=1
    tar -tzf "$t" | grep -E '\.test(-helpers)?\.ts$' && { echo "$t: test files in the tarball"; bad=1; }
  done
  return $bad
}
check lint lint_all
# the API reference (docs/reference): TypeDoc over the sources; a broken {@link} or any warning fails
check api-reference bash tools/reference/build.sh

# 2. a local registry; a throwaway copy versioned by changesets and published to it
mkdir -p "$tmp/verdaccio/storage"
cat >"$tmp/verdaccio/config.yaml" <<YAML
storage: $tmp/verdaccio/storage
auth: { htpasswd: { file: $tmp/verdaccio/htpasswd, max_users: 10 } }
uplinks: { npmjs: { url: https://registry.npmjs.org/, timeout: 60s } }
packages:
  '@slot-machines/*': { access: \$all, publish: \$authenticated }
  '**': { access: \$all, proxy: npmjs }
log: { type: stdout, format: pretty, level: warn }
YAML
"$bin/verdaccio" --config "$tmp/verdaccio/config.yaml" --listen "127.0.0.1:$port" >"$tmp/verdaccio.log" 2>&1 &
verdaccio_pid=$!
start_registry() {
  for _ in $(seq 60); do curl -sf "${registry}-/ping" >/dev/null && break; sleep 1; done
  token=$(curl -sf -XPUT -H 'content-type: application/json' -d '{"name":"rehearsal","password":"rehearsal"}' \
    "${registry}-/user/org.couchdb.user:rehearsal" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).token))')
  [ -n "$token" ] && printf 'registry=%s\n//127.0.0.1:%s/:_authToken=%s\n' "$registry" "$port" "$token" >"$tmp/npmrc"
}
check registry start_registry
export NPM_CONFIG_USERCONFIG="$tmp/npmrc"

copy="$tmp/copy"
publish_copy() {
  mkdir -p "$copy" && git ls-files -z | xargs -0 -I{} cp --parents {} "$copy/" || return 1
  for p in "${publics[@]}"; do cp -r "packages/$p/dist" "$copy/packages/$p/"; done
  cd "$copy" || return 1
  git init -q && git add -A && git -c user.email=r@example.invalid -c user.name=rehearsal commit -qm copy
  "$root/node_modules/.bin/changeset" version || return 1
  grep -h '"version"' packages/core/package.json
  # pnpm publish turns workspace: ranges into the versions it finds linked in node_modules: link the
  # copy's own, freshly versioned packages (offline, from the store the main install filled)
  $pnpm install --offline --frozen-lockfile --ignore-scripts >/dev/null || return 1
  # dist is prebuilt (and pack above proved prepack builds): publish without lifecycle scripts
  PATH="$root/node_modules/.bin:$PATH" npm_config_ignore_scripts=true npm_config_registry="$registry" "$root/node_modules/.bin/changeset" publish --no-git-tag
}
check publish bash -c "$(declare -f publish_copy); pnpm='$pnpm' root='$root' copy='$copy' registry='$registry' publics='${publics[*]}'; publics=(\$publics); publish_copy"

# 3. a stranger's empty project, plain npm
app="$tmp/app"
install_libs() {
  mkdir -p "$app" && cd "$app" && npm init -y >/dev/null &&
    npm install --no-audit --no-fund --loglevel=error @slot-machines/core @slot-machines/selection-greedy @slot-machines/architectures @slot-machines/runtime-node @tensorflow/tfjs-core@4.22.0 @tensorflow/tfjs-backend-cpu@4.22.0 &&
    cp "$root/tools/release/train3.mjs" "$root/tools/release/coreAlone.mjs" .
}
check install-libraries install_libs
check train-3-steps bash -c "cd '$app' && node train3.mjs"
check core-alone-says-how bash -c "cd '$app' && node coreAlone.mjs"
cli="$tmp/cli"
install_cli() { mkdir -p "$cli" && cd "$cli" && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error @slot-machines/cli; }
check install-cli install_cli
check cli-train-1-epoch bash -c "cd '$cli' && npx --no-install slot-machines train --epochs 1 --train-subset 1280 --out '$tmp/run'"

# 4. a plugin in its own package, as its author has it (docs/plugins): copied out of the repository,
# its package.json (published @slot-machines/* by range, tfjs, vitest, typescript) installed from
# the registry with plain npm, then its typecheck and its tests (the conformance suite) run there
plugin="$tmp/plugin"
test_plugin() {
  mkdir -p "$plugin" && (cd "$root" && git ls-files -z docs/plugins | xargs -0 -I{} cp {} "$plugin/") && cd "$plugin" &&
    npm install --no-audit --no-fund --loglevel=error && npm run typecheck && npm test
}
check plugin-package test_plugin

[ "$failed" -eq 0 ]
