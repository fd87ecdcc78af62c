import * as tf from '@tensorflow/tfjs-core';
import { argmaxSelection } from './selection';
import type { SelectionStrategy } from './selection';

/** Core tests cannot import the plugin packages (the core knows no plugin): two minimal strategies. */
export const argmaxStrategy: SelectionStrategy = { id: 'test-argmax', select: (s) => argmaxSelection(s) };

/** Uniformly random choice per connection, seeded from the context. */
export const uniformStrategy: SelectionStrategy = {
  id: 'test-uniform',
  select: (s, ctx) =>
    tf.tidy(() => {
      const k = s.shape[s.rank - 1]!;
      const u = tf.randomUniform(s.shape.slice(0, -1), 0, k, 'float32', ctx.seed);
      return tf.minimum(tf.cast(tf.floor(u), 'int32'), tf.scalar(k - 1, 'int32'));
    }),
};
