import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Network } from '@slot-machines/core';
import { loadCheckpointVariables, train, type TrainResult } from '@slot-machines/trainer';
import { createFileCheckpointStore, writeFileAtomic, writeMetricsLog } from '@slot-machines/trainer/node';
import { CliError } from './CliError';
import { loadRunData } from './loadRunData';
import { createProgress } from './progress';
import { buildNetwork, describeRun, type RunSpec } from './runSpec';

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
  options: { resume: boolean; backend: string; quiet: boolean; stderr: NodeJS.WriteStream; signal?: AbortSignal },
): Promise<RunSummary> {
  const started = performance.now();
  const data = await loadRunData(spec);
  const network = spec.finetuneFrom ? await selectedNetworkOf(spec.finetuneFrom) : buildNetwork(spec);
  const progress = createProgress(options.stderr, options.quiet);
  await writeFileAtomic(join(outDir, 'config.json'), `${JSON.stringify(spec, null, 2)}\n`);
  const name = describeRun(spec);
  if (!options.quiet) {
    options.stderr.write(
      `${name} on ${spec.dataset} (${data.train.size} train, ${data.validation.size} validation, ${data.test.size} test), ` +
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
      },
      checkpoints: createFileCheckpointStore(outDir),
      resume: options.resume,
      runInfo: spec,
      onStep: (p) => progress.step(p),
      onEpoch: async (m) => {
        progress.epoch(m, spec.epochs);
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
    await writeFileAtomic(join(outDir, 'summary.json'), `${JSON.stringify({ ...summary, result: { best: result.best, stoppedEarly: result.stoppedEarly, epochs: result.history.length } }, null, 2)}\n`);
    return summary;
  } finally {
    network.dispose();
  }
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
  checkpoint: 'best' | 'last',
  options: { evalMode?: 'argmax' | 'sample' } = {},
): Promise<{ spec: RunSpec; network: Network }> {
  const spec = await readRunSpec(runDir);
  const path = join(runDir, `${checkpoint}.safetensors`);
  if (!existsSync(path)) throw new CliError(`${path}: no such checkpoint (a run writes best.safetensors once it has validation results)`);
  const bytes = new Uint8Array(await readFile(path));
  const network = spec.finetuneFrom ? await selectedNetworkOf(spec.finetuneFrom) : buildNetwork(spec, options);
  try {
    loadCheckpointVariables(network, bytes, path);
    return { spec, network };
  } catch (e) {
    network.dispose();
    throw e;
  }
}

/** The trainable argmax network of a run's best checkpoint: the start of finetuning. */
async function selectedNetworkOf(runDir: string): Promise<Network> {
  const { network } = await loadRunNetwork(resolve(runDir), 'best');
  try {
    return network.extract({ trainable: true });
  } finally {
    network.dispose();
  }
}
