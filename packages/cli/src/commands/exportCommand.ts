import { join } from 'node:path';
import { layersModelJson, toLayersModelArtifacts } from '@slot-machines/core';
import { writeFileAtomic } from '@slot-machines/trainer/node';
import { CliError } from '../CliError';
import { parseFlags, type CliIo } from '../main';
import { runNormalization } from '../loadRunData';
import { loadRunNetwork } from '../runTraining';
import { describeRun } from '../runSpec';

export async function exportCommand(args: string[], io: CliIo, initBackend: (name: string, io: CliIo) => Promise<string>): Promise<number> {
  const { values } = parseFlags(args, { run: { type: 'string' }, out: { type: 'string' }, checkpoint: { type: 'string' }, backend: { type: 'string' }, quiet: { type: 'boolean' } });
  const run = values.run as string | undefined;
  const out = values.out as string | undefined;
  if (!run || !out) throw new CliError('--run DIR and --out DIR are required');
  const checkpoint = (values.checkpoint as string | undefined) ?? 'best';
  if (checkpoint !== 'best' && checkpoint !== 'last') throw new CliError(`--checkpoint: expected best or last, got '${checkpoint}'`);
  await initBackend((values.backend as string | undefined) ?? 'auto', io);
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
}
