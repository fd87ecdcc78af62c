import { DatasetError, describe } from './DatasetError';

function invalid(field: string, expected: string, received: unknown): DatasetError {
  return new DatasetError('invalid-option', field, `expected ${expected}, got ${describe(received)}`);
}

/** Throws unless `value` is an integer >= `min`. Returns it typed as a number. */
export function requireInteger(field: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw invalid(field, `an integer >= ${min}`, value);
  }
  return value;
}

/** Throws unless `value` is a finite number in the open interval (min, max). */
export function requireNumberBetween(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= min || value >= max) {
    throw invalid(field, `a number in (${min}, ${max})`, value);
  }
  return value;
}

/** Throws unless `value` is one of `allowed`. */
export function requireOneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalid(field, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, value);
  }
  return value as T;
}

/** Throws unless `value` is a seed: an integer in [0, 2^32). */
export function requireSeed(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= 2 ** 32) {
    throw invalid(field, 'an integer seed in [0, 2^32)', value);
  }
  return value;
}
