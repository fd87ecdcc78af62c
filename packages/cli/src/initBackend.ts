import { initRuntime } from '@slot-machines/runtime-node';
import type { CliIo } from './Command';
import { validate } from './CliError';

/** Starts the backend the user asked for (`--backend`, default auto), says which one runs, and returns its name. */
export async function initBackend(backend: string | undefined, io: CliIo): Promise<string> {
  const name = validate.requireOneOf('--backend', backend ?? 'auto', ['auto', 'tensorflow', 'wasm', 'cpu'] as const);
  const info = await initRuntime({ backend: name, log: (line) => io.stderr.write(`${line}\n`) });
  return info.backend;
}
