import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import type { SweepPlan } from '@slot-machines/sweep';
import { writeFileAtomic } from '@slot-machines/trainer/node';
import { CliError, validate } from '../CliError';
import { RUNTIME_FLAGS, defineCommand, type CliIo } from '../Command';
import { lineChartSvg } from '../lineChartSvg';
import { runTraining } from '../runTraining';
import { describeRun, resolveRunSpec, type RunSpec } from '../runSpec';
import { formatTable, percent } from '../table';

/** The Redis of a sweep when --redis is not given (the sweep package's default). */
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
/** The sweep package, loaded by `sweep` only: the other commands start without BullMQ (about 0.7 s). */
const loadSweep = () => import('@slot-machines/sweep');

const SUBCOMMANDS = ['plan', 'enqueue', 'worker', 'status', 'report'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

/** Which flags each subcommand takes (the others are refused, so nothing is silently ignored). */
const FLAGS_OF: Record<Subcommand, readonly string[]> = {
  plan: ['runs'],
  enqueue: ['runs', 'redis', 'retry-failed', 'attempts'],
  worker: ['runs', 'redis', 'exit-when-done', 'lock-seconds', 'stalled-seconds', 'backend', 'quiet'],
  status: ['runs', 'redis'],
  report: ['runs', 'out', 'x'],
};

/** Errors that are the run's own: training it again fails again, so its job fails at once. By name, as main() tells user errors. */
const RUN_ERRORS = new Set(['CliError', 'DatasetError', 'CheckpointError', 'TrainingDivergedError', 'SlotConfigError']);

export const sweepCommand = defineCommand({
  name: 'sweep',
  flags: {
    runs: { type: 'string', value: 'DIR', help: 'the sweep directory, shared by every machine: plan.json and one run directory per run' },
    redis: { type: 'string', value: 'URL', help: 'the Redis every machine of the sweep reaches', default: DEFAULT_REDIS_URL },
    'retry-failed': { type: 'boolean', help: 'enqueue: put failed runs back in the queue (after fixing what failed them)' },
    attempts: { type: 'string', value: 'N', help: "enqueue: tries per run for errors that are not the run's own (I/O, a crash)", default: '3' },
    'exit-when-done': { type: 'boolean', help: 'worker: exit once no run is waiting, delayed or active' },
    'lock-seconds': {
      type: 'string',
      value: 'N',
      help: "worker: a run's lock lasts this long without renewal; a dead worker's run\nis taken over after it (plus up to --stalled-seconds)",
      default: '60',
    },
    'stalled-seconds': { type: 'string', value: 'N', help: 'worker: how often to look for runs whose worker died', default: '30' },
    out: { type: 'string', value: 'DIR', help: 'report: where <name>.md and <name>-accuracy.svg go', default: '<runs>/report' },
    x: { type: 'string', value: 'AXIS', help: "report: the grid axis on the plot's x axis (seeds are averaged)", default: 'the first axis' },
    ...RUNTIME_FLAGS,
  },
  help: {
    summary: 'run a grid of runs on any number of machines (BullMQ on Redis): plan, enqueue, worker, status, report',
    usage: `slot-machines sweep plan GRID --runs DIR
       slot-machines sweep enqueue|worker|status --runs DIR [--redis URL]
       slot-machines sweep report --runs DIR [--out DIR]`,
    text: `A sweep trains every combination of a grid (JSON or YAML: base fields every run shares, grid axes
with their values; fields are those of a run's config.json):

  base: { architecture: lenet-300-100, strategy: greedy, seed: 0, epochs: 10 }
  grid: { k: [2, 4, 8, 16, 32, 64] }

plan     checks every run and writes DIR/plan.json (ids from the axis values, e.g. k8);
enqueue  puts each unfinished run in the sweep's queue in Redis (safe to repeat);
worker   trains runs from the queue into DIR/<id>, one at a time; start any number, on any machine
         that reaches Redis and DIR. A run a dead worker left is resumed from its last checkpoint;
         a finished run is never trained again; a run that fails for its own reason (a bad
         configuration, a diverged run) is marked failed with its error, not retried;
status   each run's state, epoch and error;
report   finished runs as a Markdown table and an SVG plot (test accuracy against --x).
See docs/guide/sweeps.md.`,
  },
  run: async ({ values, positionals }, { io, initBackend }) => {
    const sub = validate.requireOneOf('sweep', positionals[0], SUBCOMMANDS);
    const refused = Object.keys(values).filter((flag) => values[flag as keyof typeof values] !== undefined && !FLAGS_OF[sub].includes(flag));
    if (refused.length) throw new CliError(`--${refused.join(', --')}: not an option of 'sweep ${sub}' (it takes ${FLAGS_OF[sub].map((f) => `--${f}`).join(', ')})`);
    const expectedPositionals = sub === 'plan' ? 2 : 1;
    if (positionals.length !== expectedPositionals) {
      throw new CliError(sub === 'plan' ? `sweep plan: expected one grid file (JSON or YAML), got ${positionals.length - 1}` : `sweep ${sub}: unexpected argument '${positionals[1]}'`);
    }
    if (values.runs === undefined) throw new CliError(`sweep ${sub}: --runs DIR is required (the sweep directory)`);
    const dir = resolve(values.runs);
    const redis = values.redis ?? DEFAULT_REDIS_URL;
    switch (sub) {
      case 'plan':
        return plan(positionals[1]!, dir, io);
      case 'enqueue': {
        const attempts = validate.parseInteger('--attempts', values.attempts ?? '3', 1);
        const { enqueueSweep } = await loadSweep();
        const r = await enqueueSweep({ dir, redis, retryFailed: Boolean(values['retry-failed']), attempts });
        io.stdout.write(
          `enqueued ${r.added.length} run${r.added.length === 1 ? '' : 's'}` +
            `${r.present.length ? `; ${r.present.length} in the queue already` : ''}` +
            `${r.finished.length ? `; ${r.finished.length} finished in ${dir}: not queued` : ''}` +
            `${r.retried.length ? `; ${r.retried.length} failed put back: ${r.retried.join(', ')}` : ''}\n`,
        );
        return 0;
      }
      case 'worker': {
        const lockSeconds = validate.parseInteger('--lock-seconds', values['lock-seconds'] ?? '60', 1);
        const stalledSeconds = validate.parseInteger('--stalled-seconds', values['stalled-seconds'] ?? '30', 1);
        const { startSweepWorker } = await loadSweep();
        const backend = await initBackend(values.backend);
        const quiet = Boolean(values.quiet);
        const worker = await startSweepWorker<RunSpec>({
          dir,
          redis,
          lockSeconds,
          stalledSeconds,
          exitWhenDone: Boolean(values['exit-when-done']),
          log: (line) => io.stderr.write(`${line}\n`),
          isRunError: (error) => RUN_ERRORS.has((error as Error)?.name),
          train: async (run) => {
            await runTraining(run.spec, run.dir, {
              resume: run.resume,
              backend,
              quiet,
              stderr: io.stderr,
              signal: run.signal,
              onStep: (p) => run.progress({ epoch: p.epoch, epochs: p.epochs, batch: p.batch + 1, batches: p.batches }),
              onEpoch: (m) => run.progress({ epoch: m.epoch, epochs: run.spec.epochs }),
            });
          },
        });
        // Ctrl-C or a TERM: stop at the next step, hand the run back (its checkpoint stays)
        const stop = () => void worker.stop();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        try {
          await worker.done;
        } finally {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
        }
        return 0;
      }
      case 'status':
        return status(dir, redis, io);
      case 'report':
        return report(dir, values.out === undefined ? join(dir, 'report') : resolve(values.out), values.x, io);
    }
  },
});

/** Every run of the grid resolved as `slot-machines train` would (defaults from the paper's recipe), into DIR/plan.json. */
async function plan(gridFile: string, dir: string, io: CliIo): Promise<number> {
  if (!existsSync(gridFile)) throw new CliError(`${gridFile}: no such grid file`);
  const { parseSweepGrid, planSweep, writeSweepPlan } = await loadSweep();
  const grid = parseSweepGrid(await readFile(gridFile, 'utf8'), gridFile);
  const fields = Object.keys(resolveRunSpec({}));
  const planned = planSweep(grid, (params, id) => {
    const unknown = Object.keys(params).filter((k) => !fields.includes(k));
    if (unknown.length) throw new CliError(`${gridFile}: ${unknown.map((k) => `'${k}'`).join(', ')}: not a run field; expected some of ${fields.join(', ')}`);
    try {
      return resolveRunSpec(params);
    } catch (error) {
      throw new CliError(`${gridFile}: run ${id}: ${(error as Error).message}`);
    }
  });
  const { added, kept } = await writeSweepPlan(dir, planned);
  io.stdout.write(
    `${formatTable(
      ['run', 'what', 'epochs'],
      planned.runs.map((r) => [r.id, describeRun(r.spec), String(r.spec.epochs)]),
    )}\n\n${join(dir, 'plan.json')}: ${planned.runs.length} runs` +
      `${kept.length ? ` (${added.length} added to the ${kept.length} planned before)` : ''}; queue ${planned.queue}\n`,
  );
  return 0;
}

async function status(dir: string, redis: string, io: CliIo): Promise<number> {
  const { sweepStatus } = await loadSweep();
  const s = await sweepStatus<RunSpec>({ dir, redis });
  const rows = s.runs.map((r) => {
    const epochs = r.run.spec.epochs;
    const epoch = r.progress
      ? `${r.progress.epoch}/${epochs}${r.progress.batch !== undefined ? ` (step ${r.progress.batch}/${r.progress.batches})` : ''}`
      : `${r.epochsDone}/${epochs}`;
    const who = r.lastEvent ? `${r.lastEvent.event} by ${r.lastEvent.worker}` : '-';
    return [r.run.id, r.queue ?? '-', epoch, percent(r.testAccuracy), who, r.error ?? ''];
  });
  const counts = Object.entries(s.counts)
    .map(([state, n]) => `${n} ${state}`)
    .join(', ');
  io.stdout.write(`${formatTable(['run', 'state', 'epoch', 'test acc', 'last event', 'error'], rows)}\n\n${s.name}: ${s.runs.length} run${s.runs.length === 1 ? "" : "s"}: ${counts}\n`);
  return 0;
}

/** The finished runs as a Markdown table (every run, then test accuracy by --x averaged over seeds) and an SVG plot. */
async function report(dir: string, out: string, x: string | undefined, io: CliIo): Promise<number> {
  const { aggregateSweep, collectSweepResults, readRunEvents } = await loadSweep();
  const { plan, results, unfinished } = await collectSweepResults<RunSpec>(dir);
  if (results.length === 0) throw new CliError(`${dir}: no finished run to report (${plan.runs.length} planned); see 'slot-machines sweep status --runs ${dir}'`);
  const points = aggregateSweep(plan as SweepPlan, results, x === undefined ? {} : { x });
  const xAxis = x ?? plan.axes[0]!;
  const numeric = points.every((p) => typeof p.x === 'number' && p.x > 0);
  const log2 = numeric && points.every((p) => Number.isInteger(Math.log2(p.x as number)));
  await mkdir(out, { recursive: true });
  const svgName = `${plan.name}-accuracy.svg`;
  const seriesNames = [...new Set(points.map((p) => p.series))];
  if (numeric) {
    const svg = lineChartSvg({
      title: `${plan.name}: test accuracy at the best validation epoch`,
      xLabel: xAxis,
      yLabel: 'test accuracy',
      xScale: log2 ? 'log2' : 'linear',
      series: seriesNames.map((name) => ({ name: name || (plan.axes.includes('seed') && xAxis !== 'seed' ? 'mean over seeds' : plan.name), points: points.filter((p) => p.series === name).map((p) => [p.x as number, p.mean] as const) })),
    });
    await writeFileAtomic(join(out, svgName), svg);
  }
  const workers = new Set<string>();
  const backends = new Set<string>();
  for (const r of results) {
    for (const e of await readRunEvents(join(dir, r.run.id))) if (e.event === 'start' || e.event === 'resume') workers.add(e.worker);
    const summary = JSON.parse(await readFile(join(dir, r.run.id, 'summary.json'), 'utf8')) as { backend?: string };
    if (summary.backend) backends.add(summary.backend);
  }
  const perRun = formatMarkdown(
    ['run', 'configuration', 'epochs', 'best val. epoch', 'val. acc.', 'test acc. at best val.', 'test acc. last epoch', 'training time'],
    results.map((r) => [r.run.id, describeRun(r.run.spec), String(r.epochs.length), String(r.best?.epoch ?? '-'), percent(r.best?.valAccuracy), percent(r.testAccuracy), percent(r.lastTestAccuracy), `${r.seconds.toFixed(0)} s`]),
  );
  const byX = formatMarkdown(
    [xAxis, ...(seriesNames.some(Boolean) ? ['series'] : []), 'runs', 'test acc. (mean)', 'sd', 'min', 'max'],
    points.map((p) => [String(p.x), ...(seriesNames.some(Boolean) ? [p.series] : []), String(p.n), percent(p.mean), percent(p.sd), percent(p.min), percent(p.max)]),
  );
  const spec0 = results[0]!.run.spec;
  const lines = [
    `# Sweep ${plan.name}`,
    '',
    `Generated by \`slot-machines sweep report --runs ${dir}\` on ${new Date().toISOString().slice(0, 10)}${commitOf(dir)} from the ${results.length} finished run${results.length === 1 ? '' : 's'} of ${plan.runs.length} planned` +
      `${unfinished.length ? ` (not finished: ${unfinished.join(', ')})` : ''}.`,
    '',
    `- Grid: ${plan.axes.map((a) => `${a} in {${[...new Set(plan.runs.map((r) => String(r.point[a])))].join(', ')}}`).join('; ')}; every run's full configuration is its config.json (and plan.json).`,
    `- Recipe of ${results[0]!.run.id}: ${describeRun(spec0)}, ${spec0.epochs} epoch${spec0.epochs === 1 ? '' : 's'}, batch ${spec0.batchSize}, lr ${spec0.learningRate}, momentum ${spec0.momentum}, weight decay ${spec0.weightDecay}, validation ${spec0.validationFraction}, train subset ${spec0.trainSubset ?? 'none'}.`,
    `- Trained by ${workers.size} worker${workers.size === 1 ? '' : 's'} (${[...workers].sort().join(', ')}) on the ${[...backends].join(', ')} backend; this report on ${cpus()[0]?.model ?? 'an unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}.`,
    '- Test accuracy is taken at the epoch of best validation accuracy (the paper\'s early stopping), of the argmax network.',
    '',
    `## Test accuracy by ${xAxis}`,
    '',
    byX,
    '',
    ...(numeric ? [`![test accuracy by ${xAxis}](${svgName})`, ''] : []),
    '## Every run',
    '',
    perRun,
    '',
  ];
  const mdPath = join(out, `${plan.name}.md`);
  await writeFileAtomic(mdPath, `${lines.join('\n')}`);
  io.stdout.write(`${byX}\n\nwrote ${mdPath}${numeric ? ` and ${join(out, svgName)}` : ''}\n`);
  return 0;
}

/** ` at commit abc1234` when `dir` (or the working directory) is in a git checkout, else ''. */
function commitOf(dir: string): string {
  for (const cwd of [process.cwd(), dir]) {
    const r = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim()) return ` at commit ${r.stdout.trim()}`;
  }
  return '';
}

function formatMarkdown(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}
