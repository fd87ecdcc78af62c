// The production bundle's size, measured from packages/playground/dist: JavaScript, CSS/HTML, each
// wasm binary and the MNIST asset, raw and gzip (-9), as a Markdown table.
//
//   tsx scripts/bundleSize.ts [--json FILE]
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

export interface SizedFile {
  readonly file: string;
  readonly raw: number;
  readonly gzip: number;
}

export interface BundleRow {
  readonly part: string;
  readonly files: number;
  readonly raw: number;
  readonly gzip: number;
}

export interface BundleReport {
  readonly dist: string;
  readonly files: readonly SizedFile[];
  readonly rows: readonly BundleRow[];
}

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** Measures every file of `dist` and sums them into the rows `docs/benchmarks.md` records. */
export function measureBundle(dist = join(packageDir, 'dist')): BundleReport {
  if (!existsSync(join(dist, 'index.html'))) throw new Error(`${dist}/index.html is missing: build the demo first`);
  const files = walk(dist)
    .filter((path) => !path.endsWith('.map'))
    .map((path): SizedFile => {
      const bytes = readFileSync(path);
      return { file: relative(dist, path), raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
    })
    .sort((a, b) => a.file.localeCompare(b.file));
  const sum = (part: string, pick: (f: SizedFile) => boolean): BundleRow => {
    const chosen = files.filter(pick);
    return { part, files: chosen.length, raw: chosen.reduce((n, f) => n + f.raw, 0), gzip: chosen.reduce((n, f) => n + f.gzip, 0) };
  };
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const pageScripts = new Set([...html.matchAll(/src="\.\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!));
  const js = (f: SizedFile) => f.file.endsWith('.js');
  const wasm = (name: string) => (f: SizedFile) => new RegExp(`/${name}-[\\w-]{8}\\.wasm$`).test(`/${f.file}`);
  const threaded = wasm('tfjs-backend-wasm-threaded-simd');
  const rows = [
    sum('JS: the page (controls, plots; no TensorFlow.js)', (f) => pageScripts.has(f.file)),
    sum('JS: the worker and the chunks it loads (tfjs-core, backends, slot-machines packages)', (f) => js(f) && !pageScripts.has(f.file)),
    sum('HTML + CSS', (f) => f.file.endsWith('.html') || f.file.endsWith('.css')),
    sum('wasm: threaded SIMD binary (cross-origin isolated pages)', threaded),
    sum('wasm: SIMD binary (pages that are not isolated)', wasm('tfjs-backend-wasm-simd')),
    sum('wasm: plain binary (browsers without SIMD)', wasm('tfjs-backend-wasm')),
    sum('**JS + wasm for an isolated page** (all JS, HTML, CSS and the threaded SIMD binary)', (f) => js(f) || f.file.endsWith('.html') || f.file.endsWith('.css') || threaded(f)),
    sum('JS + all three wasm binaries (the whole build without the data)', (f) => js(f) || f.file.endsWith('.html') || f.file.endsWith('.css') || f.file.endsWith('.wasm')),
    sum('MNIST asset (12,000 + 10,000 images, gzip-compressed at build time)', (f) => f.file.includes('mnist-pack')),
  ];
  return { dist, files, rows };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** The report as a Markdown table. */
export function bundleTable(report: BundleReport): string {
  return [
    '| part | files | raw | gzip -9 |',
    '|---|---:|---:|---:|',
    ...report.rows.map((r) => `| ${r.part} | ${r.files} | ${kb(r.raw)} | ${kb(r.gzip)} |`),
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { values } = parseArgs({ options: { json: { type: 'string' } } });
  const report = measureBundle();
  console.log(bundleTable(report));
  if (values.json) writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
}
