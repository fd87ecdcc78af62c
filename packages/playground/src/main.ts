// The page: controls, live plots and downloads. All the work happens in ./worker.ts; this module
// imports no TensorFlow.js, so the page stays small and never blocks.
import './styles.css';
import type { DemoRequest, DemoStrategyId, FromWorker, LayerHistogram, LoadedModelSummary, RuntimeRequest, ToWorker, TrainingEvent } from './protocol';
import { drawLayerHistogram } from './ui/histogramChart';
import { LineChart } from './ui/lineChart';

/** What the page exposes for automation (the e2e test and the benchmark read it). */
export interface DemoHandle {
  /** Every message from the worker so far (a model download is recorded without its bytes). */
  readonly events: FromWorker[];
}
declare global {
  interface Window {
    slotMachinesDemo: DemoHandle;
  }
}

const $ = <T extends HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element as T;
};
const el = {
  runtime: $('runtime'),
  notice: $('notice'),
  error: $('error'),
  form: $<HTMLFormElement>('controls'),
  k: $<HTMLSelectElement>('k'),
  strategy: $<HTMLSelectElement>('strategy'),
  keepField: $('keep-field'),
  keep: $<HTMLSelectElement>('keep'),
  epochs: $<HTMLInputElement>('epochs'),
  seed: $<HTMLInputElement>('seed'),
  threads: $<HTMLSelectElement>('threads'),
  start: $<HTMLButtonElement>('start'),
  stop: $<HTMLButtonElement>('stop'),
  download: $<HTMLButtonElement>('download'),
  downloadCompact: $<HTMLButtonElement>('download-compact'),
  loadModel: $<HTMLInputElement>('load-model'),
  loaded: $('loaded'),
  progress: $<HTMLProgressElement>('progress'),
  progressText: $('progress-text'),
  histograms: $('histograms'),
  epochRows: $('epoch-table').querySelector('tbody')!,
  downloads: $('downloads'),
  dataNote: $('data-note'),
};

const handle: DemoHandle = { events: [] };
window.slotMachinesDemo = handle;

const lossChart = new LineChart($<HTMLCanvasElement>('loss-chart'), { xLabel: 'step', y: 'auto', autoFrom: [1] }, [
  { label: 'loss', color: 'rgba(10, 102, 194, 0.3)', width: 1, points: [] },
  { label: 'moving average', color: '#0a66c2', width: 2, points: [] },
]);
const accuracyChart = new LineChart($<HTMLCanvasElement>('accuracy-chart'), { xLabel: 'step', y: { min: 0, max: 1 }, percent: true }, [
  { label: 'test (1,000 images)', color: '#0a66c2', points: [] },
  { label: 'test (10,000)', color: '#c2410c', style: 'dots', points: [] },
  { label: 'train', color: '#1a7f37', style: 'dots', points: [] },
]);
const changeChart = new LineChart($<HTMLCanvasElement>('change-chart'), { xLabel: 'step', y: 'auto', percent: true }, [
  { label: 'selections changed', color: '#8250df', width: 2, points: [] },
]);
const charts = [lossChart, accuracyChart, changeChart];
window.addEventListener('resize', () => {
  for (const chart of charts) chart.invalidate();
  if (lastHistograms) drawHistograms(lastHistograms);
});

const percent = (share: number, digits = 1) => `${(share * 100).toFixed(digits)}%`;
let run: { epochs: number; batches: number; started: number; lossAverage: number | null; recentMs: number[]; lastTest: number | null } | null = null;
let lastHistograms: readonly LayerHistogram[] | null = null;
let trained = false;
/** Whether the page can run WebAssembly threads at all (wasm backend, cross-origin isolated). */
let threadsChoosable = false;

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'slot-machine-trainer' });
const send = (message: ToWorker) => worker.postMessage(message);
worker.onmessage = (event: MessageEvent<FromWorker>) => {
  const message = event.data;
  handle.events.push(message.type === 'model' ? { ...message, weights: new ArrayBuffer(0) } : message.type === 'compact' ? { ...message, bytes: new ArrayBuffer(0) } : message);
  try {
    onMessage(message);
  } catch (error) {
    showError(`The page failed to show a result: ${error instanceof Error ? error.message : String(error)}`);
  }
};
worker.onerror = (event) => {
  event.preventDefault();
  showError(`The training worker failed: ${event.message || 'it could not be started (see the browser console)'}`);
  setIdle(false);
};
worker.onmessageerror = () => showError('A message from the training worker could not be read.');
const runtimeAsked = runtimeRequest(new URLSearchParams(location.search));
send({ type: 'init', runtime: runtimeAsked });
el.threads.value = runtimeAsked.threads === false ? '1' : 'auto';
// The thread count is fixed when the backend starts, so another choice reloads the page.
el.threads.addEventListener('change', () => {
  const params = new URLSearchParams(location.search);
  if (el.threads.value === '1') params.set('threads', '1');
  else params.delete('threads');
  const query = params.toString();
  location.search = query === '' ? '' : `?${query}`;
});

/** `?threads=1` (or any count, or `false`) and `?backend=cpu|wasm|auto` choose how the worker starts TensorFlow.js. */
function runtimeRequest(params: URLSearchParams): RuntimeRequest {
  const threads = params.get('threads');
  const backend = params.get('backend');
  return {
    threads: threads === null || threads === 'true' ? true : threads === 'false' || threads === '1' ? false : Math.max(1, Number.parseInt(threads, 10) || 1),
    backend: backend === 'cpu' || backend === 'wasm' ? backend : 'auto',
  };
}

el.form.addEventListener('submit', (event) => {
  event.preventDefault();
  if (!el.form.reportValidity()) return;
  const strategy = chosenStrategy();
  const request: DemoRequest = {
    k: Number(el.k.value),
    strategy,
    ...(strategy === 'edge-popup' ? { keepFraction: Number(el.keep.value) } : {}),
    epochs: Number(el.epochs.value),
    seed: Number(el.seed.value),
  };
  hideError();
  setRunning();
  send({ type: 'start', request });
});
el.stop.addEventListener('click', () => {
  el.stop.disabled = true;
  el.progressText.textContent = 'Stopping after the current step…';
  send({ type: 'stop' });
});
el.download.addEventListener('click', () => {
  el.download.disabled = true;
  send({ type: 'export' });
});
el.downloadCompact.addEventListener('click', () => {
  el.downloadCompact.disabled = true;
  send({ type: 'export-compact' });
});
el.loadModel.addEventListener('change', () => {
  const file = el.loadModel.files?.[0];
  if (!file) return;
  el.loadModel.value = '';
  hideError();
  el.loaded.hidden = false;
  el.loaded.textContent = `Loading ${file.name}: regenerating its random options from the seed, then testing it…`;
  el.loadModel.disabled = true;
  file.arrayBuffer().then(
    (bytes) => worker.postMessage({ type: 'load', name: file.name, bytes } satisfies ToWorker, [bytes]),
    (error: unknown) => {
      showError(`${file.name} could not be read: ${error instanceof Error ? error.message : String(error)}`);
      el.loadModel.disabled = run !== null;
    },
  );
});

function onMessage(message: FromWorker): void {
  switch (message.type) {
    case 'ready': {
      const { runtime } = message;
      const threads = `${runtime.threads} thread${runtime.threads === 1 ? '' : 's'}`;
      el.runtime.textContent =
        `Backend: ${runtime.backend}${runtime.simd ? ' with SIMD' : ''}, ${threads}` +
        `${message.crossOriginIsolated ? ', cross-origin isolated' : ''} (${runtime.reason}). ` +
        `MNIST: ${message.data.trainImages.toLocaleString('en')} training and ${message.data.testImages.toLocaleString('en')} test images (${(message.data.bytes / 1e6).toFixed(1)} MB), ready in ${message.data.seconds.toFixed(1)} s.`;
      document.body.dataset.backend = runtime.backend;
      threadsChoosable = runtime.backend === 'wasm' && message.crossOriginIsolated;
      if (!threadsChoosable) {
        el.threads.value = '1';
        el.threads.title = runtime.backend !== 'wasm' ? 'The cpu backend runs on one thread' : 'Threads need a cross-origin isolated page';
      }
      if (runtime.notice) {
        el.notice.textContent = runtime.notice;
        el.notice.hidden = false;
      }
      setIdle(true);
      return;
    }
    case 'training':
      onTraining(message.event);
      return;
    case 'model':
      offerDownload(message.modelJson, message.weights);
      el.download.disabled = !trained || run !== null;
      return;
    case 'compact':
      offerFiles('The selected network as a compact model (the seed and each connection’s choice; load it here or with loadCompactModel): ', [
        ['model.slot', new Blob([message.bytes], { type: 'application/octet-stream' })],
      ]);
      el.downloadCompact.disabled = !trained || run !== null;
      return;
    case 'loaded':
      showLoaded(message.summary);
      el.loadModel.disabled = run !== null;
      return;
    case 'error':
      showError(
        message.during === 'init'
          ? `TensorFlow.js or the MNIST data could not be loaded: ${message.message}`
          : message.during === 'export'
            ? `The network could not be exported: ${message.message}`
            : message.during === 'load'
              ? `The model could not be loaded: ${message.message}`
              : `Training failed: ${message.message}`,
      );
      if (message.during === 'init') el.runtime.textContent = 'Not ready: the error below says why.';
      if (message.during === 'training' || message.during === 'worker') setIdle(message.during === 'training');
      if (message.during === 'export') el.download.disabled = el.downloadCompact.disabled = !trained;
      if (message.during === 'load') {
        el.loadModel.disabled = run !== null;
        el.loaded.hidden = true;
      }
      return;
  }
}

function onTraining(event: TrainingEvent): void {
  switch (event.type) {
    case 'started': {
      run = { epochs: event.request.epochs, batches: event.batchesPerEpoch, started: performance.now(), lossAverage: null, recentMs: [], lastTest: null };
      const steps = event.request.epochs * event.batchesPerEpoch;
      for (const chart of charts) chart.clear(steps);
      el.progress.max = steps;
      el.progress.value = 0;
      el.epochRows.replaceChildren();
      el.progressText.textContent =
        `Training Lenet-300-100 (${event.connections.toLocaleString('en')} connections, K = ${event.request.k}, ${event.request.strategy}${event.request.keepFraction === undefined ? '' : ` keeping ${event.request.keepFraction * 100}% of each layer`}) ` +
        `on ${event.trainImages.toLocaleString('en')} images: ${steps} steps of ${event.recipe.batchSize}, learning rate ${event.recipe.learningRate}…`;
      return;
    }
    case 'step': {
      if (!run) return;
      run.lossAverage = run.lossAverage === null ? event.loss : 0.9 * run.lossAverage + 0.1 * event.loss;
      lossChart.series[0]!.points.push([event.step, event.loss]);
      lossChart.series[1]!.points.push([event.step, run.lossAverage]);
      lossChart.invalidate();
      run.recentMs.push(event.ms);
      if (run.recentMs.length > 20) run.recentMs.shift();
      const stepsPerSecond = 1000 / (run.recentMs.reduce((a, b) => a + b, 0) / run.recentMs.length);
      el.progress.value = event.step;
      el.progressText.textContent =
        `Epoch ${event.epoch + 1} of ${run.epochs}, step ${event.step} of ${run.epochs * run.batches}: loss ${event.loss.toFixed(3)}, ` +
        `${stepsPerSecond.toFixed(1)} steps/s${run.lastTest === null ? '' : `, last test accuracy ${percent(run.lastTest, 2)}`}`;
      return;
    }
    case 'probe':
      accuracyChart.series[0]!.points.push([event.step, event.probeAccuracy]);
      if (event.selectionChange !== null) changeChart.series[0]!.points.push([event.step, event.selectionChange]);
      accuracyChart.invalidate();
      changeChart.invalidate();
      describe();
      return;
    case 'epoch': {
      const m = event.metrics;
      if (run) run.lastTest = m.testAccuracy;
      if (m.testAccuracy !== null) accuracyChart.series[1]!.points.push([m.step, m.testAccuracy]);
      accuracyChart.series[2]!.points.push([m.step, m.trainAccuracy]);
      accuracyChart.invalidate();
      addEpochRow([
        `${m.epoch}`,
        m.learningRate.toPrecision(3),
        m.trainLoss.toFixed(4),
        percent(m.trainAccuracy, 2),
        m.testAccuracy === null ? '–' : percent(m.testAccuracy, 2),
        m.selectionChange === null ? '–' : percent(m.selectionChange, 2),
        m.seconds.toFixed(1),
        `${event.numTensors}`,
      ]);
      drawHistograms(event.histograms);
      trained = true;
      el.download.disabled = false;
      el.downloadCompact.disabled = false;
      describe();
      return;
    }
    case 'done': {
      const test = run?.lastTest ?? null;
      el.progressText.textContent =
        `${event.aborted ? 'Stopped' : 'Finished'} after ${event.steps} steps in ${event.seconds.toFixed(1)} s` +
        `${test === null ? '' : `: test accuracy ${percent(test, 2)} on 10,000 images`}. ${event.numTensors} tensors remain (the network).`;
      run = null;
      setIdle(true);
      return;
    }
  }
}

function addEpochRow(cells: string[]): void {
  const row = document.createElement('tr');
  cells.forEach((text, i) => {
    const cell = document.createElement(i === 0 ? 'th' : 'td');
    if (i === 0) cell.setAttribute('scope', 'row');
    cell.textContent = text;
    row.append(cell);
  });
  el.epochRows.append(row);
}

function drawHistograms(histograms: readonly LayerHistogram[]): void {
  lastHistograms = histograms;
  while (el.histograms.children.length < histograms.length) {
    const figure = document.createElement('figure');
    const canvas = document.createElement('canvas');
    canvas.setAttribute('role', 'img');
    figure.append(canvas);
    el.histograms.append(figure);
  }
  histograms.forEach((h, i) => {
    const canvas = el.histograms.children[i]!.querySelector('canvas')!;
    canvas.setAttribute('aria-label', drawLayerHistogram(canvas, h));
  });
}

/** Keeps the charts' text alternatives current. */
function describe(): void {
  const last = <T>(points: readonly T[]) => points[points.length - 1];
  const loss = last(lossChart.series[1]!.points);
  const probe = last(accuracyChart.series[0]!.points);
  const test = last(accuracyChart.series[1]!.points);
  const change = last(changeChart.series[0]!.points);
  if (loss) $('loss-chart').setAttribute('aria-label', `Training loss, moving average ${loss[1].toFixed(3)} at step ${loss[0]}`);
  if (probe) {
    $('accuracy-chart').setAttribute(
      'aria-label',
      `Accuracy at step ${probe[0]}: ${percent(probe[1])} on the first 1,000 test images${test ? `; ${percent(test[1], 2)} on all 10,000 test images at step ${test[0]}` : ''}`,
    );
  }
  if (change) $('change-chart').setAttribute('aria-label', `Share of selections changing: ${percent(change[1], 2)} in the 10 steps before step ${change[0]}`);
}

function offerDownload(modelJson: object, weights: ArrayBuffer): void {
  offerFiles('The selected network as a TensorFlow.js LayersModel (open it with tf.loadLayersModel): ', [
    ['model.json', new Blob([JSON.stringify(modelJson)], { type: 'application/json' })],
    ['weights.bin', new Blob([weights], { type: 'application/octet-stream' })],
  ]);
}

/** Offers `files` as links after `text` and starts their downloads. */
function offerFiles(text: string, files: ReadonlyArray<readonly [string, Blob]>): void {
  el.downloads.querySelectorAll('a').forEach((a) => URL.revokeObjectURL(a.href));
  const links = files.map(([name, blob]) => {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = name;
    a.textContent = `${name} (${(blob.size / 1024).toFixed(0)} KiB)`;
    return a;
  });
  el.downloads.replaceChildren(text, ...links);
  for (const a of links) a.click();
}

function showLoaded(m: LoadedModelSummary): void {
  const kib = (m.bytes / 1024).toFixed(0);
  const float32 = ((m.connections * 4) / 1024).toFixed(0);
  el.loaded.hidden = false;
  el.loaded.textContent =
    `Loaded ${m.name} (${kib} KiB; its ${m.connections.toLocaleString('en')} weights as float32 would take ${float32} KiB): K = ${m.k}, seed ${m.seed}, ` +
    `${m.bitsPerConnection} bits per connection. Rebuilt from the seed, it scores ${percent(m.testAccuracy, 2)} on the ${m.testImages.toLocaleString('en')} test images.`;
}

function setRunning(): void {
  el.start.disabled = true;
  el.stop.disabled = false;
  el.download.disabled = true;
  el.downloadCompact.disabled = true;
  el.loadModel.disabled = true;
  for (const input of [el.k, el.strategy, el.keep, el.epochs, el.seed, el.threads]) input.disabled = true;
}

function setIdle(canTrain: boolean): void {
  el.start.disabled = !canTrain;
  el.stop.disabled = true;
  el.download.disabled = !trained;
  el.downloadCompact.disabled = !trained;
  el.loadModel.disabled = !canTrain;
  for (const input of [el.k, el.strategy, el.keep, el.epochs, el.seed]) input.disabled = false;
  el.threads.disabled = !threadsChoosable;
  fitKToStrategy();
}

function chosenStrategy(): DemoStrategyId {
  const value = el.strategy.value;
  return value === 'probabilistic' || value === 'edge-popup' || value === 'supermask' ? value : 'greedy';
}

/**
 * The pruning strategies have one weight per connection and the zero option: K is 2 and not a
 * choice. edge-popup's share of connections kept is, and only for it.
 */
function fitKToStrategy(): void {
  const pruning = chosenStrategy() === 'edge-popup' || chosenStrategy() === 'supermask';
  if (pruning) el.k.value = '2';
  el.k.disabled = pruning || el.strategy.disabled;
  el.keepField.hidden = chosenStrategy() !== 'edge-popup';
}
el.strategy.addEventListener('change', fitKToStrategy);

function showError(text: string): void {
  el.error.textContent = text;
  el.error.hidden = false;
}

function hideError(): void {
  el.error.hidden = true;
  el.error.textContent = '';
}
