/** A user error: printed as one line without a stack trace, exit code 2. */
export class CliError extends Error {
  override readonly name = 'CliError';
}
