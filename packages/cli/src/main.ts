import { CliError } from './CliError';
import type { CliIo, Command } from './Command';
import { COMMANDS } from './commandList';
import { commandHelp, overviewHelp } from './help';
import { initBackend } from './initBackend';
import { parseFlags } from './parseFlags';

export type { CliIo } from './Command';

/** Errors about what the user gave (files included): one line, exit code 2. By name, so a second copy of a package still counts. */
const USER_ERRORS = new Set(['CliError', 'DatasetError', 'CheckpointError', 'SweepError']);
/** The exit code of a run stopped because a loss, score or weight stopped being finite. */
export const EXIT_DIVERGED = 3;

/**
 * Runs the command line `argv` (without `node` and the script) with the given commands (default:
 * all of them). Resolves to the exit code: 2 for a user error (a flag, a data file, a
 * checkpoint), 3 for a diverged run, each said in one line on stderr.
 */
export async function main(
  argv: readonly string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
  commands: readonly Command[] = COMMANDS,
): Promise<number> {
  const [name, ...rest] = argv;
  const byName = new Map(commands.map((c) => [c.name, c]));
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const asked = rest[0] === undefined ? undefined : byName.get(rest[0]);
    io.stdout.write(asked ? commandHelp(asked) : overviewHelp(commands));
    return 0;
  }
  if (name === '--version') {
    io.stdout.write('0.0.0\n');
    return 0;
  }
  const command = byName.get(name);
  if (!command) {
    io.stderr.write(`slot-machines: unknown command '${name}'; expected one of ${[...byName.keys()].join(', ')} (see slot-machines --help)\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(commandHelp(command));
    return 0;
  }
  try {
    return await command.run(parseFlags(rest, command.flags), { io, initBackend: (backend) => initBackend(backend, io) });
  } catch (error) {
    if (error instanceof CliError || USER_ERRORS.has((error as Error).name) || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`slot-machines ${name}: ${(error as Error).message}\n`);
      return 2;
    }
    if ((error as Error).name === 'TrainingDivergedError') {
      io.stderr.write(`slot-machines ${name}: ${(error as Error).message}\n`);
      return EXIT_DIVERGED;
    }
    throw error;
  }
}
