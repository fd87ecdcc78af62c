import * as tf from '@tensorflow/tfjs-core';

/**
 * How options and scores are drawn (spec section 2; fans ignore K).
 * - `paper`: W ~ U(-σ, σ), σ = sqrt(2 / (fanIn + fanOut)); s ~ U(0, λσ), λ = 0.1 dense, 1 conv.
 * - `glorot-uniform` (the authors' code): W ~ U(-b, b), b = sqrt(6 / (fanIn + fanOut)); s ~ U(0, b).
 */
export type InitScheme = 'paper' | 'glorot-uniform';
export const INIT_SCHEMES: readonly InitScheme[] = ['paper', 'glorot-uniform'];

export type WeightLayerKind = 'dense' | 'conv2d';

export interface InitBounds {
  /** Options (and learned weights) are drawn from U(-weightBound, weightBound). */
  readonly weightBound: number;
  /** Scores are drawn from U(0, scoreBound). */
  readonly scoreBound: number;
}

/** The bounds of spec section 2 for one layer. */
export function initBounds(scheme: InitScheme, kind: WeightLayerKind, fanIn: number, fanOut: number): InitBounds {
  if (scheme === 'glorot-uniform') {
    const b = Math.sqrt(6 / (fanIn + fanOut));
    return { weightBound: b, scoreBound: b };
  }
  const sigma = Math.sqrt(2 / (fanIn + fanOut));
  const lambda = kind === 'dense' ? 0.1 : 1;
  return { weightBound: sigma, scoreBound: lambda * sigma };
}

/**
 * Fans of a weight of shape `[in, out]` (dense) or `[kh, kw, cin, cout]` (conv2d):
 * fanIn = cin·kh·kw, fanOut = cout·kh·kw.
 */
export function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 2) return { fanIn: shape[0]!, fanOut: shape[1]! };
  const [kh, kw, cin, cout] = shape as [number, number, number, number];
  return { fanIn: cin * kh * kw, fanOut: cout * kh * kw };
}

/**
 * A seeded U(min, max) float32 tensor. tfjs draws seeded values in JavaScript, so the result is
 * bit-identical on every backend. The caller owns the returned tensor.
 */
export function seededUniform(shape: readonly number[], min: number, max: number, seed: number): tf.Tensor {
  return tf.randomUniform(shape as number[], min, max, 'float32', seed);
}
