import { describe, expect, it } from 'vitest';
import { cropAndFlip, drawAugmentation, type AugmentationDraw } from './Augmentation';
import type { ImageShape } from './ImageDataset';
import { mulberry32 } from './mulberry32';

const shape: ImageShape = [5, 6, 3];
const image = Uint8Array.from({ length: 5 * 6 * 3 }, (_, i) => (i * 37 + 11) % 251);
const at = (img: Uint8Array, y: number, x: number, c: number) => img[(y * 6 + x) * 3 + c];
const apply = (draw: AugmentationDraw) => {
  const out = new Uint8Array(image.length).fill(77);
  cropAndFlip(image, out, 0, shape, draw);
  return out;
};

describe('cropAndFlip', () => {
  it('leaves the image unchanged with crop offset (4, 4), padding 4 and no flip', () => {
    expect(Array.from(apply({ offsetY: 4, offsetX: 4, padding: 4, flip: false }))).toEqual(Array.from(image));
  });

  it('reverses the columns (and keeps channels in order) when flipping', () => {
    const out = apply({ offsetY: 4, offsetX: 4, padding: 4, flip: true });
    for (let y = 0; y < 5; y++) for (let x = 0; x < 6; x++) for (let c = 0; c < 3; c++) expect(at(out, y, x, c)).toBe(at(image, y, 5 - x, c));
  });

  it('shifts the window and fills the padding with zeros', () => {
    // offset (2, 7) with padding 4: output (y, x) = input (y - 2, x + 3)
    const out = apply({ offsetY: 2, offsetX: 7, padding: 4, flip: false });
    for (let y = 0; y < 5; y++) {
      for (let x = 0; x < 6; x++) {
        for (let c = 0; c < 3; c++) {
          const sy = y - 2;
          const sx = x + 3;
          expect(at(out, y, x, c)).toBe(sy >= 0 && sx < 6 ? at(image, sy, sx, c) : 0);
        }
      }
    }
  });

  it('crops then flips, like RandomCrop followed by RandomHorizontalFlip', () => {
    const cropped = apply({ offsetY: 5, offsetX: 2, padding: 4, flip: false });
    const both = apply({ offsetY: 5, offsetX: 2, padding: 4, flip: true });
    for (let y = 0; y < 5; y++) for (let x = 0; x < 6; x++) for (let c = 0; c < 3; c++) expect(at(both, y, x, c)).toBe(at(cropped, y, 5 - x, c));
  });
});

describe('drawAugmentation', () => {
  it('draws crop offsets in [0, 8] and flips about half the time', () => {
    const rng = mulberry32(3);
    const offsets = new Set<number>();
    let flips = 0;
    for (let i = 0; i < 2000; i++) {
      const d = drawAugmentation({ kind: 'crop-flip', padding: 4 }, rng);
      expect(d.padding).toBe(4);
      offsets.add(d.offsetY).add(d.offsetX);
      if (d.flip) flips++;
    }
    expect([...offsets].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(Math.abs(flips - 1000)).toBeLessThan(120);
  });

  it('flip-only never shifts; none never changes anything', () => {
    const rng = mulberry32(4);
    let flips = 0;
    for (let i = 0; i < 200; i++) {
      const d = drawAugmentation({ kind: 'flip' }, rng);
      expect([d.offsetY, d.offsetX, d.padding]).toEqual([0, 0, 0]);
      if (d.flip) flips++;
      expect(drawAugmentation({ kind: 'none' }, rng)).toEqual({ offsetY: 0, offsetX: 0, flip: false, padding: 0 });
    }
    expect(flips).toBeGreaterThan(60);
    expect(flips).toBeLessThan(140);
  });

  it('rejects a bad padding and an unknown kind', () => {
    expect(() => drawAugmentation({ kind: 'crop-flip', padding: -1 }, mulberry32(0))).toThrow(/augmentation.padding/);
    expect(() => drawAugmentation({ kind: 'rotate' } as never, mulberry32(0))).toThrow(/augmentation.kind/);
  });
});
