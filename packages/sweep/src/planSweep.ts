import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AxisValue, SweepGrid } from './SweepGrid';
import { SweepError } from './SweepError';
import { writeFileAtomic } from './writeFileAtomic';

/** One run of a sweep: its stable id (also its directory's name and its job's id) and what it trains. */
export interface PlannedRun<Spec = unknown> {
  /** From the axis values in the grid's order, e.g. `k8_seed0` or `k2_strategy-greedy_seed1`. */
  readonly id: string;
  /** The run's values of the grid's axes. */
  readonly point: Readonly<Record<string, AxisValue>>;
  /** The complete run spec the resolver made of base + point (for the CLI: the run's config.json). */
  readonly spec: Spec;
}

/** A planned sweep, as `plan.json` in the sweep directory holds it. */
export interface SweepPlan<Spec = unknown> {
  readonly version: 1;
  readonly name: string;
  /** The BullMQ queue of the sweep (from its name). */
  readonly queue: string;
  /** The grid's axes in order: what `report` groups and plots by. */
  readonly axes: readonly string[];
  readonly runs: ReadonlyArray<PlannedRun<Spec>>;
}

/** The file of a sweep directory that holds its plan. */
export const PLAN_FILE = 'plan.json';

/**
 * Expands a grid into its runs: every combination of the axes' values (the first axis varying
 * slowest), each `resolve`d from base + point into a complete spec; a resolver that throws names
 * the run. Ids depend only on the axis values, so planning the same grid again gives the same ids.
 */
export function planSweep<Spec>(grid: SweepGrid, resolve: (params: Readonly<Record<string, unknown>>, runId: string) => Spec): SweepPlan<Spec> {
  const axes = Object.keys(grid.axes);
  const points = axes.reduce<Array<Record<string, AxisValue>>>((acc, axis) => acc.flatMap((point) => grid.axes[axis]!.map((value) => ({ ...point, [axis]: value }))), [{}]);
  const byId = new Map<string, Record<string, AxisValue>>();
  const runs = points.map((point) => {
    const id = runIdOf(point);
    const clash = byId.get(id);
    if (clash) throw new SweepError(`grid: ${JSON.stringify(clash)} and ${JSON.stringify(point)} both make the run id '${id}'; make the values differ in letters or digits`);
    byId.set(id, point);
    return { id, point, spec: resolve({ ...grid.base, ...point }, id) };
  });
  return { version: 1, name: grid.name, queue: queueNameOf(grid.name), axes, runs };
}

/** `{ k: 8, strategy: 'greedy', seed: 0 }` -> `k8_strategy-greedy_seed0`: numbers right after the axis, other values after a `-`. */
export function runIdOf(point: Readonly<Record<string, AxisValue>>): string {
  return Object.entries(point)
    .map(([axis, value]) => `${axis}${typeof value === 'number' ? '' : '-'}${String(value).replace(/[^A-Za-z0-9.+-]+/g, '-')}`)
    .join('_');
}

/** The BullMQ queue a sweep named `name` uses. */
export function queueNameOf(name: string): string {
  return `slot-machines-sweep-${name}`;
}

/**
 * Writes `plan` to `dir/plan.json`. An existing plan is kept when it is the same, extended when
 * the new one only adds runs (same name, every old run with the same spec), and otherwise refused
 * naming the first run that differs: the runs in `dir` belong to the plan that made them.
 */
export async function writeSweepPlan(dir: string, plan: SweepPlan): Promise<{ readonly added: readonly string[]; readonly kept: readonly string[] }> {
  const path = join(dir, PLAN_FILE);
  if (existsSync(path)) {
    const old = await readSweepPlan(dir);
    if (old.name !== plan.name) throw new SweepError(`${path}: ${dir} holds the sweep '${old.name}', not '${plan.name}': plan into another directory`);
    const next = new Map(plan.runs.map((r) => [r.id, r]));
    for (const run of old.runs) {
      const now = next.get(run.id);
      if (!now) throw new SweepError(`${path}: the run ${run.id} is planned there but not in the new grid: a plan only grows; plan into another directory`);
      const field = differingField(run.spec, now.spec);
      if (field !== null) throw new SweepError(`${path}: the run ${run.id} is planned there with ${field.field} ${field.there}, the new grid gives ${field.now}: plan into another directory`);
    }
    const oldIds = new Set(old.runs.map((r) => r.id));
    const added = plan.runs.filter((r) => !oldIds.has(r.id)).map((r) => r.id);
    // the old runs first, in their order: ids once given keep their place
    if (added.length) await writeFileAtomic(path, `${JSON.stringify({ ...plan, runs: [...old.runs.map((r) => next.get(r.id)!), ...plan.runs.filter((r) => !oldIds.has(r.id))] }, null, 2)}\n`);
    return { added, kept: old.runs.map((r) => r.id) };
  }
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(path, `${JSON.stringify(plan, null, 2)}\n`);
  return { added: plan.runs.map((r) => r.id), kept: [] };
}

/** Reads `dir/plan.json`, written by {@link writeSweepPlan}. */
export async function readSweepPlan<Spec = unknown>(dir: string): Promise<SweepPlan<Spec>> {
  const path = join(dir, PLAN_FILE);
  if (!existsSync(path)) throw new SweepError(`${path}: no such file: is ${dir} a sweep directory? Make one with 'slot-machines sweep plan GRID --runs ${dir}'`);
  let plan: SweepPlan<Spec>;
  try {
    plan = JSON.parse(await readFile(path, 'utf8')) as SweepPlan<Spec>;
  } catch (error) {
    throw new SweepError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  if (plan?.version !== 1 || typeof plan.queue !== 'string' || !Array.isArray(plan.runs)) {
    throw new SweepError(`${path}: expected a sweep plan (version 1, name, queue, axes, runs), got ${JSON.stringify(plan).slice(0, 80)}`);
  }
  return plan;
}

/** The first field (depth-first, dotted) where two JSON values differ, or null when equal. */
export function differingField(there: unknown, now: unknown, path = ''): { field: string; there: string; now: string } | null {
  if (JSON.stringify(there) === JSON.stringify(now)) return null;
  if (typeof there === 'object' && there !== null && typeof now === 'object' && now !== null && !Array.isArray(there) && !Array.isArray(now)) {
    const a = there as Record<string, unknown>;
    const b = now as Record<string, unknown>;
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = differingField(a[key], b[key], path ? `${path}.${key}` : key);
      if (d) return d;
    }
    return null; // the same fields in another order
  }
  return { field: path || 'the spec', there: JSON.stringify(there) ?? 'nothing', now: JSON.stringify(now) ?? 'nothing' };
}
