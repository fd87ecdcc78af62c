// The messages between the page and the training worker. Types only: the page imports no tfjs.
import type { WebRuntimeInfo } from '@slot-machines/runtime-web';
import type { EpochMetrics } from '@slot-machines/trainer';

/** The selection strategies the demo offers (edge-popup and supermask prune one weight per connection: K = 2). */
export type DemoStrategyId = 'greedy' | 'probabilistic' | 'edge-popup' | 'supermask';

/** What the visitor chooses. Plain JSON. */
export interface DemoRequest {
  /** Options per connection. */
  readonly k: number;
  readonly strategy: DemoStrategyId;
  /** edge-popup only: the share of each layer's connections kept, in (0, 1] (0.5 when absent). Absent for the other strategies. */
  readonly keepFraction?: number;
  readonly epochs: number;
  /** Seed of the options, the initial scores, the batch order and any sampling: same seed, same curves. */
  readonly seed: number;
}

/** How the worker starts TensorFlow.js (from the page's URL: `?threads=1`, `?backend=cpu`). */
export interface RuntimeRequest {
  readonly threads: boolean | number;
  readonly backend: 'auto' | 'wasm' | 'cpu';
}

/** A histogram over `[lo, hi]` in `counts.length` equal bins. */
export interface Histogram {
  readonly lo: number;
  readonly hi: number;
  readonly counts: readonly number[];
  readonly total: number;
}

/** One slot layer's Figure 11: the distribution of all K options and of the selected ones. */
export interface LayerHistogram {
  readonly layer: string;
  /** The options are drawn from U(-bound, bound). */
  readonly bound: number;
  readonly options: Histogram;
  readonly selected: Histogram;
}

/** Events of one training run, in order: started, then steps with probes and epochs, then done. */
export type TrainingEvent =
  | {
      readonly type: 'started';
      readonly request: DemoRequest;
      readonly recipe: { readonly learningRate: number; readonly weightDecay: number; readonly momentum: number; readonly batchSize: number };
      readonly batchesPerEpoch: number;
      readonly trainImages: number;
      readonly testImages: number;
      /** Connections (weights of the selected network) over all slot layers. */
      readonly connections: number;
      /** Tensors alive once the network, optimizer and probes exist. */
      readonly numTensors: number;
    }
  | {
      readonly type: 'step';
      /** 1-based step count so far. */
      readonly step: number;
      /** 0-based epoch and batch. */
      readonly epoch: number;
      readonly batch: number;
      readonly batches: number;
      readonly loss: number;
      readonly learningRate: number;
      /** Milliseconds of this training step (batch, forward, backward, update), without the demo's own probes. */
      readonly ms: number;
    }
  | {
      readonly type: 'probe';
      readonly step: number;
      /** Accuracy of the argmax network on the probe images (the first `probeImages` test images). */
      readonly probeAccuracy: number;
      readonly probeImages: number;
      /** Share of connections whose argmax choice changed since the previous probe; null for the probe before the first step. */
      readonly selectionChange: number | null;
    }
  | {
      readonly type: 'epoch';
      readonly metrics: EpochMetrics;
      /** `tf.memory().numTensors` after the epoch: flat across epochs, or something leaks. */
      readonly numTensors: number;
      readonly histograms: readonly LayerHistogram[];
    }
  | { readonly type: 'done'; readonly aborted: boolean; readonly steps: number; readonly seconds: number; readonly numTensors: number };

/** A compact model the worker loaded and tested. */
export interface LoadedModelSummary {
  /** The file's name. */
  readonly name: string;
  readonly bytes: number;
  readonly k: number;
  readonly seed: number;
  /** Connections of its slot layers, and the bits each one's choice takes. */
  readonly connections: number;
  readonly bitsPerConnection: number;
  /** Accuracy of the rebuilt network on the test images. */
  readonly testAccuracy: number;
  readonly testImages: number;
}

/** Page -> worker. */
export type ToWorker =
  | { readonly type: 'init'; readonly runtime: RuntimeRequest }
  | { readonly type: 'start'; readonly request: DemoRequest }
  | { readonly type: 'stop' }
  | { readonly type: 'export' }
  /** The trained network as a compact model (`model.slot`). */
  | { readonly type: 'export-compact' }
  /** Rebuild the network of a compact model file and test it. */
  | { readonly type: 'load'; readonly name: string; readonly bytes: ArrayBuffer };

/** Worker -> page. */
export type FromWorker =
  | {
      readonly type: 'ready';
      readonly runtime: WebRuntimeInfo;
      readonly crossOriginIsolated: boolean;
      readonly hardwareConcurrency: number;
      readonly data: { readonly trainImages: number; readonly testImages: number; readonly bytes: number; readonly seconds: number };
    }
  | { readonly type: 'training'; readonly event: TrainingEvent }
  | { readonly type: 'model'; readonly modelJson: object; readonly weights: ArrayBuffer }
  | { readonly type: 'compact'; readonly bytes: ArrayBuffer }
  | { readonly type: 'loaded'; readonly summary: LoadedModelSummary }
  | { readonly type: 'error'; readonly during: 'init' | 'training' | 'export' | 'load' | 'worker'; readonly message: string };
