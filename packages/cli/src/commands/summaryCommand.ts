import { architecture } from '@slot-machines/architectures';
import { summarizeNetwork, type LayerSummary } from '@slot-machines/core';
import { defineCommand, defineFlags } from '../Command';
import { resolveRunSpec } from '../runSpec';
import { formatTable } from '../table';
import { TRAIN_FLAGS } from './trainCommand';

/** The network flags of `train`: a summary describes the network `train` would build with them. */
const NETWORK_FLAGS = defineFlags({
  arch: TRAIN_FLAGS.arch,
  flavour: TRAIN_FLAGS.flavour,
  k: TRAIN_FLAGS.k,
  strategy: TRAIN_FLAGS.strategy,
  sharing: TRAIN_FLAGS.sharing,
  'zero-option': TRAIN_FLAGS['zero-option'],
  padding: TRAIN_FLAGS.padding,
});

const count = (n: number): string => n.toLocaleString('en-US');

/** Bytes as a short human size (binary units). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** The summary table of `rows` with totals, as `slot-machines summary` prints it. */
export function summaryTable(rows: readonly LayerSummary[]): string {
  const total = (key: 'weights' | 'options' | 'scores' | 'stateFloats') => rows.reduce((n, r) => n + r[key], 0);
  const body = rows.map((r) => [r.name, r.type, `[${r.outputShape.join(', ')}]`, count(r.weights), count(r.options), count(r.scores), formatBytes(4 * r.stateFloats)]);
  body.push(['total', '', '', count(total('weights')), count(total('options')), count(total('scores')), formatBytes(4 * total('stateFloats'))]);
  return formatTable(['layer', 'kind', 'output', 'weights', 'options', 'scores', 'training state'], body);
}

export const summaryCommand = defineCommand({
  name: 'summary',
  flags: NETWORK_FLAGS,
  help: {
    summary: 'per layer: kind, output shape, weights, options, scores and training-state bytes',
    usage: 'slot-machines summary [--arch NAME] [--k N] [network options of train]',
    text: `Prints the network 'slot-machines train' would build with the same flags, layer by layer: its
kind, output shape, weights (the ordinary network's, without options), options and scores (K per
connection for slot layers), and the bytes of training state (options, scores or weights, one
momentum per trained value, batch-norm statistics; float32). Totals at the bottom. Nothing is built,
so any size is instant; per-connection options are counted also where weight sharing stores fewer.`,
  },
  run: async ({ values }, { io }) => {
    const spec = resolveRunSpec({
      architecture: values.arch,
      flavour: values.flavour,
      k: values.k,
      strategy: values.strategy,
      sharing: values.sharing,
      zeroOption: values['zero-option'],
      padding: values.padding,
    });
    const arch = architecture(spec.architecture, spec.flavour, { padding: spec.padding });
    const rows = summarizeNetwork({ ...arch, k: spec.k });
    const k = spec.flavour === 'learned' ? '' : `, K=${spec.k}`;
    io.stdout.write(`${spec.architecture} (${spec.flavour}${k}), input [${arch.inputShape.join(', ')}]\n${summaryTable(rows)}\n`);
    return 0;
  },
});
