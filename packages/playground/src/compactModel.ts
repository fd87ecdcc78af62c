// Compact models in the demo: the trained network out as model.slot (the seed and each connection's
// choice in ceil(log2 K) bits), and any Lenet-300-100 compact model (the demo's or the CLI's) back in,
// rebuilt by regenerating its options and tested on the 10,000 MNIST test images.
import { COMPACT_MODEL_EXTENSION, createRegistry, encodeCompactModel, loadCompactModel, type Network } from '@slot-machines/core';
import { MNIST_STANDARDIZE, createBatchIterator, type ImageDataset, type Normalization } from '@slot-machines/datasets';
import { createEdgePopupWeights } from '@slot-machines/selection-edge-popup';
import { createSupermaskWeights } from '@slot-machines/selection-supermask';
import { evaluate } from '@slot-machines/trainer';
import type { DemoRequest, LoadedModelSummary } from './protocol';

/** The option generators beyond core's own that the demo's networks use: the pruning strategies' weights. */
const registry = createRegistry().registerSharing('edge-popup-weights', createEdgePopupWeights).registerSharing('supermask-weights', createSupermaskWeights);

/** The file name the demo offers its compact model under. */
export const COMPACT_MODEL_NAME = `model${COMPACT_MODEL_EXTENSION}`;

/**
 * The selected network of `network` as a compact model, with what loading it needs to know about
 * its inputs (the CLI's metadata shape, so either side reads the other's files). Owns no tensors afterwards.
 */
export function exportCompactModel(network: Network, request: DemoRequest | null): Uint8Array {
  return encodeCompactModel(network, {
    metadata: { slotMachines: { dataset: 'mnist', normalization: MNIST_STANDARDIZE, ...(request ? { demo: request } : {}) } },
  });
}

/**
 * Rebuilds the network of a compact model file and tests it on all of `dataset`'s test images,
 * normalised as its metadata says (MNIST standardisation when it says nothing).
 * @throws the core's CompactModel errors for a bad file; an Error when the network does not take the demo's images.
 */
export function loadAndTestCompactModel(bytes: Uint8Array, name: string, dataset: ImageDataset): LoadedModelSummary {
  const { network, header, metadata } = loadCompactModel(bytes, { source: name, registry });
  try {
    const imageShape = dataset.imageShape;
    if (network.inputShape.join('x') !== imageShape.join('x')) {
      throw new Error(`${name}: the network takes inputs of shape [${network.inputShape.join(', ')}], the demo's MNIST images are [${imageShape.join(', ')}]`);
    }
    const normalization = (metadata.slotMachines as { normalization?: Normalization } | undefined)?.normalization ?? MNIST_STANDARDIZE;
    const test = createBatchIterator(dataset, { batchSize: 1000, part: 'test', shuffle: false, normalization });
    const { accuracy } = evaluate(network, test);
    const slotSections = header.sections.filter((s) => s.encoding === 'indices');
    return {
      name,
      bytes: bytes.byteLength,
      k: header.network.k,
      seed: header.network.seed,
      connections: slotSections.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0),
      bitsPerConnection: slotSections[0]?.encoding === 'indices' ? slotSections[0].bits : 0,
      testAccuracy: accuracy,
      testImages: test.size,
    };
  } finally {
    network.dispose();
  }
}
