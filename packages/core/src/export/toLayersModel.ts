import * as tf from '@tensorflow/tfjs-core';
import type { Layer } from '../layers/Layer';
import { LearnedLayer } from '../layers/LearnedLayer';
import { Dropout, MaxPool2D } from '../layers/statelessLayers';
import { SlotLayer } from '../layers/SlotLayer';
import type { Network } from '../network/Network';

/**
 * The selected network in the TensorFlow.js LayersModel format: a Keras `Sequential` topology
 * (Dense/Conv2D without bias, ReLU activations, max pooling, flatten, dropout) and its weights.
 * Slot layers are exported as their argmax weights, so `tf.loadLayersModel` opens the result as
 * an ordinary model. Save it with any `tf.io` handler (`model.json` + `weights.bin`).
 * Reads weights synchronously; owns no tensors afterwards.
 */
export function toLayersModelArtifacts(network: Network): tf.io.ModelArtifacts {
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: Float32Array[] = [];
  const layers = network.layers.map((layer, i) => {
    const config = kerasLayer(layer);
    if (i === 0) (config.config as Record<string, unknown>).batch_input_shape = [null, ...network.inputShape];
    const weight = weightOf(layer);
    if (weight) {
      specs.push({ name: `${layer.name}/kernel`, shape: weight.shape, dtype: 'float32' });
      buffers.push(weight.dataSync() as Float32Array);
      weight.dispose();
    }
    return config;
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

function weightOf(layer: Layer): tf.Tensor | null {
  if (layer instanceof SlotLayer) return layer.selectedWeight();
  if (layer instanceof LearnedLayer) return tf.clone(layer.weight);
  return null;
}

function kerasLayer(layer: Layer): { class_name: string; config: object } {
  const common = { name: layer.name, trainable: true, dtype: 'float32' };
  const noBias = {
    activation: 'linear',
    use_bias: false,
    kernel_initializer: { class_name: 'Zeros', config: {} },
    bias_initializer: { class_name: 'Zeros', config: {} },
    kernel_regularizer: null,
    bias_regularizer: null,
    activity_regularizer: null,
    kernel_constraint: null,
    bias_constraint: null,
  };
  switch (layer.type) {
    case 'slotDense':
    case 'dense':
      return { class_name: 'Dense', config: { ...common, ...noBias, units: layer.outputShape[0] } };
    case 'slotConv2d':
    case 'conv2d': {
      const padding = (layer as unknown as { padding: string }).padding;
      const kernel = (layer as SlotLayer | LearnedLayer).weightShape;
      return {
        class_name: 'Conv2D',
        config: {
          ...common,
          ...noBias,
          filters: layer.outputShape[2],
          kernel_size: [kernel[0], kernel[1]],
          strides: [1, 1],
          padding,
          data_format: 'channels_last',
          dilation_rate: [1, 1],
        },
      };
    }
    case 'relu':
      return { class_name: 'Activation', config: { ...common, activation: 'relu' } };
    case 'flatten':
      return { class_name: 'Flatten', config: { ...common, data_format: 'channels_last' } };
    case 'maxPool2d': {
      const p = (layer as MaxPool2D).poolSize;
      return { class_name: 'MaxPooling2D', config: { ...common, pool_size: [p, p], strides: [p, p], padding: 'valid', data_format: 'channels_last' } };
    }
    case 'dropout':
      return { class_name: 'Dropout', config: { ...common, rate: (layer as Dropout).rate } };
    default:
      throw new Error(`cannot export layer '${layer.name}' of type '${layer.type}' to a LayersModel`);
  }
}
