import { parseArgs } from 'node:util';
import { initRuntime } from '@slot-machines/runtime-node';
import { CliError } from './CliError';
import { evalCommand } from './commands/evalCommand';
import { exportCommand } from './commands/exportCommand';
import { nativeCommand } from './commands/nativeCommand';
import { reproduceCommand } from './commands/reproduceCommand';
import { trainCommand } from './commands/trainCommand';
import { HELP, helpFor } from './help';

export interface CliIo {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
}

/** Runs the command line `argv` (without `node` and the script). Resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout.write(rest[0] ? helpFor(rest[0]) : HELP);
    return 0;
  }
  if (command === '--version') {
    io.stdout.write('0.0.0\n');
    return 0;
  }
  const commands: Record<string, (args: string[], io: CliIo, init: typeof initBackend) => Promise<number>> = {
    train: trainCommand,
    finetune: (args, cliIo, init) => {
      if (!args.includes('--run')) throw new CliError('--run DIR is required: the run whose selected network is finetuned');
      return trainCommand(args.map((a) => (a === '--run' ? '--finetune-from' : a)), cliIo, init);
    },
    eval: evalCommand,
    export: exportCommand,
    reproduce: reproduceCommand,
    native: nativeCommand,
  };
  const run = commands[command];
  if (!run) {
    io.stderr.write(`slot-machines: unknown command '${command}'; expected one of ${Object.keys(commands).join(', ')} (see slot-machines --help)\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(helpFor(command));
    return 0;
  }
  try {
    return await run(rest, io, initBackend);
  } catch (error) {
    if (error instanceof CliError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`slot-machines ${command}: ${(error as Error).message}\n`);
      return 2;
    }
    throw error;
  }
}

/** Starts the backend the user asked for and says which one runs. */
async function initBackend(backend: string, io: CliIo): Promise<string> {
  if (!['auto', 'tensorflow', 'wasm', 'cpu'].includes(backend)) {
    throw new CliError(`--backend: expected one of auto, tensorflow, wasm, cpu, got '${backend}'`);
  }
  const info = await initRuntime({ backend: backend as 'auto', log: (line) => io.stderr.write(`${line}\n`) });
  return info.backend;
}

/** `parseArgs` with the CLI's conventions: strict, named flags only. */
export function parseFlags(args: string[], options: Record<string, { type: 'string' | 'boolean' }>) {
  return parseArgs({ args, options, strict: true, allowPositionals: true }) as { values: Record<string, string | boolean | undefined>; positionals: string[] };
}
