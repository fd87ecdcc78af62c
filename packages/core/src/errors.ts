/**
 * Thrown for any configuration a user got wrong. The message always names the field, what was
 * expected and what was received, e.g. `k: expected an integer >= 1, got 2.5`.
 */
export class SlotConfigError extends Error {
  override readonly name = 'SlotConfigError';
  constructor(
    readonly field: string,
    readonly expected: string,
    readonly received: unknown,
  ) {
    super(formatInvalid(field, expected, received));
  }
}

/**
 * The one form of every validation message in slot-machines: `field: expected X, got Y`, the
 * received value rendered by {@link describe} (strings in single quotes).
 */
export function formatInvalid(field: string, expected: string, received: unknown): string {
  return `${field}: expected ${expected}, got ${describe(received)}`;
}

/** A short, readable rendering of a received value for error messages. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  if (Array.isArray(value)) return `[${value.map(describe).join(', ')}]`;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
