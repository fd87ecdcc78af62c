import { SlotConfigError, formatInvalid } from './errors';

/**
 * Builds the error a failed check throws from the field, what was expected and what was given.
 * The default throws {@link SlotConfigError}; a package with its own error type passes its own
 * factory to {@link createValidator} (the datasets throw `DatasetError` 'invalid-option', the CLI
 * a `CliError` that exits with code 2). Use {@link formatInvalid} for the message so every package
 * reads `field: expected X, got Y`.
 */
export type InvalidValueError = (field: string, expected: string, received: unknown) => Error;

/**
 * Bounds of a number. `min` and `max` are inclusive unless `minExclusive` / `maxExclusive`;
 * a bare number given where bounds are expected means `{ min: n }`.
 */
export interface NumberBounds {
  readonly min?: number;
  readonly max?: number;
  /** `> min` instead of `>= min`. @default false */
  readonly minExclusive?: boolean;
  /** `< max` instead of `<= max`. @default false */
  readonly maxExclusive?: boolean;
}

/**
 * The checks every package uses to validate what it is given at its edge. Each returns the value
 * typed when it passes and throws the validator's error (`field: expected X, got Y`) when not.
 */
export interface Validator {
  /** Throws unless `value` is an integer within `bounds` (a number `n` means `>= n`). */
  requireInteger(field: string, value: unknown, bounds?: number | NumberBounds): number;
  /** Throws unless `value` is a finite number within `bounds` (a number `n` means `>= n`). */
  requireNumber(field: string, value: unknown, bounds?: number | NumberBounds): number;
  /** Throws unless `value` is one of `allowed`. */
  requireOneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T;
  /** Throws unless `value` is a seed: an integer in [0, 2^32). */
  requireSeed(field: string, value: unknown): number;
  /**
   * {@link Validator.requireInteger} for text such as a command-line flag: a string is read as a
   * decimal number first (an empty or blank string is not 0); a number passes as is. The error
   * shows the text as given.
   */
  parseInteger(field: string, value: unknown, bounds?: number | NumberBounds): number;
  /** {@link Validator.requireNumber} for text such as a command-line flag, as {@link Validator.parseInteger}. */
  parseNumber(field: string, value: unknown, bounds?: number | NumberBounds): number;
  /** The validator's error for a check no helper covers; throw it. */
  invalid(field: string, expected: string, received: unknown): Error;
}

/** A {@link Validator} whose checks throw what `error` builds. @default SlotConfigError */
export function createValidator(error: InvalidValueError = (field, expected, received) => new SlotConfigError(field, expected, received)): Validator {
  const numberIn = (kind: 'an integer' | 'a number', field: string, value: unknown, shown: unknown, bounds: number | NumberBounds | undefined): number => {
    const b = typeof bounds === 'number' ? { min: bounds } : (bounds ?? {});
    const ok =
      typeof value === 'number' &&
      (kind === 'an integer' ? Number.isInteger(value) : Number.isFinite(value)) &&
      (b.min === undefined || (b.minExclusive ? value > b.min : value >= b.min)) &&
      (b.max === undefined || (b.maxExclusive ? value < b.max : value <= b.max));
    if (!ok) throw error(field, `${kind}${describeBounds(b)}`, shown);
    return value as number;
  };
  const fromText = (value: unknown): unknown => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value);
  return {
    requireInteger: (field, value, bounds) => numberIn('an integer', field, value, value, bounds),
    requireNumber: (field, value, bounds) => numberIn('a number', field, value, value, bounds),
    parseInteger: (field, value, bounds) => numberIn('an integer', field, fromText(value), value, bounds),
    parseNumber: (field, value, bounds) => numberIn('a number', field, fromText(value), value, bounds),
    requireOneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
      if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
        throw error(field, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, value);
      }
      return value as T;
    },
    requireSeed(field, value) {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= 2 ** 32) {
        throw error(field, 'an integer seed in [0, 2^32)', value);
      }
      return value;
    },
    invalid: error,
  };
}

/** ` >= 1`, ` > 0`, ` in [0, 1)`... or '' without bounds. */
function describeBounds(b: NumberBounds): string {
  const { min, max } = b;
  if (min !== undefined && max !== undefined) return ` in ${b.minExclusive ? '(' : '['}${min}, ${max}${b.maxExclusive ? ')' : ']'}`;
  if (min !== undefined) return ` ${b.minExclusive ? '>' : '>='} ${min}`;
  if (max !== undefined) return ` ${b.maxExclusive ? '<' : '<='} ${max}`;
  return '';
}

/** The checks with the core's error, {@link SlotConfigError}. */
export const validate: Validator = createValidator();

/** {@link Validator.requireInteger} throwing {@link SlotConfigError}. */
export const requireInteger = validate.requireInteger;
/** {@link Validator.requireNumber} throwing {@link SlotConfigError}. */
export const requireNumber = validate.requireNumber;
/** {@link Validator.requireOneOf} throwing {@link SlotConfigError}. */
export const requireOneOf = validate.requireOneOf;
/** {@link Validator.requireSeed} throwing {@link SlotConfigError}. */
export const requireSeed = validate.requireSeed;

/** Throws unless `value` is a finite number in [min, max] (or (min, max) when `open`); {@link requireNumber} with both bounds. */
export function requireNumberIn(field: string, value: unknown, min: number, max: number, open = false): number {
  return requireNumber(field, value, { min, max, minExclusive: open, maxExclusive: open });
}
