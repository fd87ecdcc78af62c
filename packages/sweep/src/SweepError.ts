/**
 * A problem with what the user gave a sweep (a grid file, a plan, a run directory, a Redis
 * address): one line naming the file or field, what was expected and what was found. The CLI
 * prints it without a stack trace and exits with code 2.
 */
export class SweepError extends Error {
  override readonly name = 'SweepError';
}
