import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { cpus, totalmem, type as osType, release } from 'node:os';
import { join } from 'node:path';
import { evaluate } from '@slot-machines/trainer';
import { CliError, validate } from '../CliError';
import { loadRunData } from '../loadRunData';
import { loadRunNetwork, readRunSpec, type RunSummary } from '../runTraining';
import type { RunSpec } from '../runSpec';

/** One row of a `reproduce` table: a configuration, what the paper reports for it, and the RunSpec fields it sets. */
export interface ReproduceConfig {
  /** The run directory's name (with `-seed<N>` where a table has several seeds) and the JSONL's. */
  readonly key: string;
  readonly label: string;
  /** What the paper reports for this configuration (its full protocol), or '-'. */
  readonly paper: string;
  readonly given: Partial<Record<keyof RunSpec, unknown>>;
}

const CIFAR10_RECORD_BYTES = 3073;

/** Records in `dir`/data_batch_1.bin (10,000 in the official files). */
export function batchOneRows(dir: string): number {
  const path = join(dir, 'data_batch_1.bin');
  if (!existsSync(path)) throw new CliError(`${path}: no such file; --data-dir must be the cifar-10-batches-bin directory (data_batch_1.bin ... data_batch_5.bin, test_batch.bin)`);
  const bytes = statSync(path).size;
  if (bytes === 0 || bytes % CIFAR10_RECORD_BYTES !== 0) throw new CliError(`${path}: ${bytes} bytes is not a whole number of ${CIFAR10_RECORD_BYTES}-byte CIFAR-10 records`);
  return bytes / CIFAR10_RECORD_BYTES;
}

/** The machine line of a report: CPU, cores, memory, OS and Node. */
export function machineLine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${cpu}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${osType()} ${release()}, Node ${process.version}`;
}

/**
 * Where a configuration's run stands: `finished` (summary.json), `unfinished` (a checkpoint to
 * continue from) or `new`. A directory holding a run of another configuration is refused.
 */
export async function runDirectoryState(spec: RunSpec, dir: string): Promise<'finished' | 'unfinished' | 'new'> {
  if (!existsSync(join(dir, 'config.json'))) return 'new';
  // a field newer than the run (absent from its config.json) takes the value asked for now
  const saved = { ...spec, ...(await readRunSpec(dir)) };
  if (JSON.stringify(saved) !== JSON.stringify(spec)) {
    const field = (Object.keys(spec) as Array<keyof RunSpec>).find((k) => JSON.stringify(saved[k]) !== JSON.stringify(spec[k]));
    throw new CliError(
      `${join(dir, 'config.json')}: ${dir} holds a run of another configuration (${field}: ${JSON.stringify(saved[field!])} there, ${JSON.stringify(spec[field!])} now): ` +
        'pass another --out, or delete it',
    );
  }
  if (existsSync(join(dir, 'summary.json'))) return 'finished';
  return 'unfinished';
}

/** A finished run's summary from its files (metrics.jsonl, summary.json), without training. */
export async function readFinishedRun(dir: string, backend: string): Promise<RunSummary> {
  const spec = await readRunSpec(dir);
  const saved = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8')) as { name: string; backend: string; seconds: number; result: { best: RunSummary['result']['best']; stoppedEarly: boolean } };
  const history = (await readFile(join(dir, 'metrics.jsonl'), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as RunSummary['result']['history'][number]);
  return {
    name: saved.name,
    spec,
    backend: saved.backend ?? backend,
    result: { history, best: saved.result.best, stoppedEarly: saved.result.stoppedEarly, aborted: false, steps: history.at(-1)?.step ?? 0, resumedFrom: null },
    finalTestAccuracy: history.at(-1)?.testAccuracy ?? null,
    seconds: saved.seconds,
  };
}

/** Test accuracy of one network sampled from a PS run's last scores. */
export async function sampledAccuracy(dir: string): Promise<number> {
  const { spec, network } = await loadRunNetwork(dir, 'last', { evalMode: 'sample' });
  try {
    return evaluate(network, (await loadRunData(spec)).test).accuracy;
  } finally {
    network.dispose();
  }
}


/** `--seeds 0,1`: distinct seeds >= 0, in the order given. */
export function parseSeeds(text: string): number[] {
  const seeds = text.split(',').map((s) => validate.parseInteger('--seeds', s.trim(), 0));
  if (new Set(seeds).size !== seeds.length) throw new CliError(`--seeds: expected distinct seeds, e.g. 0,1,2,3, got '${text}'`);
  return seeds;
}

/** The short commit of the working directory's checkout (what a report names), or 'unknown (not a git checkout)'. */
export function gitCommit(): string {
  const r = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
  if (r.status !== 0 || !r.stdout.trim()) return 'unknown (not a git checkout)';
  // the code that runs differs from the commit when packages/ has uncommitted changes (the reports
  // this command writes itself, under docs/, do not count)
  const dirty = spawnSync('git', ['diff', '--quiet', 'HEAD', '--', 'packages'], { encoding: 'utf8' }).status === 1;
  return `${r.stdout.trim()}${dirty ? '-dirty (uncommitted changes in packages/)' : ''}`;
}
