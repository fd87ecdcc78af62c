import { createValidator, formatInvalid, type Validator } from '@slot-machines/core';

/** A user error: printed as one line without a stack trace, exit code 2. */
export class CliError extends Error {
  override readonly name = 'CliError';
}

/**
 * The core's validation checks throwing {@link CliError}, so a bad flag value exits with code 2:
 * `--k: expected an integer >= 1, got '2.5'`. `parseInteger` / `parseNumber` read flag text.
 */
export const validate: Validator = createValidator((field, expected, received) => new CliError(formatInvalid(field, expected, received)));
