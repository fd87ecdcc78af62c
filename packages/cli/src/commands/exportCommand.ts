import { join } from 'node:path';
import { bitsPerIndex, compactModelSize, encodeCompactModel, layersModelJson, loadCompactModel, toLayersModelArtifacts, type Network } from '@slot-machines/core';
import { writeFileAtomic } from '@slot-machines/trainer/node';
import { CliError, validate } from '../CliError';
import { RUNTIME_FLAGS, defineCommand } from '../Command';
import { runNormalization } from '../loadRunData';
import { loadRunNetwork } from '../runTraining';
import { describeRun, registry, type RunSpec } from '../runSpec';

/** The formats `export --format` writes. */
export const EXPORT_FORMATS = ['layers-model', 'slot'] as const;

/** The file name a compact model gets in `--out DIR`. */
export const COMPACT_MODEL_FILE = 'model.slot';

export const exportCommand = defineCommand({
  name: 'export',
  flags: {
    run: { type: 'string', value: 'DIR', help: "a directory written by 'slot-machines train'" },
    out: { type: 'string', value: 'DIR', help: 'where the files go: model.json and weights.bin, or model.slot' },
    format: {
      type: 'string',
      value: 'NAME',
      help: 'layers-model (for tf.loadLayersModel) or slot (a compact model: the seed\nand each connection\'s choice in ceil(log2 K) bits)',
      default: 'layers-model',
    },
    checkpoint: { type: 'string', value: 'NAME', help: 'best or last', default: 'best' },
    ...RUNTIME_FLAGS,
  },
  help: {
    summary: "write a run's selected network as a TensorFlow.js LayersModel or a compact slot model",
    usage: 'slot-machines export --run DIR --out DIR [--format layers-model|slot] [--checkpoint best|last]',
    text: `Writes the selected network (every connection at its best-scored option).
layers-model: model.json and weights.bin; open them with tf.loadLayersModel, no slot-machines code
  is needed to run it.
slot: model.slot, a compact model: the option generator (seed, K, initialisation, sharing), the
  architecture and each connection's chosen option in ceil(log2 K) bits, about 32/log2(K) times
  smaller than the float32 weights. loadCompactModel (@slot-machines/core) regenerates the options
  and rebuilds the network exactly; 'slot-machines eval --model FILE' tests it. The file is
  reloaded and checked before it is written. Format: docs/guide/compact-models.md.`,
  },
  run: async ({ values }, { io, initBackend }) => {
    const { run, out } = values;
    if (!run || !out) throw new CliError('--run DIR and --out DIR are required');
    const checkpoint = validate.requireOneOf('--checkpoint', values.checkpoint ?? 'best', ['best', 'last'] as const);
    const format = validate.requireOneOf('--format', values.format ?? 'layers-model', EXPORT_FORMATS);
    await initBackend(values.backend);
    const { spec, network } = await loadRunNetwork(run, checkpoint);
    try {
      // what a user must do to an image before predict(): stored with the model
      const slotMachines = { dataset: spec.dataset, normalization: runNormalization(spec), run: describeRun(spec) };
      const norm = runNormalization(spec);
      const howTo = norm.kind === 'scale' ? 'pixels / 255' : `(pixels / 255 - mean) / std, mean ${JSON.stringify(norm.mean)}, std ${JSON.stringify(norm.std)}`;
      if (format === 'slot') {
        const path = join(out, COMPACT_MODEL_FILE);
        const bytes = encodeCompactModel(network, { metadata: { slotMachines: { ...slotMachines, spec } } });
        // refuse to write a file that does not reload: the checksums prove the options regenerate here
        loadCompactModel(bytes, { registry, source: path }).network.dispose();
        await writeFileAtomic(path, bytes);
        io.stdout.write(`${compactSummary(path, bytes, network, spec)}; inputs: ${howTo}\n`);
        return 0;
      }
      const artifacts = { ...toLayersModelArtifacts(network), userDefinedMetadata: { slotMachines } };
      await writeFileAtomic(join(out, 'weights.bin'), new Uint8Array(artifacts.weightData as ArrayBuffer));
      await writeFileAtomic(join(out, 'model.json'), `${JSON.stringify(layersModelJson(artifacts, 'weights.bin'))}\n`);
      const bytes = (artifacts.weightData as ArrayBuffer).byteLength;
      io.stdout.write(`wrote ${join(out, 'model.json')} and weights.bin (${(bytes / 1e6).toFixed(2)} MB): open it with tf.loadLayersModel; inputs: ${howTo}\n`);
      return 0;
    } finally {
      network.dispose();
    }
  },
});

/** One line: the file, its size by part, and the float32 weights it stands for. */
function compactSummary(path: string, bytes: Uint8Array, network: Network, spec: RunSpec): string {
  const size = compactModelSize(bytes);
  const connections = network.slotLayers.reduce((n, l) => n + l.weightShape.reduce((a, b) => a * b, 1), 0);
  const weights = network.weightLayers.reduce((n, l) => n + l.weightShape.reduce((a, b) => a * b, 1), 0);
  const float32 = 4 * weights;
  const n = (x: number) => x.toLocaleString('en-US');
  const parts = [
    connections > 0 ? `${n(size.indices)} of indices (${n(connections)} connections x ${bitsPerIndex(network.config.k)} bits, K = ${spec.k})` : '',
    size.float32 > 0 ? `${n(size.float32)} of float32 variables` : '',
    `${n(size.header)} of header and checksums`,
  ].filter(Boolean);
  return (
    `wrote ${path}: ${n(size.total)} bytes (${parts.join(', ')}); ` +
    `the same network's weights as float32: ${n(float32)} bytes (${(float32 / size.total).toFixed(1)}x the compact file); reloaded and checked`
  );
}
