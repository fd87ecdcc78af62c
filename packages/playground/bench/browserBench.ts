// Steps per second of Lenet-300-100 GS K=8 (batch 128) in one run: Node on wasm (runtime-node, one
// thread) and the built demo in headless Chromium on wasm SIMD with one thread and with threads
// (cross-origin isolated page), the same training code (src/trainingSession.ts) and the same data
// (the demo's MNIST pack) everywhere. Prints Markdown tables: speeds and the bundle's size.
//
//   npx pnpm@10.34.8 run build && npx tsx packages/playground/bench/browserBench.ts [--epochs 2] [--repeats 2] [--json FILE]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { initRuntime } from '@slot-machines/runtime-node';
import { bundleTable, measureBundle } from '../scripts/bundleSize';
import { launchChromium } from '../server/chromium';
import { startStaticServer } from '../server/staticServer';
import { decodeMnistPack } from '../src/mnistPack';
import { MNIST_PACK_PATH } from '../src/packConfig';
import type { DemoRequest, FromWorker, TrainingEvent } from '../src/protocol';
import { runDemoTraining } from '../src/trainingSession';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(packageDir, 'dist');
const WARMUP = 10;
const { values } = parseArgs({
  options: {
    epochs: { type: 'string', default: '2' },
    repeats: { type: 'string', default: '2' },
    json: { type: 'string', default: join(packageDir, '..', '..', 'test-output', 'browser-bench.json') },
  },
});
const request: DemoRequest = { k: 8, strategy: 'greedy', epochs: Number(values.epochs), seed: 0 };

interface Row {
  readonly runtime: string;
  readonly backend: string;
  readonly threads: number;
  readonly steps: number;
  readonly stepsPerSecond: number;
  readonly medianMs: number;
  readonly testAccuracy: number | null;
}

/** Speed from the steps after the warm-up: 1000 / mean ms, and the median. */
function summarise(runtime: string, backend: string, threads: number, events: readonly TrainingEvent[]): Row {
  const ms = events.flatMap((e) => (e.type === 'step' ? [e.ms] : [])).slice(WARMUP);
  const sorted = [...ms].sort((a, b) => a - b);
  const epochs = events.flatMap((e) => (e.type === 'epoch' ? [e.metrics] : []));
  return {
    runtime,
    backend,
    threads,
    steps: ms.length,
    stepsPerSecond: 1000 / (ms.reduce((a, b) => a + b, 0) / ms.length),
    medianMs: sorted[Math.floor(sorted.length / 2)]!,
    testAccuracy: epochs.at(-1)?.testAccuracy ?? null,
  };
}

async function node(): Promise<Row> {
  const info = await initRuntime({ backend: 'wasm', log: () => {} });
  const dataset = decodeMnistPack(gunzipSync(readFileSync(join(packageDir, MNIST_PACK_PATH))), MNIST_PACK_PATH);
  const events: TrainingEvent[] = [];
  const { network } = await runDemoTraining(dataset, request, { emit: (e) => events.push(e), yieldToHost: () => new Promise((r) => setImmediate(r)) });
  network.dispose();
  return summarise(`Node ${process.version} (runtime-node)`, `${info.backend}${info.simd ? ' SIMD' : ''}`, info.threads, events);
}

async function chromium(threads: 'one' | 'all'): Promise<{ row: Row; fetched: Record<string, number> }> {
  const server = await startStaticServer({ root: dist, isolated: true });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const fetched: Record<string, number> = {};
    page.on('response', (response) => {
      const path = new URL(response.url()).pathname;
      const ext = path.endsWith('/') ? 'html' : (/\.(\w+)$/.exec(path)?.[1] ?? 'other');
      void response.body().then(
        (body) => (fetched[ext] = (fetched[ext] ?? 0) + body.length),
        () => {},
      );
    });
    await page.goto(`${server.url}${threads === 'one' ? '?threads=1' : ''}`);
    await page.waitForFunction(() => window.slotMachinesDemo?.events.some((e) => e.type === 'ready' || e.type === 'error'), null, { timeout: 60_000 });
    await page.getByLabel('Options per connection (K)').selectOption(String(request.k));
    await page.getByLabel('Selection strategy').selectOption(request.strategy);
    await page.getByRole('spinbutton', { name: 'Epochs' }).fill(String(request.epochs));
    await page.getByRole('spinbutton', { name: 'Seed' }).fill(String(request.seed));
    await page.getByRole('button', { name: 'Train' }).click();
    await page.waitForFunction(
      () => window.slotMachinesDemo.events.some((e) => e.type === 'error' || (e.type === 'training' && e.event.type === 'done')),
      null,
      { timeout: 600_000, polling: 500 },
    );
    const events: FromWorker[] = await page.evaluate(() => window.slotMachinesDemo.events);
    const error = events.find((e) => e.type === 'error');
    if (error) throw new Error(`the page reported an error: ${JSON.stringify(error)}`);
    const ready = events.find((e): e is Extract<FromWorker, { type: 'ready' }> => e.type === 'ready')!;
    const version = browser.version();
    const info = ready.runtime;
    const row = summarise(
      `Chromium ${version} (runtime-web, Web Worker${ready.crossOriginIsolated ? ', isolated page' : ''}${threads === 'one' ? ', ?threads=1' : ''})`,
      `${info.backend}${info.simd ? ' SIMD' : ''}`,
      info.threads,
      events.flatMap((e) => (e.type === 'training' ? [e.event] : [])),
    );
    return { row, fetched };
  } finally {
    await browser.close();
    await server.close();
  }
}

// The three configurations take turns, `repeats` times; each row reports its fastest round, the one
// least disturbed by whatever else the machine ran meanwhile.
const started = new Date();
const loadBefore = loadavg()[0]!;
const repeats = Math.max(1, Number(values.repeats));
const rounds: { node: Row[]; one: Row[]; all: Row[] } = { node: [], one: [], all: [] };
let fetchedByIsolatedPage: Record<string, number> = {};
for (let round = 1; round <= repeats; round++) {
  rounds.node.push(await node());
  const one = await chromium('one');
  rounds.one.push(one.row);
  const all = await chromium('all');
  rounds.all.push(all.row);
  fetchedByIsolatedPage = all.fetched;
  console.error(
    `round ${round}: node ${rounds.node.at(-1)!.stepsPerSecond.toFixed(2)}, chromium 1 thread ${one.row.stepsPerSecond.toFixed(2)}, ` +
      `chromium ${all.row.threads} threads ${all.row.stepsPerSecond.toFixed(2)} steps/s`,
  );
}
const fastest = (list: Row[]) => list.reduce((a, b) => (b.stepsPerSecond > a.stepsPerSecond ? b : a));
const rows = [fastest(rounds.node), fastest(rounds.one), fastest(rounds.all)];
const all = { fetched: fetchedByIsolatedPage };
const loadAfter = loadavg()[0]!;
const bundle = measureBundle(dist);

const kb = (bytes: number | undefined) => `${((bytes ?? 0) / 1024).toFixed(1)} KiB`;
const base = rows[0]!.stepsPerSecond;
const lines = [
  `Lenet-300-100, GS K=8, batch 128, on the demo's MNIST pack (12,000 training images, 94 steps per epoch), ${request.epochs} epoch(s) per run, seed ${request.seed}; ` +
    `steps/s = 1000 / mean milliseconds per training step (batch, forward, backward, update) after the first ${WARMUP} steps; the demo's probes and messages are not timed. ` +
    `The three configurations took turns ${repeats} time(s); each row is its fastest round (every round, steps/s: ${([['Node', 'node'], ['Chromium 1 thread', 'one'], ['Chromium threads', 'all']] as const).map(([label, k]) => `${label} ${rounds[k].map((r) => r.stepsPerSecond.toFixed(2)).join(' / ')}`).join('; ')}).`,
  `Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} logical cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; ${started.toISOString()}; 1-minute load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after.`,
  '',
  '| runtime | backend | threads | steps/s | ms/step (median) | vs Node | test accuracy after the run |',
  '|---|---|---:|---:|---:|---:|---:|',
  ...rows.map(
    (r) =>
      `| ${r.runtime} | ${r.backend} | ${r.threads} | ${r.stepsPerSecond.toFixed(2)} | ${r.medianMs.toFixed(1)} | ${(r.stepsPerSecond / base).toFixed(2)}x | ${r.testAccuracy === null ? '-' : `${(r.testAccuracy * 100).toFixed(2)}%`} |`,
  ),
  '',
  `Bytes the isolated page fetched (threads run): JS ${kb(all.fetched.js)}, wasm ${kb(all.fetched.wasm)}, HTML ${kb(all.fetched.html)}, CSS ${kb(all.fetched.css)}, data ${kb(all.fetched.gz)} (uncompressed transfers from the local server).`,
  '',
  bundleTable(bundle),
];
console.log(lines.join('\n'));
mkdirSync(dirname(values.json), { recursive: true });
writeFileSync(values.json, `${JSON.stringify({ date: started.toISOString(), request, repeats, rows, rounds, fetched: all.fetched, bundle: bundle.rows, loadBefore, loadAfter }, null, 2)}\n`);
