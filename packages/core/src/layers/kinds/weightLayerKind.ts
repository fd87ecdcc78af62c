import { SlotConfigError } from '../../errors';
import { LearnedWeight } from '../LearnedWeight';
import type { BaseLayerSpec, LayerKind, WeightSource } from '../LayerKind';
import { SlotWeights } from '../SlotWeights';
import { WeightLayer } from '../WeightLayer';
import type { WeightOp } from '../weightOps';

/**
 * The kind of a weight layer with op `op` whose weight comes from `source`: one implementation for
 * slotDense, dense, slotConv2d and conv2d. `plainType` is the learned kind a slot layer becomes in
 * the extracted (argmax) network.
 */
export function weightLayerKind<Spec extends BaseLayerSpec>(type: Spec['type'], op: WeightOp<Spec>, source: WeightSource, plainType?: string): LayerKind<Spec> {
  return {
    type,
    weight: { op: op.id, source, ...(plainType ? { plainType } : {}) },
    plan: (spec, ctx) => op.plan(spec, ctx),
    create(spec, ctx) {
      const common = { name: ctx.name, op: op.id, weightShape: ctx.weightShape, seed: ctx.seed, layerIndex: ctx.weightIndex, init: ctx.init };
      let provider;
      if (source === 'slot') {
        if (!ctx.strategy) throw new SlotConfigError('strategy', `a SelectionStrategy because ${ctx.name} is a slot layer`, ctx.strategy);
        provider = new SlotWeights({ ...common, k: ctx.k, strategy: ctx.strategy, zeroOption: ctx.zeroOption, ...(ctx.options ? { options: ctx.options } : {}) });
      } else {
        const initialWeight = ctx.initial.weight;
        provider = new LearnedWeight({ ...common, trainable: ctx.trainableWeights, ...(initialWeight ? { initialWeight } : {}) });
      }
      return new WeightLayer(type, ctx.name, op, spec, provider, ctx.weightIndex, ctx.inputShape, ctx.outputShape);
    },
    toKeras(layer, spec) {
      const l = layer as WeightLayer;
      const { className, config } = op.keras(spec, l.name, l.outputShape, l.weightShape);
      return { className, config, weights: [{ name: `${l.name}/kernel`, tensor: l.selectedWeight() }] };
    },
    counts(_spec, plan, network) {
      const weights = plan.weightShape!.reduce((a, b) => a * b, 1);
      if (source === 'slot') {
        const options = weights * network.k;
        // options + scores + one momentum per score
        return { weights, options, scores: options, stateFloats: 3 * options };
      }
      // weight + its momentum
      return { weights, options: 0, scores: 0, stateFloats: 2 * weights };
    },
  };
}
