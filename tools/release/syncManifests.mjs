#!/usr/bin/env node
// Keeps the publishing metadata of every public package in one place: repository (with directory),
// homepage, bugs, engines, keywords, license, files, the prepack build and the published exports
// (publishConfig.exports: the same map without the `source` condition, which only the monorepo's
// tests and typecheck read). `node tools/release/syncManifests.mjs` writes; `--check` fails (exit 1)
// listing every package.json that differs from what it would write. .ci/run runs --check.
import { readFileSync, writeFileSync, readdirSync, existsSync, copyFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const repoUrl = 'https://github.com/slot-machines/slot-machines';
const check = process.argv.includes('--check');

const common = ['slot-machines', 'neural-networks', 'random-weights', 'tensorflowjs', 'machine-learning'];
const keywords = {
  core: ['straight-through-estimator', 'slot-layers', 'plugin-contract'],
  'selection-greedy': ['selection-plugin', 'greedy-selection'],
  'selection-probabilistic': ['selection-plugin', 'probabilistic-selection'],
  'selection-edge-popup': ['selection-plugin', 'edge-popup', 'pruning'],
  'selection-supermask': ['selection-plugin', 'supermask', 'pruning'],
  'weight-sharing': ['weight-sharing', 'plugin'],
  architectures: ['lenet', 'conv-net', 'vgg'],
  datasets: ['mnist', 'cifar-10', 'idx', 'dataset'],
  trainer: ['training', 'sgd', 'sgdr', 'checkpoints'],
  'runtime-node': ['runtime', 'tfjs-node', 'wasm', 'node'],
  'runtime-web': ['runtime', 'wasm', 'browser', 'webassembly'],
  'wasm-kernels': ['wasm', 'kernels', 'tfjs-backend-wasm'],
  cli: ['cli', 'command-line', 'training'],
  testing: ['testing', 'conformance', 'vitest', 'plugin'],
  sweep: ['sweep', 'hyperparameter-sweep', 'bullmq', 'redis', 'distributed'],
  sweep: ['sweep', 'hyperparameter-sweep', 'bullmq', 'redis', 'distributed'],
};

const order = [
  'name', 'version', 'private', 'description', 'keywords', 'license', 'repository', 'homepage', 'bugs',
  'engines', 'type', 'sideEffects', 'bin', 'exports', 'main', 'types', 'files', 'scripts',
  'dependencies', 'peerDependencies', 'peerDependenciesMeta', 'devDependencies', 'publishConfig',
];

// Packages whose own code bundles or deep-imports tfjs internals, or whose backends peer-depend on
// one exact tfjs-core (tfjs-backend-wasm/cpu 4.22.0 do): they keep the exact pin (`catalog:`).
// Every other library takes the range in the `peer` catalog (pnpm-workspace.yaml). docs/decisions.md.
const exactTfjs = new Set(['runtime-node', 'runtime-web', 'cli']);
// Applications install their own copy of everything; libraries peer-depend on core (one copy, so
// declaration merging of plugin ids keeps working) and have it as a dev dependency for their tests.
const applications = new Set(['cli']);

function applyDependencyRules(dir, pkg) {
  const core = '@slot-machines/core';
  if (!applications.has(dir) && pkg.dependencies?.[core]) {
    delete pkg.dependencies[core];
    if (Object.keys(pkg.dependencies).length === 0) delete pkg.dependencies;
    pkg.peerDependencies = { ...pkg.peerDependencies, [core]: 'workspace:0.x' };
    pkg.devDependencies = { [core]: 'workspace:^', ...pkg.devDependencies };
  }
  // below 1.0 the peer range is 0.x: `^0.y` would make every core minor out of range, and changesets
  // then bumps the dependents to 1.0.0 (docs/decisions.md). Widen to `workspace:^` at 1.0.
  if (!applications.has(dir) && pkg.peerDependencies?.[core]) pkg.peerDependencies[core] = 'workspace:0.x';
  if (pkg.peerDependencies?.['@tensorflow/tfjs-core']) {
    pkg.peerDependencies['@tensorflow/tfjs-core'] = exactTfjs.has(dir) ? 'catalog:' : 'catalog:peer';
  }
  for (const field of ['dependencies', 'peerDependencies', 'devDependencies']) {
    if (pkg[field]) pkg[field] = Object.fromEntries(Object.entries(pkg[field]).sort(([a], [b]) => a.localeCompare(b)));
  }
}

/** The exports map as published: every `source` condition dropped. */
function withoutSource(exports) {
  if (typeof exports !== 'object' || exports === null) return exports;
  return Object.fromEntries(
    Object.entries(exports)
      .filter(([key]) => key !== 'source')
      .map(([key, value]) => [key, withoutSource(value)]),
  );
}

function sortKeys(pkg) {
  const known = order.filter((key) => key in pkg).map((key) => [key, pkg[key]]);
  const rest = Object.entries(pkg).filter(([key]) => !order.includes(key));
  return Object.fromEntries([...known, ...rest]);
}

const stale = [];
const problems = [];
const licenseText = readFileSync(join(root, 'LICENSE'), 'utf8');
for (const dir of readdirSync(join(root, 'packages')).sort()) {
  const file = join(root, 'packages', dir, 'package.json');
  if (!existsSync(file)) continue;
  const before = readFileSync(file, 'utf8');
  const pkg = JSON.parse(before);
  if (pkg.private) continue;
  applyDependencyRules(dir, pkg);
  pkg.keywords = [...common, ...(keywords[dir] ?? [])];
  pkg.license = 'MIT';
  pkg.repository = { type: 'git', url: `git+${repoUrl}.git`, directory: `packages/${dir}` };
  pkg.homepage = `${repoUrl}/tree/main/packages/${dir}#readme`;
  pkg.bugs = { url: `${repoUrl}/issues` };
  pkg.engines = { node: '>=20.19' };
  // dist only (plus what npm always adds: README, LICENSE, package.json): the source maps carry
  // sourcesContent, and negated patterns under a listed `src` did not keep tests out of the tarball
  pkg.files = (pkg.files ?? ['dist']).filter((f) => f !== 'src' && !f.startsWith('!'));
  pkg.scripts = { ...pkg.scripts, prepack: 'tsup' };
  pkg.publishConfig = { ...pkg.publishConfig, access: 'public', exports: withoutSource(pkg.exports) };
  // npm shows the README without the repository around it: every link must be absolute
  const readmeFile = join(root, 'packages', dir, 'README.md');
  if (!existsSync(readmeFile)) problems.push(`packages/${dir}: no README.md`);
  else if (/\]\((?!https?:|#)[^)]*\)/.test(readFileSync(readmeFile, 'utf8'))) problems.push(`packages/${dir}/README.md: a relative link (npm cannot follow it)`);
  const after = `${JSON.stringify(sortKeys(pkg), null, 2)}\n`;
  const licenseFile = join(root, 'packages', dir, 'LICENSE');
  const licenseStale = !existsSync(licenseFile) || readFileSync(licenseFile, 'utf8') !== licenseText;
  if (after !== before || licenseStale) {
    stale.push(`packages/${dir}`);
    if (!check) {
      writeFileSync(file, after);
      copyFileSync(join(root, 'LICENSE'), licenseFile);
    }
  }
}
if (problems.length > 0) {
  console.error(`release: ${problems.join('; ')}`);
  process.exit(1);
}
if (check && stale.length > 0) {
  console.error(`release: package metadata out of date in ${stale.join(', ')}: run node tools/release/syncManifests.mjs`);
  process.exit(1);
}
console.log(check ? 'release: package metadata in sync' : `release: updated ${stale.length ? stale.join(', ') : 'nothing'}`);
