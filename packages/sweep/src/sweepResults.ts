import { join } from 'node:path';
import type { AxisValue } from './SweepGrid';
import { SweepError } from './SweepError';
import { readSweepPlan, type PlannedRun, type SweepPlan } from './planSweep';
import { inspectRunDirectory, type EpochRecord } from './runDirectory';

/** A finished run's numbers, from its directory. Accuracies are fractions. */
export interface RunResult<Spec = unknown> {
  readonly run: PlannedRun<Spec>;
  readonly epochs: readonly EpochRecord[];
  /** The epoch of best validation accuracy and the test accuracy there (the paper's early stopping); null without validation. */
  readonly best: { readonly epoch: number; readonly valAccuracy: number; readonly testAccuracy: number | null } | null;
  /** Test accuracy at the best validation epoch, else at the last epoch: what a report compares. */
  readonly testAccuracy: number | null;
  readonly lastTestAccuracy: number | null;
  /** Training time, the sum of the epochs' times (a resumed run's too). */
  readonly seconds: number;
}

/** The plan of the sweep in `dir`, its finished runs' results, and the ids of the runs not finished. */
export async function collectSweepResults<Spec = unknown>(dir: string): Promise<{ plan: SweepPlan<Spec>; results: Array<RunResult<Spec>>; unfinished: string[] }> {
  const plan = await readSweepPlan<Spec>(dir);
  const results: Array<RunResult<Spec>> = [];
  const unfinished: string[] = [];
  for (const run of plan.runs) {
    const state = await inspectRunDirectory(join(dir, run.id));
    if (state.stage !== 'finished') {
      unfinished.push(run.id);
      continue;
    }
    const best = state.summary?.result?.best ?? null;
    const last = state.epochs.at(-1)?.testAccuracy ?? null;
    results.push({
      run,
      epochs: state.epochs,
      best,
      testAccuracy: best?.testAccuracy ?? last,
      lastTestAccuracy: last,
      seconds: state.epochs.reduce((s, e) => s + (e.seconds ?? 0), 0),
    });
  }
  return { plan, results, unfinished };
}

/** Runs that differ only in the averaged axes (e.g. seeds), summarised. */
export interface AggregatedPoint {
  /** The value of the x axis. */
  readonly x: AxisValue;
  /** The other axes' values (neither x nor averaged), e.g. `strategy=greedy`; '' when there are none. */
  readonly series: string;
  readonly n: number;
  readonly mean: number;
  /** Sample standard deviation (0 for one run). */
  readonly sd: number;
  readonly min: number;
  readonly max: number;
  readonly runs: readonly string[];
}

/**
 * Groups finished runs by the `x` axis and the remaining axes (one series per combination),
 * averaging their test accuracy over the `over` axes (default: `seed` when the grid has it).
 * Points come sorted by series, then by x (numbers numerically).
 */
export function aggregateSweep(plan: SweepPlan, results: readonly RunResult[], options: { readonly x?: string; readonly over?: readonly string[] } = {}): AggregatedPoint[] {
  const x = options.x ?? plan.axes[0]!;
  if (!plan.axes.includes(x)) throw new SweepError(`--x: expected an axis of the grid (${plan.axes.join(', ')}), got '${x}'`);
  const over = options.over ?? plan.axes.filter((a) => a === 'seed' && a !== x);
  const unknown = over.filter((a) => !plan.axes.includes(a) || a === x);
  if (unknown.length) throw new SweepError(`--over: expected axes of the grid other than --x ${x} (${plan.axes.filter((a) => a !== x).join(', ')}), got '${unknown.join(',')}'`);
  const seriesAxes = plan.axes.filter((a) => a !== x && !over.includes(a));
  const groups = new Map<string, { x: AxisValue; series: string; values: number[]; runs: string[] }>();
  for (const r of results) {
    if (r.testAccuracy === null) continue;
    const series = seriesAxes.map((a) => `${a}=${r.run.point[a]}`).join(', ');
    const key = JSON.stringify([series, r.run.point[x]]);
    const g = groups.get(key) ?? { x: r.run.point[x]!, series, values: [], runs: [] };
    g.values.push(r.testAccuracy);
    g.runs.push(r.run.id);
    groups.set(key, g);
  }
  const order = (a: AxisValue, b: AxisValue) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b)));
  return [...groups.values()]
    .map((g) => {
      const mean = g.values.reduce((s, v) => s + v, 0) / g.values.length;
      const sd = g.values.length > 1 ? Math.sqrt(g.values.reduce((s, v) => s + (v - mean) ** 2, 0) / (g.values.length - 1)) : 0;
      return { x: g.x, series: g.series, n: g.values.length, mean, sd, min: Math.min(...g.values), max: Math.max(...g.values), runs: g.runs };
    })
    .sort((a, b) => a.series.localeCompare(b.series) || order(a.x, b.x));
}
