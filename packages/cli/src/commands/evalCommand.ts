import { evaluate } from '@slot-machines/trainer';
import { CliError } from '../CliError';
import { loadRunData } from '../loadRunData';
import { parseFlags, type CliIo } from '../main';
import { loadRunNetwork } from '../runTraining';
import { percent } from '../table';

export async function evalCommand(args: string[], io: CliIo, initBackend: (name: string, io: CliIo) => Promise<string>): Promise<number> {
  const { values } = parseFlags(args, {
    run: { type: 'string' },
    checkpoint: { type: 'string' },
    'eval-mode': { type: 'string' },
    backend: { type: 'string' },
    quiet: { type: 'boolean' },
  });
  const run = values.run as string | undefined;
  if (!run) throw new CliError('--run DIR is required (a directory written by slot-machines train)');
  const checkpoint = (values.checkpoint as string | undefined) ?? 'best';
  if (checkpoint !== 'best' && checkpoint !== 'last') throw new CliError(`--checkpoint: expected best or last, got '${checkpoint}'`);
  const evalMode = (values['eval-mode'] as string | undefined) ?? 'argmax';
  if (evalMode !== 'argmax' && evalMode !== 'sample') throw new CliError(`--eval-mode: expected argmax or sample, got '${evalMode}'`);
  const backend = await initBackend((values.backend as string | undefined) ?? 'auto', io);
  const { spec, network } = await loadRunNetwork(run, checkpoint, { evalMode });
  if (evalMode === 'sample' && spec.strategy !== 'probabilistic') throw new CliError('--eval-mode sample is for PS runs (--strategy probabilistic)');
  try {
    const data = await loadRunData(spec);
    const test = evaluate(network, data.test);
    io.stdout.write(`test accuracy: ${percent(test.accuracy)}  loss ${test.loss.toFixed(4)}  (${data.test.size} images, ${checkpoint} checkpoint, ${evalMode === 'sample' ? 'one sampled network' : 'argmax network'}, ${backend} backend)\n`);
    return 0;
  } finally {
    network.dispose();
  }
}
