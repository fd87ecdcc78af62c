import { describe, expect, it } from 'vitest';
import { main } from '../main';
import { captureIo } from '../testIo.test-helpers';

async function summary(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo();
  const code = await main(['summary', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

const totals = (out: string) => out.trim().split('\n').at(-1)!.split(/\s{2,}/);

describe('slot-machines summary', () => {
  it('prints VGG-19 layer by layer with 20,024,000 weights in all', async () => {
    const { code, out } = await summary('--arch', 'vgg-19');
    expect(code).toBe(0);
    expect(out).toMatch(/^vgg-19 \(slot, K=8\), input \[32, 32, 3\]/);
    const lines = out.trim().split('\n');
    expect(lines.filter((l) => /\bslotConv2d\b/.test(l))).toHaveLength(16);
    expect(lines.filter((l) => /\bbatchNorm\b/.test(l))).toHaveLength(16);
    expect(out).toMatch(/avgPool2d_\d+\s+avgPool2d\s+\[1, 1, 512\]/);
    // weights, options (x8), scores (x8), state: options + scores + momentum, plus 2 floats per BN channel
    expect(totals(out)).toEqual(['total', '20,024,000', '160,192,000', '160,192,000', '1.8 GiB']);
  });

  it.each([
    [['--arch', 'lenet-300-100'], '266,200'],
    [['--arch', 'conv-2'], '4,300,992'],
    [['--arch', 'conv-4'], '2,425,024'],
    [['--arch', 'conv-6'], '2,261,184'],
    // valid: 1,144,512 conv weights + 1,024x256 + 256x256 + 256x10
    [['--arch', 'conv-6', '--padding', 'valid'], '1,474,752'],
  ])('%s: the same weight totals as before VGG-19 (%s)', async (args, weights) => {
    const { code, out } = await summary(...args);
    expect(code).toBe(0);
    expect(totals(out)[1]).toBe(weights);
  });

  it('follows --k and --flavour, and refuses a bad value naming the flag', async () => {
    const k64 = await summary('--arch', 'lenet-300-100', '--k', '64');
    expect(totals(k64.out).slice(1, 4)).toEqual(['266,200', '17,036,800', '17,036,800']);
    const learned = await summary('--arch', 'lenet-300-100', '--flavour', 'learned');
    expect(learned.out).toMatch(/^lenet-300-100 \(learned\)/);
    // weight + momentum, no options or scores
    expect(totals(learned.out)).toEqual(['total', '266,200', '0', '0', '2.0 MiB']);
    const bad = await summary('--arch', 'vgg-20');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--arch: expected one of .*'vgg-19', got 'vgg-20'/);
  });
});
