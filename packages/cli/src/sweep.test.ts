import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisServerAvailable, startRedisServer, type TestRedis } from '@slot-machines/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, checkpointHeader } from './faults.test-helpers';

// A sweep as users run it: the built CLI in child processes (plan, enqueue, two workers on wasm,
// status, report) against a real redis-server started here. The test process touches no tensor:
// the file runs once (tools/vitest/backendIndependent.ts).
const haveRedis = redisServerAvailable();
if (!haveRedis) console.warn('sweep.test: redis-server is not installed (tools/ci/install-redis.sh installs it): the sweep tests are skipped');

let redis: TestRedis;
let root = '';
const workers: ChildProcess[] = [];

beforeAll(async () => {
  if (!haveRedis) return;
  redis = await startRedisServer();
  root = await mkdtemp(join(tmpdir(), 'sm-sweep-'));
});
afterAll(async () => {
  for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
  await redis?.stop();
});

function cli(args: readonly string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, all: `${r.stdout}\n${r.stderr}` };
}

/** A worker process (wasm, quick lock expiry) whose stderr is kept. */
function startWorker(dir: string, lockSeconds: number) {
  const child = spawn(
    process.execPath,
    [bin, 'sweep', 'worker', '--runs', dir, '--redis', redis.url, '--exit-when-done', '--lock-seconds', String(lockSeconds), '--stalled-seconds', '1', '--backend', 'wasm', '--quiet'],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } },
  );
  workers.push(child);
  let log = '';
  child.stderr!.on('data', (d: Buffer) => {
    log += d.toString();
    writeFileSync(join(root, `worker-${child.pid}.log`), log); // kept for a failure's post-mortem
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, exit, log: () => log };
}

const events = (dir: string): Array<{ event: string; worker: string }> =>
  existsSync(join(dir, 'sweep-events.jsonl'))
    ? readFileSync(join(dir, 'sweep-events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    : [];
/** A checkpoint's variables as base64 bytes by name. */
function variables(path: string): Record<string, string> {
  const { header, dataStart } = checkpointHeader(path);
  const bytes = readFileSync(path);
  const out: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name.startsWith('variable/')) out[name] = bytes.subarray(dataStart + entry.data_offsets[0], dataStart + entry.data_offsets[1]).toString('base64');
  }
  return out;
}
const metricsWithoutTime = (dir: string) => readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => ({ ...JSON.parse(l), seconds: 0 }));
const until = async (what: string, ok: () => boolean | Promise<boolean>, seconds: number) => {
  const deadline = Date.now() + seconds * 1000;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${seconds} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe.skipIf(!haveRedis)('slot-machines sweep on Redis', () => {
  it('two workers train a K x seed grid; one SIGKILLed mid-run is resumed by another to the metrics of an uninterrupted run; Redis restarted mid-sweep loses and repeats no run', async () => {
    const dir = join(root, 'tiny');
    const grid = join(root, 'tiny.yaml');
    // Lenet on 1,280 images, 1 epoch (9 steps), a checkpoint every 2 steps: a kill lands between checkpoints
    await writeFile(grid, 'base:\n  epochs: 1\n  trainSubset: 1280\n  checkpointEverySteps: 2\ngrid:\n  k: [2, 8]\n  seed: [0, 1]\n');
    const planned = cli(['sweep', 'plan', grid, '--runs', dir]);
    expect(planned.status, planned.all).toBe(0);
    expect(planned.stdout).toMatch(/k2_seed0 +lenet-300-100 GS K=2 +1\n/);
    expect(planned.stdout).toContain(`${join(dir, 'plan.json')}: 4 runs; queue slot-machines-sweep-tiny`);
    const enqueued = cli(['sweep', 'enqueue', '--runs', dir, '--redis', redis.url]);
    expect(enqueued.status, enqueued.all).toBe(0);
    expect(enqueued.stdout).toBe('enqueued 4 runs\n');

    // A's runs are taken over 2 s after it dies; B's and C's locks outlast the Redis restart below
    const a = startWorker(dir, 2);
    const b = startWorker(dir, 20);
    // kill A as soon as its run has a checkpoint inside the epoch
    let killed = '';
    await until(
      "a checkpoint inside the epoch of A's run",
      () => {
        for (const id of ['k2_seed0', 'k2_seed1', 'k8_seed0', 'k8_seed1']) {
          const run = join(dir, id);
          if (!existsSync(join(run, 'last.safetensors')) || existsSync(join(run, 'summary.json'))) continue;
          if (events(run).at(-1)?.worker.endsWith(`:${a.child.pid}`) !== true) continue;
          let batch = 0;
          try {
            batch = checkpointHeader(join(run, 'last.safetensors')).state.progress.batch;
          } catch {
            continue; // being renamed into place
          }
          if (batch > 0) {
            a.child.kill('SIGKILL');
            killed = id;
            return true;
          }
        }
        return false;
      },
      60,
    );
    expect(await a.exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(existsSync(join(dir, killed, 'summary.json'))).toBe(false); // it died mid-run
    const c = startWorker(dir, 20); // two workers again

    // Redis goes away and comes back (SIGTERM to its pid, restarted on the same port and files)
    // while B trains
    await until('C connected', () => c.log().includes('working on'), 60);
    const pidBefore = redis.pid();
    await redis.restart({ downMs: 1000 });
    expect(redis.pid()).not.toBe(pidBefore);

    const alive = [b, c];
    const exits = await Promise.all(alive.map((w) => w.exit));
    expect(exits, alive.map((w) => w.log()).join('\n----\n')).toEqual([{ code: 0, signal: null }, { code: 0, signal: null }]);
    expect(alive.some((w) => w.log().includes('connected again')), alive.map((w) => w.log()).join('\n----\n')).toBe(true);

    // every run finished once: one start from epoch 1, one finish, one epoch of metrics
    for (const id of ['k2_seed0', 'k2_seed1', 'k8_seed0', 'k8_seed1']) {
      const run = join(dir, id);
      expect(existsSync(join(run, 'summary.json')), id).toBe(true);
      const kinds = events(run).map((e) => e.event);
      expect(kinds.filter((k) => k === 'start'), `${id}: ${kinds}`).toHaveLength(1);
      expect(kinds.filter((k) => k === 'finish'), `${id}: ${kinds}`).toHaveLength(1);
      expect(kinds, `${id}: ${kinds}`).not.toContain('found-finished');
      expect(metricsWithoutTime(run)).toHaveLength(1);
    }
    // the killed run: started by the killed worker, resumed from its checkpoint by another
    const killedEvents = events(join(dir, killed));
    expect(killedEvents[0]).toMatchObject({ event: 'start', worker: expect.stringMatching(new RegExp(`:${a.child.pid}$`)) });
    expect(killedEvents.find((e) => e.event === 'resume')?.worker).toMatch(new RegExp(`:(${b.child.pid}|${c.child.pid})$`));

    // ... and it ends where an uninterrupted run of its configuration ends
    const config = JSON.parse(await readFile(join(dir, killed, 'config.json'), 'utf8'));
    const alone = join(root, 'uninterrupted');
    const r = cli(['train', '--k', String(config.k), '--seed', String(config.seed), '--epochs', '1', '--train-subset', '1280', '--checkpoint-every', '2', '--backend', 'wasm', '--quiet', '--out', alone]);
    expect(r.status, r.all).toBe(0);
    expect(JSON.parse(await readFile(join(alone, 'config.json'), 'utf8'))).toEqual(config);
    expect(metricsWithoutTime(join(dir, killed))).toEqual(metricsWithoutTime(alone));
    // the same scores and velocities, bit for bit (the files differ in their recorded times)
    expect(variables(join(dir, killed, 'last.safetensors'))).toEqual(variables(join(alone, 'last.safetensors')));
    expect(variables(join(dir, killed, 'best.safetensors'))).toEqual(variables(join(alone, 'best.safetensors')));

    // status: every job completed; enqueue again adds nothing
    const s = cli(['sweep', 'status', '--runs', dir, '--redis', redis.url]);
    expect(s.status, s.all).toBe(0);
    expect(s.stdout).toContain('tiny: 4 runs: 4 completed');
    expect(s.stdout).toMatch(/k8_seed1 +completed +1\/1 +\d+\.\d\d% +finish by /);
    expect(cli(['sweep', 'enqueue', '--runs', dir, '--redis', redis.url]).stdout).toBe('enqueued 0 runs; 4 in the queue already\n');

    // report: runs averaged over seeds by K, the plot beside
    const rep = cli(['sweep', 'report', '--runs', dir, '--out', join(root, 'report')]);
    expect(rep.status, rep.all).toBe(0);
    const md = await readFile(join(root, 'report', 'tiny.md'), 'utf8');
    expect(md).toMatch(/\| 2 \| 2 \| \d+\.\d\d% \|/);
    expect(md).toMatch(/\| 8 \| 2 \| \d+\.\d\d% \|/);
    expect(md).toContain(`| ${killed} | lenet-300-100 GS K=${config.k} | 1 | 1 |`);
    expect(md).toMatch(/Trained by 3 workers/);
    expect(await readFile(join(root, 'report', 'tiny-accuracy.svg'), 'utf8')).toMatch(/^<svg [\s\S]*<path d="M[\d.]+,[\d.]+ L[\d.]+,[\d.]+"/);
  }, 180_000);

  it('a run that fails for its own reason (its data directory is missing) is marked failed with its error, once, and the worker moves on', async () => {
    const dir = join(root, 'bad');
    const grid = join(root, 'bad.json');
    await writeFile(grid, JSON.stringify({ base: { epochs: 1, data: { kind: 'directory', path: '/nonexistent/mnist' } }, grid: { seed: [0] } }));
    expect(cli(['sweep', 'plan', grid, '--runs', dir]).status).toBe(0);
    expect(cli(['sweep', 'enqueue', '--runs', dir, '--redis', redis.url]).stdout).toBe('enqueued 1 run\n');
    const w = startWorker(dir, 4);
    expect(await w.exit, w.log()).toEqual({ code: 0, signal: null });
    expect(w.log()).toMatch(/seed0: failed: .*\/nonexistent\/mnist/);
    const s = cli(['sweep', 'status', '--runs', dir, '--redis', redis.url]);
    expect(s.stdout).toContain('bad: 1 run: 1 failed');
    expect(s.stdout).toMatch(/seed0 +failed +0\/1 +- +fail by \S+ +.*\/nonexistent\/mnist/);
    expect(events(join(dir, 'seed0')).map((e) => e.event)).toEqual(['start', 'fail']); // tried once, not 3 times
    // a failed run is put back only when asked
    expect(cli(['sweep', 'enqueue', '--runs', dir, '--redis', redis.url]).stdout).toBe('enqueued 0 runs; 1 in the queue already\n');
    expect(cli(['sweep', 'enqueue', '--runs', dir, '--redis', redis.url, '--retry-failed']).stdout).toBe('enqueued 0 runs; 1 failed put back: seed0\n');
  }, 60_000);

  it('says what is wrong with a grid, a sweep directory or a Redis address, in one line, exit 2', async () => {
    const grid = join(root, 'typo.yaml');
    await writeFile(grid, 'base: { epoch: 3 }\ngrid: { k: [2] }\n');
    const typo = cli(['sweep', 'plan', grid, '--runs', join(root, 'typo')]);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toMatch(/^slot-machines sweep: .*typo\.yaml: 'epoch': not a run field; expected some of architecture, .*epochs/);
    await writeFile(grid, 'grid: { k: [2, 0] }\n');
    expect(cli(['sweep', 'plan', grid, '--runs', join(root, 'typo')]).stderr).toMatch(/typo\.yaml: run k0: --k: expected an integer >= 1, got 0/);
    expect(existsSync(join(root, 'typo', 'plan.json'))).toBe(false);
    const none = cli(['sweep', 'status', '--runs', join(root, 'nothing'), '--redis', redis.url]);
    expect(none.stderr).toMatch(/nothing\/plan\.json: no such file: is .* a sweep directory\?/);
    const away = cli(['sweep', 'enqueue', '--runs', join(root, 'bad'), '--redis', 'redis://127.0.0.1:1']);
    expect(away.status).toBe(2);
    expect(away.stderr).toMatch(/--redis: cannot reach Redis at redis:\/\/127\.0\.0\.1:1 \(.*ECONNREFUSED.*\)/);
    const flag = cli(['sweep', 'plan', grid, '--runs', join(root, 'typo'), '--redis', redis.url]);
    expect(flag.stderr).toMatch(/--redis: not an option of 'sweep plan'/);
  }, 60_000);
});
