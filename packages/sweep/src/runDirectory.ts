import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SweepError } from './SweepError';
import { writeFileAtomic } from './writeFileAtomic';

/**
 * One line of a run's `metrics.jsonl` as a sweep reads it (the CLI writes more fields: loss,
 * learning rate, selection change...). Accuracies are fractions in [0, 1].
 */
export interface EpochRecord {
  readonly epoch: number;
  readonly valAccuracy: number | null;
  readonly testAccuracy: number | null;
  readonly seconds: number;
  readonly [field: string]: unknown;
}

/** What a run directory (the CLI's: config.json, last.safetensors, metrics.jsonl, summary.json) says about its run. */
export interface RunDirectoryState {
  /** `new`: nothing trained (at most config.json); `started`: a checkpoint to resume from; `finished`: summary.json. */
  readonly stage: 'new' | 'started' | 'finished';
  /** config.json, when written. */
  readonly config: unknown;
  /** The finished epochs of metrics.jsonl. */
  readonly epochs: readonly EpochRecord[];
  /** summary.json, when finished. */
  readonly summary: { readonly result?: { readonly best?: { epoch: number; valAccuracy: number; testAccuracy: number | null } | null } } | null;
}

/** Reads a run directory without changing it; a missing directory is a new run. */
export async function inspectRunDirectory(dir: string): Promise<RunDirectoryState> {
  const config = await readJson(join(dir, 'config.json'));
  const summary = (await readJson(join(dir, 'summary.json'))) as RunDirectoryState['summary'];
  const metricsPath = join(dir, 'metrics.jsonl');
  const epochs = existsSync(metricsPath)
    ? (await readFile(metricsPath, 'utf8'))
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line, i) => {
          try {
            return JSON.parse(line) as EpochRecord;
          } catch {
            throw new SweepError(`${metricsPath}:${i + 1}: not a JSON line`);
          }
        })
    : [];
  const stage = summary !== null ? 'finished' : existsSync(join(dir, 'last.safetensors')) ? 'started' : 'new';
  return { stage, config, epochs, summary };
}

async function readJson(path: string): Promise<unknown> {
  if (!existsSync(path)) return null;
  const text = await readFile(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SweepError(`${path}: not valid JSON (${(error as Error).message})`);
  }
}

/** One entry of a run's `sweep-events.jsonl`: who did what to the run, when. */
export interface RunEvent {
  /** `start` (from epoch 1), `resume` (from a checkpoint), `found-finished` (already done: nothing trained), `finish`, `fail`, `stop` (handed back). */
  readonly event: 'start' | 'resume' | 'found-finished' | 'finish' | 'fail' | 'stop';
  readonly worker: string;
  readonly at: string;
  /** The completed epochs when it happened. */
  readonly epoch: number;
  readonly detail?: string;
}

/** The file of a run directory that logs its sweep events. */
export const EVENTS_FILE = 'sweep-events.jsonl';

/** Appends an event to `dir/sweep-events.jsonl` (rewritten whole through a temporary file: one writer holds a run at a time). */
export async function appendRunEvent(dir: string, event: RunEvent): Promise<void> {
  const path = join(dir, EVENTS_FILE);
  const before = existsSync(path) ? await readFile(path, 'utf8') : '';
  await writeFileAtomic(path, `${before}${JSON.stringify(event)}\n`);
}

/** The events of a run directory, oldest first. */
export async function readRunEvents(dir: string): Promise<RunEvent[]> {
  const path = join(dir, EVENTS_FILE);
  if (!existsSync(path)) return [];
  return (await readFile(path, 'utf8'))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as RunEvent);
}
