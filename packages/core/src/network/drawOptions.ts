import type * as tf from '@tensorflow/tfjs-core';
import { SlotConfigError } from '../errors';
import { fans, initBounds, type InitScheme } from '../init';
import type { OptionRequest, WeightSharingPolicy } from '../weightSharing';
import type { LayerPlan } from './planLayers';

/**
 * The K options of every slot layer among `plans`, by layer name, as `sharing` draws them from
 * `(seed, layer index)` and the layers' init bounds (without the zero option, which `SlotWeights`
 * applies). What a network is built with, and what a compact model regenerates. The caller owns
 * the returned tensors.
 */
export function drawNetworkOptions(
  plans: readonly LayerPlan[],
  config: { readonly k: number; readonly seed: number; readonly init: InitScheme },
  sharing: WeightSharingPolicy,
): Map<string, tf.Tensor> {
  const { k, seed, init } = config;
  const slotPlans = plans.filter((p) => p.kind.weight?.source === 'slot');
  const requests: OptionRequest[] = slotPlans.map((p) => {
    const { fanIn, fanOut } = fans(p.weightShape!);
    return {
      layerIndex: p.weightIndex,
      shape: [...p.weightShape!, k],
      bound: initBounds(init, p.kind.weight!.op, fanIn, fanOut).weightBound,
    };
  });
  if (requests.length === 0) return new Map();
  const tensors = sharing.createOptions(requests, { k, seed });
  if (!Array.isArray(tensors) || tensors.length !== requests.length) {
    throw new SlotConfigError(`sharing '${sharing.id}'.createOptions`, `${requests.length} tensors, one per slot layer`, tensors?.length);
  }
  return new Map(slotPlans.map((p, i) => [p.name, tensors[i]!]));
}
