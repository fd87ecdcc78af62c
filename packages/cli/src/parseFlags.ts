import { parseArgs } from 'node:util';
import type { Flags, ParsedArgs } from './Command';

/**
 * Parses `args` against the declared `flags`: strict (an undeclared flag throws, code
 * `ERR_PARSE_ARGS_UNKNOWN_OPTION`), named flags and positionals.
 */
export function parseFlags<F extends Flags>(args: readonly string[], flags: F): ParsedArgs<F> {
  const options = Object.fromEntries(Object.entries(flags).map(([name, flag]) => [name, { type: flag.type }]));
  const { values, positionals } = parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
  return { values, positionals } as ParsedArgs<F>;
}
