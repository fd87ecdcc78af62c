import { basename, extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { SweepError } from './SweepError';

/** A value an axis of the grid takes: it becomes part of a run's id, so a scalar. */
export type AxisValue = string | number | boolean;

/**
 * A sweep as the user writes it (JSON or YAML): every combination of the `grid` axes' values,
 * each on top of `base`, is one run.
 *
 * ```yaml
 * name: figure3-lenet          # optional: the file's name without its extension
 * base: { architecture: lenet-300-100, strategy: greedy, seed: 0, epochs: 10 }
 * grid: { k: [2, 4, 8, 16, 32, 64] }
 * ```
 */
export interface SweepGrid {
  /** Names the queue and the sweep: letters, digits, `.`, `_` and `-`. */
  readonly name: string;
  /** Fields every run shares (for the CLI: a run's config.json fields, e.g. `epochs`, `trainSubset`). */
  readonly base: Readonly<Record<string, unknown>>;
  /** The axes, in the order run ids name them: field -> the values it takes. */
  readonly axes: Readonly<Record<string, readonly AxisValue[]>>;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * Reads a grid from the text of a JSON or YAML file (`source` names it in errors and, without a
 * `name` field, gives the sweep its name). Throws {@link SweepError} naming the file and field.
 */
export function parseSweepGrid(text: string, source: string): SweepGrid {
  let raw: unknown;
  try {
    raw = /\.json$/i.test(source) ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new SweepError(`${source}: not valid ${/\.json$/i.test(source) ? 'JSON' : 'YAML'} (${(error as Error).message.split('\n')[0]})`);
  }
  return validateSweepGrid(raw, source);
}

/** Checks a grid given as an object (e.g. parsed JSON); `source` names it in errors. */
export function validateSweepGrid(raw: unknown, source: string): SweepGrid {
  const bad = (field: string, expected: string, got: unknown) => new SweepError(`${source}: ${field}: expected ${expected}, got ${JSON.stringify(got)}`);
  if (!isRecord(raw)) throw bad('the file', 'an object with a grid (and optionally name and base)', raw);
  const unknown = Object.keys(raw).filter((key) => !['name', 'base', 'grid'].includes(key));
  if (unknown.length) throw new SweepError(`${source}: unknown field ${unknown.map((k) => `'${k}'`).join(', ')}; expected name, base and grid`);
  const name = raw.name ?? basename(source, extname(source));
  if (typeof name !== 'string' || !NAME.test(name)) throw bad('name', 'letters, digits, ".", "_" and "-" (at most 100, not starting with a symbol)', name);
  const base = raw.base ?? {};
  if (!isRecord(base)) throw bad('base', 'an object of fields every run shares', base);
  if (!isRecord(raw.grid) || Object.keys(raw.grid).length === 0) throw bad('grid', 'an object of at least one axis, e.g. { k: [2, 8], seed: [0, 1] }', raw.grid);
  const axes: Record<string, AxisValue[]> = {};
  for (const [axis, values] of Object.entries(raw.grid)) {
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(axis)) throw bad(`grid.${axis}`, 'an axis named by a field (letters and digits)', axis);
    if (axis in base) throw new SweepError(`${source}: grid.${axis}: ${axis} is also set in base; set it in one place`);
    if (!Array.isArray(values) || values.length === 0) throw bad(`grid.${axis}`, 'a non-empty list of values', values);
    for (const [i, value] of values.entries()) {
      if (!['string', 'number', 'boolean'].includes(typeof value) || (typeof value === 'number' && !Number.isFinite(value))) {
        throw bad(`grid.${axis}[${i}]`, 'a string, a finite number or a boolean', value);
      }
    }
    const seen = new Set(values.map((v) => JSON.stringify(v)));
    if (seen.size !== values.length) throw bad(`grid.${axis}`, 'distinct values', values);
    axes[axis] = values as AxisValue[];
  }
  return { name, base, axes };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
