import { evaluate } from '@slot-machines/trainer';
import { CliError, validate } from '../CliError';
import { RUNTIME_FLAGS, defineCommand } from '../Command';
import { loadRunData } from '../loadRunData';
import { loadRunNetwork } from '../runTraining';
import { percent } from '../table';

export const evalCommand = defineCommand({
  name: 'eval',
  flags: {
    run: { type: 'string', value: 'DIR', help: "a directory written by 'slot-machines train'" },
    checkpoint: { type: 'string', value: 'NAME', help: 'best or last', default: 'best' },
    'eval-mode': {
      type: 'string',
      value: 'NAME',
      help: "PS runs: argmax (the paper's test network) or sample (one network\ndrawn from the scores, as during training)",
      default: 'argmax',
    },
    ...RUNTIME_FLAGS,
  },
  help: {
    summary: "test accuracy of a run's checkpoint",
    usage: 'slot-machines eval --run DIR [--checkpoint best|last] [--eval-mode argmax|sample]',
    text: `Prints the test accuracy of the argmax network of a run's checkpoint (best: the epoch of best
validation accuracy, the paper's early stopping).`,
  },
  run: async ({ values }, { io, initBackend }) => {
    const run = values.run;
    if (!run) throw new CliError('--run DIR is required (a directory written by slot-machines train)');
    const checkpoint = validate.requireOneOf('--checkpoint', values.checkpoint ?? 'best', ['best', 'last'] as const);
    const evalMode = validate.requireOneOf('--eval-mode', values['eval-mode'] ?? 'argmax', ['argmax', 'sample'] as const);
    const backend = await initBackend(values.backend);
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
  },
});
