// The demo in real headless Chromium: the built page (packages/playground/dist) served from
// 127.0.0.1 with and without the COOP/COEP headers, and with its .wasm files missing.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium } from '../server/chromium';
import { startStaticServer, type StaticServer } from '../server/staticServer';
import type { FromWorker, TrainingEvent } from '../src/protocol';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const dist = join(packageDir, 'dist');
const outDir = join(packageDir, '..', '..', 'test-output', 'e2e');

/** Lenet-300-100's weights: 784·300 + 300·100 + 100·10. */
const LENET_WEIGHTS = 784 * 300 + 300 * 100 + 100 * 10;
type Ready = Extract<FromWorker, { type: 'ready' }>;
type Of<T extends TrainingEvent['type']> = Extract<TrainingEvent, { type: T }>;

let browser: Browser;
const servers: Record<'isolated' | 'plain' | 'noWasm' | 'noData', StaticServer | undefined> = { isolated: undefined, plain: undefined, noWasm: undefined, noData: undefined };
const contexts: BrowserContext[] = [];

// A missing build or browser fails every test with the reason (a failing beforeAll would only mark
// them skipped).
let setupError: Error | null = null;
beforeEach(() => {
  if (setupError) throw setupError;
});

beforeAll(async () => {
  if (!existsSync(join(dist, 'index.html'))) {
    setupError = new Error(
      `the demo is not built (${join(dist, 'index.html')} is missing): build it first with ` +
        '`npx pnpm@10.34.8 run build` at the repository root (or `npx nx run @slot-machines/playground:build`)',
    );
    return;
  }
  mkdirSync(outDir, { recursive: true });
  try {
    browser = await launchChromium();
  } catch (error) {
    setupError = error instanceof Error ? error : new Error(String(error));
    return;
  }
  servers.isolated = await startStaticServer({ root: dist, isolated: true });
  servers.plain = await startStaticServer({ root: dist, isolated: false });
  servers.noWasm = await startStaticServer({ root: dist, isolated: false, block: /\.wasm$/ });
  servers.noData = await startStaticServer({ root: dist, isolated: true, block: /mnist-pack/ });
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  for (const server of Object.values(servers)) await server?.close();
});

/** Opens the demo and waits until the worker has started TensorFlow.js and loaded MNIST. */
async function openDemo(server: StaticServer | undefined): Promise<{ page: Page; ready: Ready; problems: string[] }> {
  const { page, problems } = await openPage(server);
  await page.waitForFunction(
    () => {
      const events = window.slotMachinesDemo?.events ?? [];
      const error = events.find((e) => e.type === 'error');
      if (error) throw new Error(`the page reported an error: ${JSON.stringify(error)}`);
      return events.some((e) => e.type === 'ready');
    },
    null,
    { timeout: 60_000, polling: 100 },
  );
  const ready = (await events(page)).find((e): e is Ready => e.type === 'ready')!;
  return { page, ready, problems };
}

/** Opens the demo in a fresh context, recording errors and the main thread's long tasks. */
async function openPage(server: StaticServer | undefined): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  // Long tasks on the page's main thread: training happens in the worker, so there should be none of note.
  await page.addInitScript(() => {
    const w = window as unknown as { longTasks: number[] };
    w.longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.longTasks.push(entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(server!.url);
  return { page, problems };
}

async function events(page: Page): Promise<FromWorker[]> {
  return page.evaluate(() => window.slotMachinesDemo.events);
}

/** Training events of run `run` (0-based: the runs are cut at each 'started'). */
async function runEvents(page: Page, run: number): Promise<TrainingEvent[]> {
  const all = (await events(page)).flatMap((e) => (e.type === 'training' ? [e.event] : []));
  const starts = all.flatMap((e, i) => (e.type === 'started' ? [i] : []));
  return all.slice(starts[run], starts[run + 1]);
}

/** Waits until `count` training events of `type` arrived; a page error fails at once. */
async function waitForTraining(page: Page, type: TrainingEvent['type'], count: number, timeout: number): Promise<void> {
  await page.waitForFunction(
    ([wanted, n]) => {
      const all = window.slotMachinesDemo.events;
      const error = all.find((e) => e.type === 'error');
      if (error) throw new Error(`the page reported an error: ${JSON.stringify(error)}`);
      return all.filter((e) => e.type === 'training' && e.event.type === wanted).length >= n;
    },
    [type, count] as const,
    { timeout, polling: 200 },
  );
}

async function choose(page: Page, settings: { k: number; strategy: 'greedy' | 'probabilistic'; epochs: number; seed: number }): Promise<void> {
  await page.getByLabel('Options per connection (K)').selectOption(String(settings.k));
  await page.getByLabel('Selection strategy').selectOption(settings.strategy);
  await page.getByRole('spinbutton', { name: 'Epochs' }).fill(String(settings.epochs));
  await page.getByRole('spinbutton', { name: 'Seed' }).fill(String(settings.seed));
}

const of = <T extends TrainingEvent['type']>(list: TrainingEvent[], type: T) => list.filter((e): e is Of<T> => e.type === type);

describe('the demo in headless Chromium', () => {
  it('trains Lenet-300-100 (GS, K = 8) past 90% test accuracy on wasm SIMD with threads, seeded, leak-free, exports the selected network, and round-trips it as a compact model', async () => {
    const { page, ready, problems } = await openDemo(servers.isolated);

    // The backend: wasm with SIMD; the page is isolated, so threads, one per logical core (at most 8).
    expect(ready.crossOriginIsolated).toBe(true);
    expect(ready.runtime).toMatchObject({ backend: 'wasm', simd: true });
    expect(ready.runtime.notice).toBeUndefined();
    expect(ready.runtime.threads).toBe(Math.min(ready.hardwareConcurrency, 8));
    if (ready.hardwareConcurrency >= 2) expect(ready.runtime.threads).toBeGreaterThan(1);
    await expect(page.locator('#runtime').textContent()).resolves.toContain('Backend: wasm with SIMD');
    expect(await page.locator('#notice').isVisible()).toBe(false);
    expect(ready.data).toMatchObject({ trainImages: 12_000, testImages: 10_000 });

    // The pruning strategies fix K at 2 (each connection's weight and the zero option); edge-popup, and only it, chooses the share kept.
    const kChoice = page.getByLabel('Options per connection (K)');
    const keepChoice = page.getByLabel('Connections kept (edge-popup)');
    expect(await keepChoice.isVisible()).toBe(false);
    await page.getByLabel('Selection strategy').selectOption('edge-popup');
    expect([await kChoice.inputValue(), await kChoice.isDisabled()]).toEqual(['2', true]);
    expect([await keepChoice.isVisible(), await keepChoice.inputValue()]).toEqual([true, '0.5']);
    await page.getByLabel('Selection strategy').selectOption('supermask');
    expect(await keepChoice.isVisible()).toBe(false);
    await page.getByLabel('Selection strategy').selectOption('greedy');
    expect(await kChoice.isDisabled()).toBe(false);
    expect(await keepChoice.isVisible()).toBe(false);

    // A first run, stopped after 12 steps: its curve must be the start of the full run's (same seed).
    const settings = { k: 8, strategy: 'greedy', epochs: 3, seed: 7 } as const;
    await choose(page, settings);
    await page.getByRole('button', { name: 'Train' }).click();
    await waitForTraining(page, 'step', 12, 60_000);
    await page.getByRole('button', { name: 'Stop' }).click();
    await waitForTraining(page, 'done', 1, 30_000);
    const stopped = await runEvents(page, 0);
    expect(of(stopped, 'done')[0]!.aborted).toBe(true);

    await page.getByRole('button', { name: 'Train' }).click();
    await waitForTraining(page, 'done', 2, 200_000);
    const run = await runEvents(page, 1);
    const steps = of(run, 'step');
    const epochs = of(run, 'epoch');
    const done = of(run, 'done')[0]!;
    const started = of(run, 'started')[0]!;

    expect(done.aborted).toBe(false);
    expect(started.request).toEqual(settings);
    expect(steps).toHaveLength(3 * started.batchesPerEpoch);
    const firstLosses = of(stopped, 'step').map((s) => s.loss);
    expect(steps.slice(0, firstLosses.length).map((s) => s.loss)).toEqual(firstLosses);

    // Test accuracy on all 10,000 MNIST test images.
    expect(epochs.map((e) => e.metrics.epoch)).toEqual([1, 2, 3]);
    const accuracy = epochs.map((e) => e.metrics.testAccuracy!);
    expect(accuracy.at(-1)).toBeGreaterThan(0.9);
    const lastRow = page.locator('#epoch-table tbody tr').last();
    await expect(lastRow.locator('td').nth(3).textContent()).resolves.toBe(`${(accuracy.at(-1)! * 100).toFixed(2)}%`);
    await expect(page.locator('#progress-text').textContent()).resolves.toMatch(/^Finished after 282 steps/);

    // No tensor leaks in the worker's loop: the same tensors are alive after every epoch.
    const tensors = epochs.map((e) => e.numTensors);
    expect(new Set(tensors).size).toBe(1);
    expect(done.numTensors).toBeLessThanOrEqual(tensors[0]!);

    // Figure 11 and the live plots got their data.
    expect(epochs.at(-1)!.histograms.map((h) => h.layer)).toEqual(['slotDense_0', 'slotDense_1', 'slotDense_2']);
    expect(epochs.at(-1)!.histograms[0]!.selected.total).toBe(784 * 300);
    expect(of(run, 'probe').map((p) => p.step)).toEqual(Array.from({ length: 29 }, (_, i) => 10 * i)); // step 0, then every 10
    expect(await page.locator('#histograms canvas').count()).toBe(3);

    // The page never blocked: training runs in the worker. (Were it on the page, a task would last a
    // whole epoch, seconds; the bound leaves room for a busy CI machine stretching short tasks.)
    const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
    expect(Math.max(0, ...longTasks)).toBeLessThan(2000);

    await page.screenshot({ path: join(outDir, 'demo-isolated.png'), fullPage: true });

    // The selected network downloads as a TensorFlow.js LayersModel.
    const downloads: Promise<[Download, Download]> = Promise.all([
      page.waitForEvent('download', (d) => d.suggestedFilename() === 'model.json'),
      page.waitForEvent('download', (d) => d.suggestedFilename() === 'weights.bin'),
    ]);
    await page.getByRole('button', { name: 'Download the selected network' }).click();
    const [modelFile, weightsFile] = await downloads;
    const modelPath = join(outDir, 'model', 'model.json');
    const weightsPath = join(outDir, 'model', 'weights.bin');
    await modelFile.saveAs(modelPath);
    await weightsFile.saveAs(weightsPath);
    const model = JSON.parse(readFileSync(modelPath, 'utf8')) as { format: string; weightsManifest: Array<{ paths: string[]; weights: Array<{ shape: number[] }> }> };
    expect(model.format).toBe('layers-model');
    expect(model.weightsManifest[0]!.paths).toEqual(['weights.bin']);
    expect(model.weightsManifest[0]!.weights.map((w) => w.shape)).toEqual([[784, 300], [300, 100], [100, 10]]);
    expect(readFileSync(weightsPath).byteLength).toBe(LENET_WEIGHTS * 4);

    // The compact model: the seed and 3 bits per connection, over 10x smaller than the float32 weights.
    const compactDownload = page.waitForEvent('download', (d) => d.suggestedFilename() === 'model.slot');
    await page.getByRole('button', { name: 'Download compact model' }).click();
    const compactPath = join(outDir, 'model', 'model.slot');
    await (await compactDownload).saveAs(compactPath);
    const compact = readFileSync(compactPath);
    expect(compact.byteLength * 10).toBeLessThan(LENET_WEIGHTS * 4);
    expect(compact.byteLength).toBeGreaterThan(Math.ceil((LENET_WEIGHTS * 3) / 8));

    // Loaded back into the page, the network rebuilt from the seed scores the trained network's test accuracy.
    await page.getByLabel('Load model').setInputFiles(compactPath);
    await page.waitForFunction(
      () => {
        const error = window.slotMachinesDemo.events.find((e) => e.type === 'error');
        if (error) throw new Error(`the page reported an error: ${JSON.stringify(error)}`);
        return window.slotMachinesDemo.events.some((e) => e.type === 'loaded');
      },
      null,
      { timeout: 60_000, polling: 200 },
    );
    const loaded = (await events(page)).find((e): e is Extract<FromWorker, { type: 'loaded' }> => e.type === 'loaded')!.summary;
    expect(loaded).toMatchObject({ name: 'model.slot', bytes: compact.byteLength, k: 8, seed: 7, connections: LENET_WEIGHTS, bitsPerConnection: 3, testImages: 10_000 });
    expect(loaded.testAccuracy).toBe(accuracy.at(-1));
    await expect(page.locator('#loaded').textContent()).resolves.toContain(`it scores ${(loaded.testAccuracy * 100).toFixed(2)}% on the 10,000 test images`);
    await page.screenshot({ path: join(outDir, 'demo-compact-loaded.png'), fullPage: true });

    // Node rebuilds the browser's file too: the same options regenerated (every layer's checksum
    // matches, or loading throws), the same test accuracy.
    const { initRuntime } = await import('@slot-machines/runtime-node');
    await initRuntime({ log: () => {} });
    const [{ loadCompactModel }, { loadBundledMnist }, { createBatchIterator }, { evaluate }] = await Promise.all([
      import('@slot-machines/core'),
      import('@slot-machines/datasets/node'),
      import('@slot-machines/datasets'),
      import('@slot-machines/trainer'),
    ]);
    const inNode = loadCompactModel(new Uint8Array(compact), { source: compactPath });
    const mnist = await loadBundledMnist();
    const normalization = (inNode.metadata.slotMachines as { normalization: import('@slot-machines/datasets').Normalization }).normalization;
    const nodeAccuracy = evaluate(inNode.network, createBatchIterator(mnist, { batchSize: 1000, part: 'test', shuffle: false, normalization })).accuracy;
    inNode.network.dispose();
    expect(nodeAccuracy).toBe(loaded.testAccuracy);

    expect(problems).toEqual([]);
  });

  it('lets the visitor run on one thread instead (the page reloads with ?threads=1)', async () => {
    const { page, ready } = await openDemo(servers.isolated);
    const threads = page.getByLabel('WebAssembly threads');
    expect(await threads.isEnabled()).toBe(true);
    expect(await threads.inputValue()).toBe('auto');
    await Promise.all([page.waitForURL(/\?threads=1$/), threads.selectOption('1')]);
    await page.waitForFunction(() => window.slotMachinesDemo?.events.some((e) => e.type === 'ready'), null, { timeout: 60_000 });
    const again = (await events(page)).find((e): e is Ready => e.type === 'ready')!;
    expect(again.runtime).toMatchObject({ backend: 'wasm', simd: true, threads: 1, reason: 'WebAssembly is available' });
    expect(again.crossOriginIsolated).toBe(true);
    expect(await threads.inputValue()).toBe('1');
    expect(ready.runtime.threads).toBe(Math.min(ready.hardwareConcurrency, 8));
  });

  it('runs wasm SIMD on one thread on a page that is not cross-origin isolated, and says why', async () => {
    const { page, ready, problems } = await openDemo(servers.plain);
    expect(ready.crossOriginIsolated).toBe(false);
    expect(ready.runtime).toMatchObject({ backend: 'wasm', simd: true, threads: 1 });
    expect(ready.runtime.reason).toContain('the page is not cross-origin isolated');
    await expect(page.locator('#runtime').textContent()).resolves.toContain('not cross-origin isolated');
    expect(await page.getByLabel('WebAssembly threads').isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Train' }).isEnabled()).toBe(true);

    // edge-popup with 30% of each layer kept: the worker trains what the page asked for (stopped after a few steps)
    await page.getByLabel('Selection strategy').selectOption('edge-popup');
    await page.getByLabel('Connections kept (edge-popup)').selectOption('0.3');
    await page.getByRole('spinbutton', { name: 'Epochs' }).fill('1');
    await page.getByRole('button', { name: 'Train' }).click();
    await waitForTraining(page, 'step', 3, 60_000);
    await page.getByRole('button', { name: 'Stop' }).click();
    await waitForTraining(page, 'done', 1, 30_000);
    const started = of(await runEvents(page, 0), 'started')[0]!;
    expect(started.request).toEqual({ k: 2, strategy: 'edge-popup', keepFraction: 0.3, epochs: 1, seed: 0 });
    expect(started.recipe.learningRate).toBe(0.1);
    await page.screenshot({ path: join(outDir, 'demo-not-isolated.png'), fullPage: true });
    expect(problems).toEqual([]);
  });

  it('falls back to the cpu backend with a visible notice when the wasm binaries cannot be loaded', async () => {
    const { page, ready, problems } = await openDemo(servers.noWasm);
    expect(ready.runtime).toMatchObject({ backend: 'cpu', simd: false, threads: 1 });
    const notice = page.locator('#notice');
    expect(await notice.isVisible()).toBe(true);
    await expect(notice.textContent()).resolves.toMatch(/^The WebAssembly backend failed to start \(.+\): training runs on the much slower cpu backend$/);
    expect(await page.getByRole('button', { name: 'Train' }).isEnabled()).toBe(true);
    await page.screenshot({ path: join(outDir, 'demo-cpu-fallback.png'), fullPage: true });
    // The only complaints are the browser's own about the missing .wasm files.
    expect(problems.filter((p) => !/404 \(Not Found\)/.test(p))).toEqual([]);
  });

  it('shows a clear error, and offers no training, when the MNIST data cannot be loaded', async () => {
    const { page } = await openPage(servers.noData);
    const error = page.locator('#error');
    await error.waitFor({ state: 'visible', timeout: 60_000 });
    await expect(error.textContent()).resolves.toMatch(/^TensorFlow\.js or the MNIST data could not be loaded: could not load the MNIST data \(.*mnist-pack.*\): HTTP 404 Not Found$/);
    expect(await page.getByRole('button', { name: 'Train' }).isDisabled()).toBe(true);
    await page.screenshot({ path: join(outDir, 'demo-data-missing.png'), fullPage: true });
  });
});
