import { SlotConfigError } from '../errors';

export type Padding = 'same' | 'valid';

/** Output `[h, w, filters]` of a stride-1 convolution over `[h, w, c]`. */
export function conv2dOutputShape(
  name: string,
  inputShape: readonly number[],
  kernelSize: number,
  filters: number,
  padding: Padding,
): number[] {
  if (inputShape.length !== 3) {
    throw new SlotConfigError(`input of ${name}`, 'shape [height, width, channels]', inputShape);
  }
  const [h, w] = inputShape as [number, number, number];
  const oh = padding === 'same' ? h : h - kernelSize + 1;
  const ow = padding === 'same' ? w : w - kernelSize + 1;
  if (oh < 1 || ow < 1) {
    throw new SlotConfigError(`input of ${name}`, `height and width >= ${kernelSize} for 'valid' padding`, inputShape);
  }
  return [oh, ow, filters];
}

/** The number of input units of a dense layer: its input must be flat. */
export function denseInputUnits(name: string, inputShape: readonly number[]): number {
  if (inputShape.length !== 1) {
    throw new SlotConfigError(`input of ${name}`, "a flat shape [units] (add a { type: 'flatten' } layer first)", inputShape);
  }
  return inputShape[0]!;
}
