import { validate } from './DatasetError';
import type { ImageShape } from './ImageDataset';
import type { Rng } from './mulberry32';

/**
 * Training-time augmentation (a JSON-serialisable config), drawn per image from a stream seeded by
 * (seed, epoch, batch) so a resumed run sees the same images:
 * - `none`;
 * - `crop-flip`: pad `padding` zero pixels on every side, crop a random window of the original size
 *   (offsets uniform in [0, 2 * padding] on each axis), then flip left-right with probability 1/2;
 * - `flip`: the left-right flip alone (what the Slot Machines authors' code does).
 * Applied to raw bytes before normalisation, so padding is black (0), as torchvision's `RandomCrop`.
 */
export type Augmentation =
  | { readonly kind: 'none' }
  | { readonly kind: 'crop-flip'; /** @default 4 */ readonly padding?: number }
  | { readonly kind: 'flip' };

/** No augmentation: the default. */
export const NO_AUGMENTATION: Augmentation = { kind: 'none' };
/** The spec's CIFAR-10 augmentation: 4-pixel zero-padded random crop + random horizontal flip. */
export const CIFAR10_AUGMENTATION: Augmentation = { kind: 'crop-flip', padding: 4 };
/** The Slot Machines authors' code: random horizontal flip only. */
export const FLIP_ONLY_AUGMENTATION: Augmentation = { kind: 'flip' };

/** One image's draw. `offsetY = offsetX = padding` with `flip = false` is the identity. */
export interface AugmentationDraw {
  /** Top row of the crop window in padded coordinates, in [0, 2 * padding]. */
  readonly offsetY: number;
  /** Left column of the crop window in padded coordinates, in [0, 2 * padding]. */
  readonly offsetX: number;
  readonly flip: boolean;
  /** The zero padding the offsets refer to. */
  readonly padding: number;
}

/**
 * Draws one image's augmentation from `rng` (offsets first, then the flip bit).
 *
 * @throws DatasetError `invalid-option` for an unknown kind or a padding that is not an integer >= 0
 */
export function drawAugmentation(augmentation: Augmentation, rng: Rng): AugmentationDraw {
  switch (augmentation.kind) {
    case 'none':
      return { offsetY: 0, offsetX: 0, flip: false, padding: 0 };
    case 'flip':
      return { offsetY: 0, offsetX: 0, flip: rng.nextInt(2) === 1, padding: 0 };
    case 'crop-flip': {
      const padding = augmentation.padding ?? 4;
      validate.requireInteger('augmentation.padding', padding, 0);
      const offsetY = rng.nextInt(2 * padding + 1);
      const offsetX = rng.nextInt(2 * padding + 1);
      return { offsetY, offsetX, flip: rng.nextInt(2) === 1, padding };
    }
    default:
      throw validate.invalid('augmentation.kind', "'none', 'crop-flip' or 'flip'", (augmentation as { kind: unknown }).kind);
  }
}

/**
 * Writes the augmented `src` image (HWC bytes of `shape`) into `dst` at `offset`: output pixel
 * (y, x) is input pixel (y + offsetY - padding, x' + offsetX - padding), with x' = width - 1 - x
 * when flipping, and 0 where that falls in the padding. Memory: writes into `dst`; no tensors.
 */
export function cropAndFlip(src: Uint8Array, dst: Uint8Array, offset: number, shape: ImageShape, draw: AugmentationDraw): void {
  const [h, w, c] = shape;
  const dy = draw.offsetY - draw.padding;
  const dx = draw.offsetX - draw.padding;
  for (let y = 0; y < h; y++) {
    const sy = y + dy;
    for (let x = 0; x < w; x++) {
      const sx = (draw.flip ? w - 1 - x : x) + dx;
      const o = offset + (y * w + x) * c;
      if (sy < 0 || sy >= h || sx < 0 || sx >= w) {
        for (let k = 0; k < c; k++) dst[o + k] = 0;
      } else {
        const s = (sy * w + sx) * c;
        for (let k = 0; k < c; k++) dst[o + k] = src[s + k]!;
      }
    }
  }
}
