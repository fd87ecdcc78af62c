import { join } from 'node:path';
import { layersModelJson, toLayersModelArtifacts } from '@slot-machines/core';
import { writeFileAtomic } from '@slot-machines/trainer/node';
import { CliError, validate } from '../CliError';
import { RUNTIME_FLAGS, defineCommand } from '../Command';
import { runNormalization } from '../loadRunData';
import { loadRunNetwork } from '../runTraining';
import { describeRun } from '../runSpec';

export const exportCommand = defineCommand({
  name: 'export',
  flags: {
    run: { type: 'string', value: 'DIR', help: "a directory written by 'slot-machines train'" },
    out: { type: 'string', value: 'DIR', help: 'where model.json and weights.bin go' },
    checkpoint: { type: 'string', value: 'NAME', help: 'best or last', default: 'best' },
    ...RUNTIME_FLAGS,
  },
  help: {
    summary: "write a run's selected network as a TensorFlow.js LayersModel",
    usage: 'slot-machines export --run DIR --out DIR [--checkpoint best|last]',
    text: `Writes the selected network (every connection at its best-scored option) as a TensorFlow.js
LayersModel: model.json and weights.bin. Open it with tf.loadLayersModel; no slot-machines code
is needed to run it.`,
  },
  run: async ({ values }, { io, initBackend }) => {
    const { run, out } = values;
    if (!run || !out) throw new CliError('--run DIR and --out DIR are required');
    const checkpoint = validate.requireOneOf('--checkpoint', values.checkpoint ?? 'best', ['best', 'last'] as const);
    await initBackend(values.backend);
    const { spec, network } = await loadRunNetwork(run, checkpoint);
    try {
      const artifacts = {
        ...toLayersModelArtifacts(network),
        // what a user must do to an image before predict(): stored in model.json
        userDefinedMetadata: { slotMachines: { dataset: spec.dataset, normalization: runNormalization(spec), run: describeRun(spec) } },
      };
      await writeFileAtomic(join(out, 'weights.bin'), new Uint8Array(artifacts.weightData as ArrayBuffer));
      await writeFileAtomic(join(out, 'model.json'), `${JSON.stringify(layersModelJson(artifacts, 'weights.bin'))}\n`);
      const bytes = (artifacts.weightData as ArrayBuffer).byteLength;
      const norm = runNormalization(spec);
      const howTo = norm.kind === 'scale' ? 'pixels / 255' : `(pixels / 255 - mean) / std, mean ${JSON.stringify(norm.mean)}, std ${JSON.stringify(norm.std)}`;
      io.stdout.write(`wrote ${join(out, 'model.json')} and weights.bin (${(bytes / 1e6).toFixed(2)} MB): open it with tf.loadLayersModel; inputs: ${howTo}\n`);
      return 0;
    } finally {
      network.dispose();
    }
  },
});
