import { SlotConfigError } from './errors';

/** Throws unless `value` is an integer >= `min`. Returns it typed as a number. */
export function requireInteger(field: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new SlotConfigError(field, `an integer >= ${min}`, value);
  }
  return value;
}

/** Throws unless `value` is a finite number in [min, max] (or (min, max) when `open`). */
export function requireNumberIn(field: string, value: unknown, min: number, max: number, open = false): number {
  const inRange =
    typeof value === 'number' && Number.isFinite(value) && (open ? value > min && value < max : value >= min && value <= max);
  if (!inRange) {
    throw new SlotConfigError(field, `a number in ${open ? '(' : '['}${min}, ${max}${open ? ')' : ']'}`, value);
  }
  return value as number;
}

/** Throws unless `value` is one of `allowed`. */
export function requireOneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new SlotConfigError(field, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, value);
  }
  return value as T;
}

/** Throws unless `value` is a seed: an integer in [0, 2^32). */
export function requireSeed(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= 2 ** 32) {
    throw new SlotConfigError(field, 'an integer seed in [0, 2^32)', value);
  }
  return value;
}
