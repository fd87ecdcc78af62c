import { Writable } from 'node:stream';
import type { CliIo } from './Command';

/** Captures what a command writes to stdout and stderr. */
export function captureIo(): CliIo & { out: () => string; err: () => string } {
  const chunks = { out: [] as string[], err: [] as string[] };
  const stream = (into: string[]) =>
    Object.assign(
      new Writable({
        write(chunk, _enc, done) {
          into.push(String(chunk));
          done();
        },
      }),
      { isTTY: false },
    ) as unknown as NodeJS.WriteStream;
  return { stdout: stream(chunks.out), stderr: stream(chunks.err), out: () => chunks.out.join(''), err: () => chunks.err.join('') };
}
