import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { architecture } from '@slot-machines/architectures';
import { summarizeNetwork, type Network } from '@slot-machines/core';
import { keptCheckpointName, loadCheckpointVariables, train, type EpochMetrics, type StepProgress, type TrainResult } from '@slot-machines/trainer';
import { createFileCheckpointStore, writeFileAtomic, writeMetricsLog } from '@slot-machines/trainer/node';
import { CliError } from './CliError';
import { loadRunData } from './loadRunData';
import { createProgress } from './progress';
import { buildNetwork, describeRun, type RunSpec } from './runSpec';
import type { TensorboardLog } from './tensorboard';

export interface RunSummary {
  readonly name: string;
  readonly spec: RunSpec;
  readonly backend: string;
  readonly result: TrainResult;
  readonly finalTestAccuracy: number | null;
  readonly seconds: number;
}

/**
 * Trains the run `spec` into `outDir`: `config.json`, `metrics.jsonl` (rewritten after each epoch),
 * `last.safetensors` / `best.safetensors` checkpoints and `summary.json`. With `resume`, continues
 * from `last.safetensors`.
 */
export async function runTraining(
  spec: RunSpec,
  outDir: string,
  options: {
    resume: boolean;
    backend: string;
    quiet: boolean;
    stderr: NodeJS.WriteStream;
    /** Stops after the current step, keeping the last checkpoint: no summary.json, the run stays resumable. */
    signal?: AbortSignal;
    tensorboard?: TensorboardLog;
    /** After each step (awaited: a sweep worker yields to its event loop here). */
    onStep?: (progress: StepProgress) => void | Promise<void>;
    /** After each epoch, once its checkpoints and metrics.jsonl are written. */
    onEpoch?: (metrics: EpochMetrics) => void | Promise<void>;
  },
): Promise<RunSummary> {
  const started = performance.now();
  const resume = checkRunDirectory(outDir, options.resume);
  if (options.resume && !resume && !options.quiet) options.stderr.write(`${outDir} has no checkpoint yet: starting at epoch 1\n`);
  checkMemory(spec);
  const data = await loadRunData(spec);
  const network = spec.finetuneFrom
    ? await selectedNetworkOf(spec.finetuneFrom, sourceCheckpoint(spec))
    : buildNetwork(spec, { stepsPerEpoch: data.train.batchesPerEpoch });
  const progress = createProgress(options.stderr, options.quiet);
  await removeLeftoverTemporaries(outDir);
  if (spec.finetuneFrom) await keepSource(spec.finetuneFrom, outDir, sourceCheckpoint(spec));
  await writeFileAtomic(join(outDir, 'config.json'), `${JSON.stringify(spec, null, 2)}\n`);
  const name = describeRun(spec);
  if (!options.quiet) {
    options.stderr.write(
      `${name} on ${spec.dataset} (${data.train.size} train, ${data.validation ? `${data.validation.size} validation` : 'no validation'}, ${data.test.size} test), ` +
        `${spec.epochs} epochs, batch ${spec.batchSize}, lr ${spec.learningRate}, seed ${spec.seed} -> ${outDir}\n`,
    );
  }
  try {
    const result = await train({
      network,
      data,
      config: {
        epochs: spec.epochs,
        learningRate: spec.learningRate,
        momentum: spec.momentum,
        weightDecay: spec.weightDecay,
        schedule: spec.schedule,
        patience: spec.patience,
        checkpointEverySteps: spec.checkpointEverySteps,
        ...(spec.keepEvery ? { keepEvery: spec.keepEvery } : {}),
        ...(spec.validateWith ? { validateWith: spec.validateWith } : {}),
      },
      checkpoints: createFileCheckpointStore(outDir),
      resume,
      runInfo: spec,
      onStep: async (p) => {
        progress.step(p);
        await options.onStep?.(p);
      },
      onEpoch: async (m, history) => {
        // after the epoch's checkpoints: the log is never ahead of last.safetensors
        await writeMetricsLog(join(outDir, 'metrics.jsonl'), history);
        options.tensorboard?.epoch(m, network);
        progress.epoch(m, spec.epochs);
        await options.onEpoch?.(m);
      },
      ...(options.signal ? { signal: options.signal } : {}),
    });
    await writeMetricsLog(join(outDir, 'metrics.jsonl'), result.history);
    const summary: RunSummary = {
      name,
      spec,
      backend: options.backend,
      result,
      finalTestAccuracy: result.history.at(-1)?.testAccuracy ?? null,
      seconds: (performance.now() - started) / 1000,
    };
    if (result.aborted) return summary; // not finished: summary.json marks a finished run
    await writeFileAtomic(join(outDir, 'summary.json'), `${JSON.stringify({ ...summary, result: { best: result.best, stoppedEarly: result.stoppedEarly, epochs: result.history.length } }, null, 2)}\n`);
    return summary;
  } finally {
    network.dispose();
  }
}

/** What a run directory holds, in the order a run writes them. */
const RUN_FILES = ['config.json', 'last.safetensors', 'best.safetensors', 'metrics.jsonl', 'summary.json'] as const;

/**
 * Refuses to overwrite a run. Without `resume`, `outDir` must hold none of a run's files; with it,
 * it must hold `last.safetensors` (then: true, continue) or nothing but config.json (a run killed
 * before its first checkpoint: false, start at epoch 1); a finished run (summary.json) is not
 * continued. Reads only: call before anything is written.
 */
export function checkRunDirectory(outDir: string, resume: boolean): boolean {
  const present = RUN_FILES.filter((f) => existsSync(join(outDir, f)));
  if (!resume) {
    if (present.length === 0) return false;
    throw new CliError(`${outDir} already holds a run (${present.join(', ')}): continue it with --resume --out ${outDir}, or choose another --out (or delete ${outDir})`);
  }
  if (present.includes('summary.json')) {
    throw new CliError(`${join(outDir, 'summary.json')}: ${outDir} is a finished run, nothing to resume: evaluate it with 'slot-machines eval --run ${outDir}', or train into another --out`);
  }
  if (present.includes('last.safetensors')) return true;
  const kept = present.filter((f) => f !== 'config.json');
  if (kept.length) {
    throw new CliError(
      `${join(outDir, 'last.safetensors')}: no such checkpoint to resume from, but ${outDir} holds ${kept.join(', ')}, which starting again would overwrite: ` +
        `move them away or train into another --out`,
    );
  }
  return false;
}

/**
 * Refuses a network whose training state (options, scores or weights, momentum: from the plan,
 * before any tensor) alone exceeds this machine's memory, saying both numbers.
 */
export function checkMemory(spec: RunSpec, available = totalmem()): void {
  if (spec.finetuneFrom) return; // the source run's network, which already trained here
  const arch = architecture(spec.architecture, spec.flavour, { padding: spec.padding });
  const bytes = 4 * summarizeNetwork({ ...arch, k: spec.k }).reduce((n, layer) => n + layer.stateFloats, 0);
  if (bytes > available) {
    const gib = (b: number) => `${(b / 2 ** 30).toPrecision(3)} GiB`;
    throw new CliError(`--k ${spec.k}: ${describeRun(spec)} needs ${gib(bytes)} for its options, scores and momentum alone; this machine has ${gib(available)} of memory`);
  }
}

/** Removes the temporary files (`.<name>.<pid>.<hex>.tmp`) a killed atomic write leaves in `dir`. */
async function removeLeftoverTemporaries(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(names.filter((n) => /^\..+\.\d+\.[0-9a-f]{8}\.tmp$/.test(n)).map((n) => rm(join(dir, n), { force: true })));
}

/** Reads a run directory's config.json. */
export async function readRunSpec(runDir: string): Promise<RunSpec> {
  const path = join(runDir, 'config.json');
  if (!existsSync(path)) throw new CliError(`${path}: no such file: is ${runDir} a run directory written by 'slot-machines train'?`);
  try {
    return JSON.parse(await readFile(path, 'utf8')) as RunSpec;
  } catch (e) {
    throw new CliError(`${path}: not valid JSON (${(e as Error).message})`);
  }
}

/** The network of a run directory with the variables of one of its checkpoints. The caller disposes it. */
export async function loadRunNetwork(
  runDir: string,
  /** `best`, `last` or a kept one (`epoch-0005`). */
  checkpoint: string,
  options: { evalMode?: 'argmax' | 'sample' } = {},
): Promise<{ spec: RunSpec; network: Network }> {
  const spec = await readRunSpec(runDir);
  const path = join(runDir, `${checkpoint}.safetensors`);
  if (!existsSync(path)) throw new CliError(`${path}: no such checkpoint (a run writes best.safetensors once it has validation results)`);
  const bytes = new Uint8Array(await readFile(path));
  const network = spec.finetuneFrom ? await selectedNetworkOf(sourceOf(runDir, spec.finetuneFrom, sourceCheckpoint(spec)), sourceCheckpoint(spec)) : buildNetwork(spec, options);
  try {
    loadCheckpointVariables(network, bytes, path);
    return { spec, network };
  } catch (e) {
    network.dispose();
    throw e;
  }
}

/**
 * A finetuned run keeps what rebuilding its network needs, the source run's config.json and
 * best.safetensors (and the source's own source/, for a finetuning of a finetuning), in
 * `source/`, so it can be evaluated and exported after the source run is gone.
 */
async function keepSource(sourceDir: string, outDir: string, checkpoint: string): Promise<void> {
  const kept = join(outDir, 'source');
  if (existsSync(join(kept, `${checkpoint}.safetensors`))) return; // a resumed finetuning
  const from = resolve(sourceDir);
  if (!existsSync(join(from, `${checkpoint}.safetensors`))) return; // selectedNetworkOf says what is missing
  await mkdir(kept, { recursive: true });
  for (const file of ['config.json', `${checkpoint}.safetensors`]) await cp(join(from, file), join(kept, file));
  if (existsSync(join(from, 'source'))) await cp(join(from, 'source'), join(kept, 'source'), { recursive: true });
}

/** The source run of a finetuned run: its own copy when there is one, else the directory it names. */
function sourceOf(runDir: string, finetuneFrom: string, checkpoint: string): string {
  return existsSync(join(runDir, 'source', `${checkpoint}.safetensors`)) ? join(runDir, 'source') : finetuneFrom;
}

/** The source run's checkpoint a finetuning starts from: the one kept at `--from-epoch`, else its best. */
function sourceCheckpoint(spec: RunSpec): string {
  return spec.finetuneEpoch ? keptCheckpointName(spec.finetuneEpoch) : 'best';
}

/** The trainable argmax network of a run's best (or kept) checkpoint: the start of finetuning. */
async function selectedNetworkOf(runDir: string, checkpoint: string): Promise<Network> {
  const path = join(resolve(runDir), `${checkpoint}.safetensors`);
  if (checkpoint !== 'best' && !existsSync(path)) {
    const keepEvery = (await readRunSpec(resolve(runDir))).keepEvery ?? 0;
    throw new CliError(
      `${path}: no such checkpoint: --from-epoch needs a run that kept that epoch's checkpoint (train --keep-every N); ` +
        (keepEvery > 0 ? `${runDir} keeps one every ${keepEvery} epochs` : `${runDir} was trained without --keep-every`),
    );
  }
  const { network } = await loadRunNetwork(resolve(runDir), checkpoint);
  try {
    return network.extract({ trainable: true });
  } finally {
    network.dispose();
  }
}
