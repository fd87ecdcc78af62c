import * as tf from '@tensorflow/tfjs-core';
import { SlotConfigError } from '../errors';
import type { Network } from '../network/Network';

/**
 * The selected network in the TensorFlow.js LayersModel format: a Keras `Sequential` topology
 * (each layer as its kind exports it: Dense/Conv2D without bias, activations, pooling, flatten,
 * dropout, batch normalisation without scale and shift) and its weights. Slot layers are exported
 * as their argmax weights, so `tf.loadLayersModel` opens the result as an ordinary model. Save it
 * with any `tf.io` handler (`model.json` + `weights.bin`). Reads weights synchronously; owns no
 * tensors afterwards.
 */
export function toLayersModelArtifacts(network: Network): tf.io.ModelArtifacts {
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: Float32Array[] = [];
  const layers = network.plans.map((plan, i) => {
    const layer = network.layers[i]!;
    if (!plan.kind.toKeras) throw new SlotConfigError(`layer '${layer.name}'`, `a layer kind that exports to a LayersModel (kind '${plan.kind.type}' has no toKeras)`, plan.kind.type);
    const keras = plan.kind.toKeras(layer, plan.spec as never);
    const config: Record<string, unknown> = { ...keras.config };
    if (i === 0) config.batch_input_shape = [null, ...network.inputShape];
    for (const { name, tensor } of keras.weights) {
      specs.push({ name, shape: tensor.shape, dtype: 'float32' });
      buffers.push(tensor.dataSync() as Float32Array);
      tensor.dispose();
    }
    return { class_name: keras.className, config };
  });
  const total = buffers.reduce((n, b) => n + b.length, 0);
  const data = new Float32Array(total);
  let offset = 0;
  for (const b of buffers) {
    data.set(b, offset);
    offset += b.length;
  }
  return {
    modelTopology: {
      class_name: 'Sequential',
      config: { name: 'slot_machine_selected', layers },
      keras_version: 'tfjs-layers 4.22.0',
      backend: 'tensor_flow.js',
    },
    weightSpecs: specs,
    weightData: data.buffer,
    format: 'layers-model',
    generatedBy: '@slot-machines/core',
    convertedBy: null,
  };
}

/** The `model.json` of a LayersModel whose weights are in `weightsPath` (one file). */
export function layersModelJson(artifacts: tf.io.ModelArtifacts, weightsPath = 'weights.bin'): object {
  return {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest: [{ paths: [weightsPath], weights: artifacts.weightSpecs }],
    ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
  };
}
