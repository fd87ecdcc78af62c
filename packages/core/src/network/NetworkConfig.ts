import type * as tf from '@tensorflow/tfjs-core';
import type { InitScheme } from '../init';
import type { SelectionStrategy } from '../selection';
import type { WeightSharingPolicy } from '../weightSharing';
import type { LayerSpec } from '../layers/LayerKind';
import type { LayerRegistry } from '../layers/LayerRegistry';

/** Everything about a network that is plain JSON (stored in checkpoints). */
export interface NetworkConfig {
  /** Input shape without the batch dimension, e.g. `[784]` or `[32, 32, 3]`. */
  readonly inputShape: readonly number[];
  readonly layers: readonly LayerSpec[];
  /** Options, scores and every random draw derive from this seed. */
  readonly seed: number;
  /** Options per connection, the zero option included. @default 8 */
  readonly k?: number;
  /** @default 'paper' */
  readonly init?: InitScheme;
  /** One of the K options is exactly 0 (sparse slot machine). @default false */
  readonly zeroOption?: boolean;
}

/** What `createNetwork` takes: the JSON config plus the plugin objects. */
export interface NetworkOptions extends NetworkConfig {
  /** Required when the network has slot layers. */
  readonly strategy?: SelectionStrategy;
  /** @default noSharing (every connection its own K options) */
  readonly sharing?: WeightSharingPolicy;
  /** Initial weights of ordinary `dense`/`conv2d` layers by layer name (finetuning). Copied, not disposed. */
  readonly initialWeights?: Readonly<Record<string, tf.Tensor>>;
  /** Initial values of any layer variables by `namedVariables()` name (`dense_1/weight`, `batchNorm_3/movingMean`). Copied, not disposed. */
  readonly initialVariables?: Readonly<Record<string, tf.Tensor>>;
  /** The layer kinds `layers` may use. @default createLayerRegistry() (core's kinds) */
  readonly layerKinds?: LayerRegistry;
  /** Whether ordinary weight layers are trainable. @default true */
  readonly trainableWeights?: boolean;
}

/** The config with every default filled in. */
export interface ResolvedNetworkConfig extends NetworkConfig {
  readonly k: number;
  readonly init: InitScheme;
  readonly zeroOption: boolean;
}
