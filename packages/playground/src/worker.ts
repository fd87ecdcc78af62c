// The training worker: starts TensorFlow.js (wasm SIMD, threads when the page is cross-origin
// isolated), loads the packed MNIST, trains on request and streams events to the page, which
// therefore never blocks. One network at a time; it stays for export until the next start.
import type { Network } from '@slot-machines/core';
import type { ImageDataset } from '@slot-machines/datasets';
import { initRuntime } from '@slot-machines/runtime-web';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import mnistPackUrl from '../generated/mnist-pack.bin.gz?url';
import { exportCompactModel, loadAndTestCompactModel } from './compactModel';
import { loadMnistPack } from './loadMnistPack';
import type { DemoRequest, FromWorker, RuntimeRequest, ToWorker } from './protocol';
import { exportSelectedNetwork, runDemoTraining } from './trainingSession';

interface WorkerScope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  addEventListener(type: 'error' | 'unhandledrejection', listener: (event: Event) => void): void;
  readonly crossOriginIsolated?: boolean;
  readonly navigator: { readonly hardwareConcurrency?: number };
}
const scope = self as unknown as WorkerScope;
const post = (message: FromWorker, transfer: Transferable[] = []) => scope.postMessage(message, transfer);
const messageOf = (error: unknown) => (error instanceof Error ? error.message : typeof error === 'object' && error && 'message' in error ? String(error.message) : String(error));

let ready: Promise<ImageDataset> | null = null;
let network: Network | null = null;
let trainedWith: DemoRequest | null = null;
let running: AbortController | null = null;

/** One macrotask: lets `stop` and `export` messages in between training steps. */
const channel = new MessageChannel();
const waiting: Array<() => void> = [];
channel.port1.onmessage = () => waiting.shift()?.();
const yieldToHost = () =>
  new Promise<void>((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });

async function init(runtime: RuntimeRequest): Promise<ImageDataset> {
  const started = performance.now();
  const [info, data] = await Promise.all([
    initRuntime({
      wasmPaths: { 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd },
      threads: runtime.threads,
      backend: runtime.backend,
    }),
    loadMnistPack(mnistPackUrl),
  ]);
  post({
    type: 'ready',
    runtime: info,
    crossOriginIsolated: scope.crossOriginIsolated === true,
    hardwareConcurrency: scope.navigator.hardwareConcurrency ?? 1,
    data: { trainImages: data.dataset.trainCount, testImages: data.dataset.testCount, bytes: data.bytes, seconds: (performance.now() - started) / 1000 },
  });
  return data.dataset;
}

async function start(message: Extract<ToWorker, { type: 'start' }>): Promise<void> {
  if (!ready) throw new Error('the worker was asked to train before it was initialised');
  if (running) throw new Error('a training run is in progress: stop it first');
  const dataset = await ready;
  network?.dispose();
  network = null;
  trainedWith = null;
  running = new AbortController();
  try {
    const outcome = await runDemoTraining(dataset, message.request, {
      emit: (event) => post({ type: 'training', event }),
      signal: running.signal,
      yieldToHost,
    });
    network = outcome.network;
    trainedWith = message.request;
  } finally {
    running = null;
  }
}

function exportModel(): void {
  if (!network) throw new Error('there is no trained network to download yet: train one first');
  const { modelJson, weights } = exportSelectedNetwork(network);
  post({ type: 'model', modelJson, weights }, [weights]);
}

function exportCompact(): void {
  if (!network) throw new Error('there is no trained network to download yet: train one first');
  const bytes = exportCompactModel(network, trainedWith);
  post({ type: 'compact', bytes: bytes.buffer as ArrayBuffer }, [bytes.buffer as ArrayBuffer]);
}

async function load(message: Extract<ToWorker, { type: 'load' }>): Promise<void> {
  if (!ready) throw new Error('the worker was asked to load a model before it was initialised');
  const dataset = await ready;
  post({ type: 'loaded', summary: loadAndTestCompactModel(new Uint8Array(message.bytes), message.name, dataset) });
}

scope.onmessage = (event) => {
  const message = event.data;
  switch (message.type) {
    case 'init':
      if (ready) return;
      ready = init(message.runtime);
      ready.catch((error: unknown) => post({ type: 'error', during: 'init', message: messageOf(error) }));
      return;
    case 'start':
      start(message).catch((error: unknown) => post({ type: 'error', during: 'training', message: messageOf(error) }));
      return;
    case 'stop':
      running?.abort();
      return;
    case 'export':
      try {
        exportModel();
      } catch (error) {
        post({ type: 'error', during: 'export', message: messageOf(error) });
      }
      return;
    case 'export-compact':
      try {
        exportCompact();
      } catch (error) {
        post({ type: 'error', during: 'export', message: messageOf(error) });
      }
      return;
    case 'load':
      load(message).catch((error: unknown) => post({ type: 'error', during: 'load', message: messageOf(error) }));
      return;
    default:
      post({ type: 'error', during: 'worker', message: `unknown message ${JSON.stringify(message)}` });
  }
};

scope.addEventListener('error', (event) => post({ type: 'error', during: 'worker', message: messageOf((event as ErrorEvent).error ?? (event as ErrorEvent).message) }));
scope.addEventListener('unhandledrejection', (event) => post({ type: 'error', during: 'worker', message: messageOf((event as PromiseRejectionEvent).reason) }));
