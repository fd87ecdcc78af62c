/** Where a command writes: stdout for results, stderr for progress, messages and errors. */
export interface CliIo {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
}

/** The heading a flag is listed under in its command's help, in this order. */
export type FlagGroup = 'Network' | 'Data' | 'Training' | 'Output';
export const FLAG_GROUPS: readonly FlagGroup[] = ['Network', 'Data', 'Training', 'Output'];

interface FlagBase {
  /** The help text; `\n` starts a continuation line. */
  readonly help: string;
  /**
   * The heading it is listed under. Flags without one (a command's own few, `--backend`, `--quiet`)
   * are listed after the groups, or alone when a command has no groups.
   */
  readonly group?: FlagGroup;
}

/** `--name VALUE`: parsed as a string; the command checks and converts it. */
export interface ValueFlag extends FlagBase {
  readonly type: 'string';
  /** The value's placeholder in the help: `N`, `X`, `NAME`, `DIR`... */
  readonly value: string;
  /** The default as the help shows it, in brackets (`[8]`); none when there is no default. */
  readonly default?: string;
}

/** `--name`: true when present. */
export interface SwitchFlag extends FlagBase {
  readonly type: 'boolean';
}

/** One declared flag: both what parsing accepts and what the help lists. */
export type Flag = ValueFlag | SwitchFlag;

/** A command's flags by name (without the leading `--`), in help order. */
export type Flags = Readonly<Record<string, Flag>>;

/** The parsed command line, typed by the declarations: strings for value flags, booleans for switches. */
export interface ParsedArgs<F extends Flags = Flags> {
  readonly values: { readonly [K in keyof F]?: F[K] extends SwitchFlag ? boolean : string };
  readonly positionals: readonly string[];
}

/** The help of a command, besides its flags (which come from the declarations). */
export interface CommandHelp {
  /** One line in `slot-machines --help`'s list of commands. */
  readonly summary: string;
  /** The usage line(s), after `Usage: `. */
  readonly usage: string;
  /** The explanatory paragraphs. */
  readonly text: string;
}

/** What a command gets besides its arguments. */
export interface CommandContext {
  readonly io: CliIo;
  /** Starts the backend named by `--backend` (undefined: auto), says which one runs on stderr, and returns its name. */
  initBackend(name: string | undefined): Promise<string>;
}

/**
 * A command of the CLI as a plain object: `main` parses its arguments with `flags`, prints the help
 * generated from `help` and `flags` for `--help`, and calls `run`. A user error is a `CliError`
 * (one line on stderr, exit code 2); `run` resolves to the exit code otherwise.
 */
export interface Command<F extends Flags = Flags> {
  readonly name: string;
  readonly flags: F;
  readonly help: CommandHelp;
  run(args: ParsedArgs<F>, ctx: CommandContext): Promise<number>;
}

/** Declares a command, keeping its flags' types for `run`. */
export function defineCommand<const F extends Flags>(command: Command<F>): Command<F> {
  return command;
}

/** Declares flags, keeping their names and types. */
export function defineFlags<const F extends Flags>(flags: F): F {
  return flags;
}

/** `--backend` and `--quiet`, which every training or evaluating command takes. */
export const RUNTIME_FLAGS = defineFlags({
  backend: { type: 'string', value: 'NAME', help: 'auto (native tfjs-node if installed, else wasm), tensorflow, wasm, cpu', default: 'auto' },
  quiet: { type: 'boolean', help: 'no progress bar or epoch lines' },
});
