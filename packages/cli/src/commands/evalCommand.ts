import { readFile } from 'node:fs/promises';
import { CompactModelError, loadCompactModel, type LoadedCompactModel } from '@slot-machines/core';
import { evaluate, keptCheckpointName } from '@slot-machines/trainer';
import { CliError, validate } from '../CliError';
import { RUNTIME_FLAGS, defineCommand, type CliIo } from '../Command';
import { loadRunData } from '../loadRunData';
import { loadRunNetwork } from '../runTraining';
import { registry, type RunSpec } from '../runSpec';
import { percent } from '../table';

export const evalCommand = defineCommand({
  name: 'eval',
  flags: {
    run: { type: 'string', value: 'DIR', help: "a directory written by 'slot-machines train'" },
    model: { type: 'string', value: 'FILE', help: "instead of --run: a compact model written by 'export --format slot'" },
    checkpoint: { type: 'string', value: 'NAME', help: 'best, last, or epoch-E (kept by train --keep-every)', default: 'best' },
    'eval-mode': {
      type: 'string',
      value: 'NAME',
      help: "PS and supermask runs: argmax (the paper's test network; a supermask's\nthresholded mask) or sample (one network drawn from the scores, as in training)",
      default: 'argmax',
    },
    ...RUNTIME_FLAGS,
  },
  help: {
    summary: "test accuracy of a run's checkpoint",
    usage: 'slot-machines eval --run DIR [--checkpoint best|last] [--eval-mode argmax|sample]\n       slot-machines eval --model FILE',
    text: `Prints the test accuracy of the argmax network of a run's checkpoint (best: the epoch of best
validation accuracy, the paper's early stopping), or of a compact model (the test set and input
normalisation of the run it was exported from).`,
  },
  run: async ({ values }, { io, initBackend }) => {
    const run = values.run;
    if (values.model !== undefined) {
      if (run !== undefined) throw new CliError('--model FILE and --run DIR: pass one of them');
      const unused = (['checkpoint', 'eval-mode'] as const).filter((f) => values[f] !== undefined);
      if (unused.length) throw new CliError(`${unused.map((f) => `--${f}`).join(' and ')}: only for --run DIR (a compact model holds one network, the argmax one)`);
      return evalCompactModel(values.model, io, await initBackend(values.backend));
    }
    if (!run) throw new CliError('--run DIR is required (a directory written by slot-machines train), or --model FILE');
    const checkpoint = checkpointName(values.checkpoint ?? 'best');
    const evalMode = validate.requireOneOf('--eval-mode', values['eval-mode'] ?? 'argmax', ['argmax', 'sample'] as const);
    const backend = await initBackend(values.backend);
    const { spec, network } = await loadRunNetwork(run, checkpoint, { evalMode });
    try {
      // a supermask samples its mask at test time as in training (its authors' evaluation); PS draws one network
      if (evalMode === 'sample' && spec.strategy !== 'probabilistic' && spec.strategy !== 'supermask') {
        throw new CliError(`--eval-mode sample is for PS and supermask runs (--strategy probabilistic or supermask); ${run} is --strategy ${spec.strategy}`);
      }
      const data = await loadRunData(spec);
      const test = evaluate(network, data.test);
      const what = spec.strategy === 'supermask' ? (evalMode === 'sample' ? 'one sampled mask' : 'thresholded mask') : evalMode === 'sample' ? 'one sampled network' : 'argmax network';
      io.stdout.write(`test accuracy: ${percent(test.accuracy)}  loss ${test.loss.toFixed(4)}  (${data.test.size} images, ${checkpoint} checkpoint, ${what}, ${backend} backend)\n`);
      return 0;
    } finally {
      network.dispose();
    }
  },
});

/** The test accuracy of a compact model, on the test set of the run it was exported from. */
async function evalCompactModel(path: string, io: CliIo, backend: string): Promise<number> {
  const bytes = await readFile(path).catch((e: NodeJS.ErrnoException) => {
    throw new CliError(`${path}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  });
  let loaded: LoadedCompactModel;
  try {
    loaded = loadCompactModel(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), { registry, source: path });
  } catch (e) {
    // a truncated, corrupted, newer or non-regenerating file is the user's to fix: one line, exit code 2
    if (e instanceof CompactModelError) throw new CliError(`${e.message} (${e.name})`);
    throw e;
  }
  const { network, metadata } = loaded;
  try {
    const spec = (metadata.slotMachines as { spec?: RunSpec } | undefined)?.spec;
    if (!spec) throw new CliError(`${path}: its metadata names no run (slotMachines.spec), so its test set and input normalisation are unknown: export it with 'slot-machines export --format slot'`);
    const data = await loadRunData(spec);
    const test = evaluate(network, data.test);
    io.stdout.write(`test accuracy: ${percent(test.accuracy)}  loss ${test.loss.toFixed(4)}  (${data.test.size} images, compact model ${path}, ${backend} backend)\n`);
    return 0;
  } finally {
    network.dispose();
  }
}

/** `best`, `last`, or `epoch-E` / `epoch-000E` (a checkpoint kept by `--keep-every`) as its file name. */
function checkpointName(text: string): string {
  if (text === 'best' || text === 'last') return text;
  const epoch = /^epoch-(\d+)$/.exec(text)?.[1];
  if (epoch === undefined || Number(epoch) < 1) throw new CliError(`--checkpoint: expected best, last or epoch-E (a checkpoint kept by --keep-every, e.g. epoch-5), got '${text}'`);
  return keptCheckpointName(Number(epoch));
}
