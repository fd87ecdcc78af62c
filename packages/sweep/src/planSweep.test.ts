import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSweepGrid } from './SweepGrid';
import { planSweep, readSweepPlan, writeSweepPlan } from './planSweep';

const identity = (params: Readonly<Record<string, unknown>>) => ({ ...params });

describe('parseSweepGrid', () => {
  it('reads YAML and JSON alike, the name from the file when not given', () => {
    const yaml = parseSweepGrid('base:\n  epochs: 1\ngrid:\n  k: [2, 8]\n  strategy: [greedy, probabilistic]\n', 'sweeps/fig3.yaml');
    const json = parseSweepGrid('{"base": {"epochs": 1}, "grid": {"k": [2, 8], "strategy": ["greedy", "probabilistic"]}}', 'fig3.json');
    expect(yaml).toEqual({ name: 'fig3', base: { epochs: 1 }, axes: { k: [2, 8], strategy: ['greedy', 'probabilistic'] } });
    expect(json).toEqual(yaml);
  });

  it.each([
    ['grid: { k: [2, 8] }\nextra: 1\n', "g.yaml: unknown field 'extra'; expected name, base and grid"],
    ['base: { k: 2 }\n', 'g.yaml: grid: expected an object of at least one axis'],
    ['grid: { k: [] }\n', 'g.yaml: grid.k: expected a non-empty list of values, got []'],
    ['grid: { k: [2, 2] }\n', 'g.yaml: grid.k: expected distinct values, got [2,2]'],
    ['grid: { k: [2, { a: 1 }] }\n', 'g.yaml: grid.k[1]: expected a string, a finite number or a boolean, got {"a":1}'],
    ['base: { k: 2 }\ngrid: { k: [2, 8] }\n', 'g.yaml: grid.k: k is also set in base; set it in one place'],
    ['name: "a b"\ngrid: { k: [2] }\n', 'g.yaml: name: expected letters, digits'],
    ['grid: { k: [2, 8\n', 'g.yaml: not valid YAML'],
  ])('refuses %j naming the file and field', (text, message) => {
    expect(() => parseSweepGrid(text, 'g.yaml')).toThrow(message);
  });
});

describe('planSweep', () => {
  it('one run per combination, the first axis slowest, ids from the values only', () => {
    const grid = parseSweepGrid('base: { epochs: 1 }\ngrid: { k: [2, 8], strategy: [greedy], seed: [0, 1] }\n', 'tiny.yaml');
    const plan = planSweep(grid, identity);
    expect(plan.runs.map((r) => r.id)).toEqual(['k2_strategy-greedy_seed0', 'k2_strategy-greedy_seed1', 'k8_strategy-greedy_seed0', 'k8_strategy-greedy_seed1']);
    expect(plan.runs[3]).toEqual({ id: 'k8_strategy-greedy_seed1', point: { k: 8, strategy: 'greedy', seed: 1 }, spec: { epochs: 1, k: 8, strategy: 'greedy', seed: 1 } });
    expect(plan.axes).toEqual(['k', 'strategy', 'seed']);
    // the same grid with another base keeps its ids
    const again = planSweep(parseSweepGrid('base: { epochs: 5 }\ngrid: { k: [2, 8], strategy: [greedy], seed: [0, 1] }\n', 'tiny.yaml'), identity);
    expect(again.runs.map((r) => r.id)).toEqual(plan.runs.map((r) => r.id));
  });

  it('says which run a resolver refused, and refuses two points with one id', () => {
    const grid = parseSweepGrid('grid: { k: [2, 0] }\n', 'g.yaml');
    expect(() =>
      planSweep(grid, (params, id) => {
        if (params.k === 0) throw new Error(`run ${id}: k: expected an integer >= 1, got 0`);
        return params;
      }),
    ).toThrow('run k0: k: expected an integer >= 1, got 0');
    expect(() => planSweep(parseSweepGrid('grid: { data: ["a b", "a-b"] }\n', 'g.yaml'), identity)).toThrow(`both make the run id 'data-a-b'`);
  });
});

describe('writeSweepPlan', () => {
  it('writes plan.json once, grows it with new runs, refuses a changed run naming the field', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sm-plan-'));
    const small = planSweep(parseSweepGrid('base: { epochs: 1 }\ngrid: { k: [2, 8] }\n', 's.yaml'), identity);
    expect(await writeSweepPlan(dir, small)).toEqual({ added: ['k2', 'k8'], kept: [] });
    expect(await readSweepPlan(dir)).toEqual(small);
    expect(await writeSweepPlan(dir, small)).toEqual({ added: [], kept: ['k2', 'k8'] });
    const bigger = planSweep(parseSweepGrid('base: { epochs: 1 }\ngrid: { k: [4, 2, 8] }\n', 's.yaml'), identity);
    expect(await writeSweepPlan(dir, bigger)).toEqual({ added: ['k4'], kept: ['k2', 'k8'] });
    expect((await readSweepPlan(dir)).runs.map((r) => r.id)).toEqual(['k2', 'k8', 'k4']);
    const changed = planSweep(parseSweepGrid('base: { epochs: 3 }\ngrid: { k: [2, 8] }\n', 's.yaml'), identity);
    await expect(writeSweepPlan(dir, changed)).rejects.toThrow(`${join(dir, 'plan.json')}: the run k2 is planned there with epochs 1, the new grid gives 3`);
    const other = planSweep(parseSweepGrid('grid: { k: [2] }\n', 'other.yaml'), identity);
    await expect(writeSweepPlan(dir, other)).rejects.toThrow(`holds the sweep 's', not 'other'`);
  });

  it('refuses a missing or damaged plan.json naming the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sm-plan-'));
    await expect(readSweepPlan(dir)).rejects.toThrow(`${join(dir, 'plan.json')}: no such file: is ${dir} a sweep directory?`);
    await writeFile(join(dir, 'plan.json'), '{"version": 1, "runs": [');
    await expect(readSweepPlan(dir)).rejects.toThrow(`${join(dir, 'plan.json')}: not valid JSON`);
    await writeFile(join(dir, 'plan.json'), '{"version": 2}');
    await expect(readSweepPlan(dir)).rejects.toThrow('expected a sweep plan (version 1');
    expect(await readFile(join(dir, 'plan.json'), 'utf8')).toBe('{"version": 2}');
  });
});
