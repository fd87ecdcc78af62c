import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { main } from './main';
import { captureIo } from './testIo.test-helpers';

const backend = process.env.SM_TEST_BACKEND ?? 'cpu';

describe('slot-machines --help and bad input', () => {
  it('explains the commands, and every option of train', async () => {
    const io = captureIo();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.out()).toMatch(/Commands:\n  train .*\n  finetune .*\n  eval .*\n  export .*\n  summary .*\n  reproduce .*\n  sweep .*\n  native /);
    const t = captureIo();
    expect(await main(['train', '--help'], t)).toBe(0);
    for (const flag of ['--arch', '--k', '--strategy', '--sharing', '--zero-option', '--epochs', '--seed', '--backend', '--out', '--resume']) {
      expect(t.out()).toContain(flag);
    }
  });

  it.each([
    [['frobnicate'], /unknown command 'frobnicate'; expected one of train, finetune, eval, export, summary, reproduce, sweep, native/],
    [['train', '--k', '2.5'], /slot-machines train: --k: expected an integer >= 1, got '2.5'/],
    [['train', '--strategy', 'random'], /--strategy: expected one of 'greedy', 'probabilistic', 'edge-popup', 'supermask', got 'random'/],
    [['train', '--arch', 'conv-6', '--dataset', 'mnist'], /--arch conv-6 does not fit --dataset mnist/],
    [['train', '--bogus'], /slot-machines train: Unknown option '--bogus'/],
    [['eval'], /--run DIR is required/],
    [['eval', '--run', '/nonexistent/run'], /\/nonexistent\/run\/config\.json: no such file/],
    [['eval', '--model', '/nonexistent/model.slot'], /slot-machines eval: \/nonexistent\/model\.slot: no such file/],
    [['eval', '--model', 'm.slot', '--checkpoint', 'last'], /--checkpoint: only for --run DIR \(a compact model holds one network, the argmax one\)/],
    [['export', '--run', 'r', '--out', 'o', '--format', 'onnx'], /--format: expected one of 'layers-model', 'slot', got 'onnx'/],
    [['reproduce', 'imagenet'], /expected a dataset: 'reproduce mnist'/],
  ])('%j fails with a message that names the problem', async (argv, message) => {
    const io = captureIo();
    expect(await main(argv as string[], io)).toBe(2);
    expect(io.err()).toMatch(message);
  });
});

describe('train, eval and export on real MNIST', () => {
  // Each step reads all 19,000 validation and test images: minutes on the JavaScript cpu backend.
  it.skipIf(backend === 'cpu')('trains, evaluates, and exports a network that plain tfjs-layers runs at the same accuracy', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sm-cli-'));
    const run = join(dir, 'run');
    const io = captureIo();
    const code = await main(['train', '--epochs', '2', '--train-subset', '3000', '--k', '4', '--seed', '3', '--out', run, '--backend', backend], io);
    expect(code, io.err()).toBe(0);
    expect((await readdir(run)).sort()).toEqual(['best.safetensors', 'config.json', 'last.safetensors', 'metrics.jsonl', 'summary.json']);
    const lines = (await readFile(join(run, 'metrics.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.epoch)).toEqual([1, 2]);
    expect(Object.keys(lines[0]).sort()).toEqual(
      ['epoch', 'learningRate', 'trainLoss', 'trainAccuracy', 'valLoss', 'valAccuracy', 'testLoss', 'testAccuracy', 'selectionChange', 'sparsity', 'step', 'seconds'].sort(),
    );
    expect(io.out()).toMatch(/test accuracy: \d+\.\d\d%/);
    expect(io.err()).toMatch(/epoch 1\/2 .*val .*test .*changed/);

    const evalIo = captureIo();
    expect(await main(['eval', '--run', run, '--backend', backend], evalIo)).toBe(0);
    const slotAccuracy = Number(/test accuracy: ([\d.]+)%/.exec(evalIo.out())![1]) / 100;
    const summary = JSON.parse(await readFile(join(run, 'summary.json'), 'utf8'));
    expect(slotAccuracy).toBeCloseTo(summary.result.best.testAccuracy, 4);
    expect(slotAccuracy).toBeGreaterThan(0.8);

    const exported = join(dir, 'model');
    expect(await main(['export', '--run', run, '--out', exported, '--backend', backend], captureIo())).toBe(0);
    const json = JSON.parse(await readFile(join(exported, 'model.json'), 'utf8'));
    const weights = await readFile(join(exported, 'weights.bin'));
    const model = await tfl.loadLayersModel(
      tf.io.fromMemory(json.modelTopology, json.weightsManifest[0].weights, weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength)),
    );
    const { loadBundledMnist } = await import('@slot-machines/datasets/node');
    const { createBatchIterator } = await import('@slot-machines/datasets');
    const mnist = await loadBundledMnist();
    // the export says how its inputs were normalised; feed the test images the same way
    expect(json.userDefinedMetadata.slotMachines.normalization).toEqual({ kind: 'standardize', mean: [0.1307], std: [0.3081] });
    const test = createBatchIterator(mnist, { batchSize: 1000, part: 'test', shuffle: false, normalization: json.userDefinedMetadata.slotMachines.normalization });
    let correct = 0;
    for (let i = 0; i < test.batchesPerEpoch; i++) {
      const batch = test.batch(0, i);
      correct += tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(model.predict(batch.x) as tf.Tensor, -1), batch.y), 'int32')).dataSync()[0]!);
      tf.dispose(batch);
    }
    expect(correct / mnist.testCount).toBeCloseTo(slotAccuracy, 4);
    model.dispose();

    // the compact model: over 10x smaller than the float32 weights, the same test accuracy once reloaded
    const compactIo = captureIo();
    expect(await main(['export', '--run', run, '--out', exported, '--format', 'slot', '--backend', backend], compactIo), compactIo.err()).toBe(0);
    const slotFile = join(exported, 'model.slot');
    const compact = await readFile(slotFile);
    expect(compact.byteLength * 10).toBeLessThan(weights.byteLength);
    expect(compactIo.out()).toContain(`wrote ${slotFile}: ${compact.byteLength.toLocaleString('en-US')} bytes`);
    const compactEval = captureIo();
    expect(await main(['eval', '--model', slotFile, '--backend', backend], compactEval), compactEval.err()).toBe(0);
    expect(Number(/test accuracy: ([\d.]+)%/.exec(compactEval.out())![1]) / 100).toBe(slotAccuracy);
    await writeFile(join(dir, 'cut.slot'), compact.subarray(0, 1000));
    const cut = captureIo();
    expect(await main(['eval', '--model', join(dir, 'cut.slot'), '--backend', backend], cut)).toBe(2);
    expect(cut.err()).toMatch(/cut\.slot: truncated: 1000 bytes, expected \d+ \(CompactModelTruncatedError\)/);

    // finetuning starts from the selected network: its first epoch already sits near its accuracy
    const tuned = captureIo();
    expect(await main(['finetune', '--run', run, '--epochs', '1', '--train-subset', '3000', '--out', join(dir, 'tuned'), '--backend', backend], tuned), tuned.err()).toBe(0);
    const tunedConfig = JSON.parse(await readFile(join(dir, 'tuned', 'config.json'), 'utf8'));
    expect(tunedConfig.finetuneFrom).toBe(run);
    expect(tunedConfig.learningRate).toBe(0.01);
    expect(Number(/test accuracy: ([\d.]+)%/.exec(tuned.out())![1]) / 100).toBeGreaterThan(slotAccuracy - 0.05);
  });
});
