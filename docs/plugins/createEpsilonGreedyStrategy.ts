import * as tf from '@tensorflow/tfjs-core';
import { SlotConfigError, argmaxSelection, type SelectionStrategy } from '@slot-machines/core';

/** Options of the example plugin. Users type their options apart from the resolved ones. */
export interface EpsilonGreedyOptions {
  /** Probability that a connection explores a uniformly random option on a training pass. @default 0.1 */
  readonly epsilon?: number;
}

// Declaration merging: the registry now knows the id 'epsilon-greedy' and its options' type.
declare module '@slot-machines/core' {
  interface StrategyOptionsById {
    'epsilon-greedy': EpsilonGreedyOptions;
  }
}

/**
 * Epsilon-greedy selection: each connection takes its best-scored option, except with probability
 * `epsilon` (per connection, per training pass) a uniformly random one. All a plugin writes is
 * this forward choice: the core adds the straight-through gradient to every score, and at test
 * time uses the argmax network.
 */
export function createEpsilonGreedyStrategy(options: EpsilonGreedyOptions = {}): SelectionStrategy<'epsilon-greedy'> {
  const epsilon = options.epsilon ?? 0.1;
  if (typeof epsilon !== 'number' || !(epsilon >= 0 && epsilon <= 1)) {
    throw new SlotConfigError('epsilon', 'a probability in [0, 1]', epsilon);
  }
  return {
    id: 'epsilon-greedy',
    options: { epsilon },
    select: (scores, ctx) =>
      tf.tidy(() => {
        const k = scores.shape[scores.rank - 1]!;
        const shape = scores.shape.slice(0, -1);
        const best = argmaxSelection(scores);
        // two independent streams from the one seed the core hands over
        const explore = tf.less(tf.randomUniform(shape, 0, 1, 'float32', ctx.seed), epsilon);
        const random = tf.minimum(tf.cast(tf.floor(tf.randomUniform(shape, 0, k, 'float32', ctx.seed ^ 0x5bd1e995)), 'int32'), tf.scalar(k - 1, 'int32'));
        return tf.where(explore, random, best);
      }),
  };
}
