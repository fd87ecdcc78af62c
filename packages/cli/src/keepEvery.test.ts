import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from './faults.test-helpers';

// `train --keep-every N` and finetuning from a kept epoch (the paper's Figure 6), through the built
// CLI in child processes (run once: tools/vitest/backendIndependent.ts).
let root = '';
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sm-keep-every-'));
});

const accuracyOf = (stdout: string) => Number(/test accuracy: ([\d.]+)%/.exec(stdout)?.[1]);

describe('--keep-every and --from-epoch', () => {
  it('keeps the checkpoint of every N epochs; a finetuning from epoch E starts from exactly that network', () => {
    const source = join(root, 'source');
    const s = cli(['train', '--k', '8', '--epochs', '3', '--keep-every', '2', '--train-subset', '1280', '--out', source]);
    expect(s.status, s.all).toBe(0);
    expect(readdirSync(source).filter((f) => f.startsWith('epoch-')).sort()).toEqual(['epoch-0002.safetensors']);
    const atTwo = accuracyOf(cli(['eval', '--run', source, '--checkpoint', 'epoch-2']).stdout);
    const atThree = accuracyOf(cli(['eval', '--run', source, '--checkpoint', 'last']).stdout);
    expect(atTwo).toBeGreaterThan(50);
    // epoch 2's network is not epoch 3's (3 epochs of GS move selections)
    expect(readFileSync(join(source, 'epoch-0002.safetensors')).equals(readFileSync(join(source, 'last.safetensors')))).toBe(false);

    // lr 1e-30: the finetuning cannot move, so it tests as the network it started from
    const still = join(root, 'from-2');
    const f = cli(['finetune', '--run', source, '--from-epoch', '2', '--epochs', '1', '--train-subset', '1280', '--lr', '1e-30', '--schedule', 'constant', '--out', still]);
    expect(f.status, f.all).toBe(0);
    expect(accuracyOf(cli(['eval', '--run', still, '--checkpoint', 'last']).stdout)).toBe(atTwo);
    expect(JSON.parse(readFileSync(join(still, 'config.json'), 'utf8'))).toMatchObject({ finetuneEpoch: 2 });
    // it keeps the checkpoint it started from, so it outlives its source
    expect(existsSync(join(still, 'source', 'epoch-0002.safetensors'))).toBe(true);
    expect(atThree).toBeGreaterThan(0);
  }, 300_000);

  it('says what is missing when the epoch was not kept, and refuses --from-epoch without a run', () => {
    const source = join(root, 'plain');
    expect(cli(['train', '--k', '2', '--epochs', '1', '--train-subset', '256', '--out', source]).status).toBe(0);
    const missing = cli(['finetune', '--run', source, '--from-epoch', '1', '--epochs', '1', '--out', join(root, 'nope')]);
    expect(missing.status, missing.all).toBe(2);
    expect(missing.stderr).toMatch(/epoch-0001\.safetensors: no such checkpoint: --from-epoch needs a run that kept that epoch's checkpoint \(train --keep-every N\); .* was trained without --keep-every/);
    const alone = cli(['train', '--from-epoch', '1', '--out', join(root, 'alone')]);
    expect(alone.status).toBe(2);
    expect(alone.stderr).toMatch(/--from-epoch E picks the checkpoint of the run being finetuned: it needs --finetune-from DIR/);
    const bad = cli(['eval', '--run', source, '--checkpoint', 'epoch-x']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--checkpoint: expected best, last or epoch-E/);
  }, 120_000);
});
