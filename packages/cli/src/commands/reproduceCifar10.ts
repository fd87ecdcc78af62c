import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { writeFileAtomic } from '@slot-machines/trainer/node';
import type { Writable } from 'node:stream';
import { CliError, validate } from '../CliError';
import { lineChartSvg } from '../lineChartSvg';
import type { EpochMetrics } from '@slot-machines/trainer';
import { runTraining, type RunSummary } from '../runTraining';
import { resolveRunSpec, type RunSpec } from '../runSpec';
import { percent } from '../table';
import { batchOneRows, machineLine, parseSeeds, readFinishedRun, runDirectoryState, sampledAccuracy, type ReproduceConfig } from './reproduceRuns';

/**
 * The two CIFAR-10 protocols of `reproduce cifar10`:
 * - `subset`: train on exactly the 10,000 images of data_batch_1 (the first 10,000 rows, no
 *   validation split), test on test_batch after every epoch; crop+flip; the paper's recipe otherwise.
 *   For comparing implementations on a CPU budget.
 * - `paper`: the 45,000 / 5,000 split (seeded), 200 epochs, 4 trials, test accuracy at the best
 *   validation epoch, for every cell of the paper's CIFAR-10 table and the learned baselines.
 */
export const CIFAR10_PROTOCOLS = ['subset', 'paper'] as const;
export type Cifar10Protocol = (typeof CIFAR10_PROTOCOLS)[number];

interface Cifar10Config extends ReproduceConfig {
  /**
   * A comparison row that runs only when --only names it; without --only it is reported if its run
   * directory exists (finished, or as far as it got) and never trained or resumed.
   */
  readonly optional?: true;
}

/**
 * CONV-x draws options (and learned weights) from Glorot uniform, the scheme section 4.1 names and
 * the authors' code uses; the bound it writes out, U(-σ, σ) with σ Glorot normal's standard
 * deviation (`paper`), leaves CONV-6 at chance (docs/decisions.md, docs/results/cifar10-findings.md).
 */
const GLOROT = { init: 'glorot-uniform' } as const;
const PAPER_INIT = { init: 'paper' } as const;

const SUBSET_TABLE: readonly Cifar10Config[] = [
  { key: 'conv2-gs-k8', label: 'CONV-2 GS K=8', paper: '78.2', given: { architecture: 'conv-2', strategy: 'greedy', k: 8, ...GLOROT } },
  { key: 'conv4-gs-k8', label: 'CONV-4 GS K=8', paper: '86.3', given: { architecture: 'conv-4', strategy: 'greedy', k: 8, ...GLOROT } },
  { key: 'conv6-gs-k8', label: 'CONV-6 GS K=8', paper: '88.4', given: { architecture: 'conv-6', strategy: 'greedy', k: 8, ...GLOROT } },
  { key: 'conv6-gs-k8-valid', label: 'CONV-6 GS K=8, valid padding', paper: '88.4', given: { architecture: 'conv-6', strategy: 'greedy', k: 8, padding: 'valid', ...GLOROT } },
  { key: 'conv6-learned', label: 'CONV-6 learned weights', paper: '-', given: { architecture: 'conv-6', flavour: 'learned', ...GLOROT } },
  { key: 'conv2-gs-k8-paper-init', label: 'CONV-2 GS K=8, `paper` init U(-σ, σ)', paper: '78.2', given: { architecture: 'conv-2', strategy: 'greedy', k: 8, ...PAPER_INIT }, optional: true },
  { key: 'conv4-gs-k8-paper-init', label: 'CONV-4 GS K=8, `paper` init U(-σ, σ)', paper: '86.3', given: { architecture: 'conv-4', strategy: 'greedy', k: 8, ...PAPER_INIT }, optional: true },
  { key: 'conv6-gs-k8-paper-init', label: 'CONV-6 GS K=8, `paper` init U(-σ, σ)', paper: '88.4', given: { architecture: 'conv-6', strategy: 'greedy', k: 8, ...PAPER_INIT }, optional: true },
];

const PAPER_TABLE: readonly Cifar10Config[] = [
  { key: 'conv2-gs-k8', label: 'CONV-2 GS K=8', paper: '78.2', given: { architecture: 'conv-2', strategy: 'greedy', k: 8, ...GLOROT } },
  { key: 'conv2-ps-k8', label: 'CONV-2 PS K=8', paper: '71.7', given: { architecture: 'conv-2', strategy: 'probabilistic', k: 8, ...GLOROT } },
  { key: 'conv2-learned', label: 'CONV-2 learned weights', paper: '-', given: { architecture: 'conv-2', flavour: 'learned', ...GLOROT } },
  { key: 'conv4-gs-k8', label: 'CONV-4 GS K=8', paper: '86.3', given: { architecture: 'conv-4', strategy: 'greedy', k: 8, ...GLOROT } },
  { key: 'conv4-ps-k8', label: 'CONV-4 PS K=8', paper: '80.2', given: { architecture: 'conv-4', strategy: 'probabilistic', k: 8, ...GLOROT } },
  { key: 'conv4-learned', label: 'CONV-4 learned weights', paper: '-', given: { architecture: 'conv-4', flavour: 'learned', ...GLOROT } },
  { key: 'conv6-gs-k2', label: 'CONV-6 GS K=2', paper: '85.1', given: { architecture: 'conv-6', strategy: 'greedy', k: 2, ...GLOROT } },
  { key: 'conv6-gs-k8', label: 'CONV-6 GS K=8', paper: '88.4', given: { architecture: 'conv-6', strategy: 'greedy', k: 8, ...GLOROT } },
  { key: 'conv6-ps-k8', label: 'CONV-6 PS K=8', paper: '81.7', given: { architecture: 'conv-6', strategy: 'probabilistic', k: 8, ...GLOROT } },
  { key: 'conv6-learned', label: 'CONV-6 learned weights', paper: '-', given: { architecture: 'conv-6', flavour: 'learned', ...GLOROT } },
];

/** Rows of the official data_batch_1: the subset protocol trains on exactly that file's images. */
const SUBSET_TRAIN = 10_000;
/** The paper protocol's training rows (50,000 less the 10% validation split). */
const PAPER_TRAIN = 45_000;

export interface ReproduceCifar10Options {
  readonly protocol: string | undefined;
  readonly epochs: string | undefined;
  readonly seeds: string | undefined;
  readonly dataDir: string | undefined;
  readonly out: string | undefined;
  readonly report: string | undefined;
  readonly only: string | undefined;
  readonly trainSubset: string | undefined;
  readonly quiet: boolean;
  /** Train nothing: rewrite the report from the run directories as they are. */
  readonly reportOnly?: boolean;
}

interface Row {
  readonly config: Cifar10Config;
  readonly spec: RunSpec;
  readonly seed: number;
  readonly dir: string;
  /** Null while the run has not finished (it appears as pending in the report). */
  readonly summary: RunSummary | null;
  /** An unfinished run's epochs so far (its metrics.jsonl), shown as in progress. */
  readonly partial?: readonly EpochMetrics[];
  readonly sampled: number | null;
}

/**
 * `reproduce cifar10`: trains each configuration (and seed) one after the other, skipping finished
 * runs and continuing unfinished ones, and rewrites the report after every run that finishes, so
 * that a sweep killed half-way leaves a report of what finished.
 */
export async function reproduceCifar10(
  o: ReproduceCifar10Options,
  ctx: { stdout: Writable; stderr: NodeJS.WriteStream; initBackend: (name: string | undefined) => Promise<string>; backendFlag: string | undefined },
): Promise<number> {
  const protocol = validate.requireOneOf('--protocol', o.protocol ?? 'subset', CIFAR10_PROTOCOLS);
  const table = protocol === 'subset' ? SUBSET_TABLE : PAPER_TABLE;
  const epochs = validate.parseInteger('--epochs', o.epochs ?? (protocol === 'subset' ? 25 : 200), 1);
  const seeds = parseSeeds(o.seeds ?? (protocol === 'subset' ? '0' : '0,1,2,3'));
  if (o.dataDir === undefined || o.dataDir.trim() === '') {
    throw new CliError(
      "--data-dir DIR is required for 'reproduce cifar10': the official binary version's cifar-10-batches-bin directory " +
        '(data_batch_1.bin ... data_batch_5.bin, test_batch.bin; https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz)',
    );
  }
  if (protocol === 'subset' && o.trainSubset !== undefined) throw new CliError('--train-subset: the subset protocol trains on exactly data_batch_1 (10,000 images); drop it or pass --protocol paper');
  const out = o.out ?? join('runs', `reproduce-cifar10-${protocol}`);
  const dirOf = (key: string, seed: number) => join(out, seeds.length > 1 || protocol === 'paper' ? `${key}-seed${seed}` : key);
  const named = o.only ? o.only.split(',') : [];
  // without --only: every main row, and each comparison row that has a run directory to report
  const only = o.only ? named : table.filter((c) => !c.optional || seeds.some((seed) => existsSync(dirOf(c.key, seed)))).map((c) => c.key);
  const unknown = only.filter((k) => !table.some((c) => c.key === k));
  if (unknown.length) throw new CliError(`--only: unknown configuration ${unknown.join(', ')} for the ${protocol} protocol; expected some of ${table.map((c) => c.key).join(', ')}`);
  const reportDir = o.report ?? join('docs', 'results');
  const name = protocol === 'subset' ? 'cifar10' : 'cifar10-paper';
  const data = { kind: 'directory', path: resolve(o.dataDir) } as const;
  // the subset is data_batch_1, the first file loaded: its rows are the first rows of the training set
  const subsetRows = protocol === 'subset' ? batchOneRows(data.path) : 0;
  const runs = table
    .filter((c) => only.includes(c.key))
    .flatMap((config) =>
      seeds.map((seed) => {
        const spec = resolveRunSpec({
          dataset: 'cifar10',
          data,
          epochs,
          seed,
          ...(protocol === 'subset' ? { trainSubset: subsetRows, validationFraction: 0 } : { trainSubset: o.trainSubset }),
          ...config.given,
        });
        return { config, seed, spec, dir: dirOf(config.key, seed) };
      }),
    );
  // every run directory is checked before anything trains: a refusal leaves everything as it was
  const states = await Promise.all(runs.map(({ spec, dir }) => runDirectoryState(spec, dir)));
  const backend = await ctx.initBackend(ctx.backendFlag);
  const command =
    `slot-machines reproduce cifar10 --protocol ${protocol} --epochs ${epochs} --seeds ${seeds.join(',')} --data-dir <cifar-10-batches-bin>` +
    `${o.only ? ` --only ${o.only}` : ''}${o.trainSubset ? ` --train-subset ${o.trainSubset}` : ''}${ctx.backendFlag ? ` --backend ${ctx.backendFlag}` : ''}`;
  const rows: Row[] = runs.map(({ config, spec, seed, dir }) => ({ config, spec, seed, dir, summary: null, sampled: null }));
  const reportPath = join(reportDir, `${name}.md`);
  const writeReport = async () => {
    await mkdir(join(reportDir, name), { recursive: true });
    for (const r of rows) if (r.summary || r.partial?.length) await copyFile(join(r.dir, 'metrics.jsonl'), join(reportDir, name, `${r.config.key}${seeds.length > 1 || protocol === 'paper' ? `-seed${r.seed}` : ''}.jsonl`));
    const svg = lineChartSvg({
      title: `CIFAR-10 (${protocol} protocol): test accuracy per epoch`,
      xLabel: 'epoch',
      yLabel: 'test accuracy',
      series: rows.filter((r) => r.summary).map((r) => ({ name: `${r.config.label}${seeds.length > 1 ? ` s${r.seed}` : ''}`, points: r.summary!.result.history.map((m) => [m.epoch, m.testAccuracy ?? 0] as const) })),
    });
    await writeFileAtomic(join(reportDir, `${name}-test-accuracy.svg`), svg);
    await writeFileAtomic(reportPath, cifar10Report({ protocol, rows, backend, command, epochs, seeds, name, reportDir }));
  };
  // --report-only, or a comparison row --only did not name: shown as far as it got, never trained
  const trains = (i: number) => states[i] !== 'finished' && !o.reportOnly && !(runs[i]!.config.optional && !named.includes(runs[i]!.config.key));
  const sampleIfPs = async (i: number) => {
    if (runs[i]!.spec.strategy === 'probabilistic' && runs[i]!.spec.flavour === 'slot') rows[i] = { ...rows[i]!, sampled: await sampledAccuracy(runs[i]!.dir) };
  };
  // finished runs first, so that the report written after each newly finished run lists them all
  for (const [i, run] of runs.entries()) {
    if (states[i] === 'finished') {
      rows[i] = { ...rows[i]!, summary: await readFinishedRun(run.dir, backend) };
      await sampleIfPs(i);
      if (!o.quiet) ctx.stderr.write(`${run.dir}: finished, kept\n`);
    } else if (!trains(i)) {
      const log = join(run.dir, 'metrics.jsonl');
      if (existsSync(log)) rows[i] = { ...rows[i]!, partial: (await readFile(log, 'utf8')).split('\n').filter(Boolean).map((line) => JSON.parse(line) as EpochMetrics) };
    }
  }
  let trained = 0;
  for (const [i, run] of runs.entries()) {
    if (!trains(i)) continue;
    rows[i] = { ...rows[i]!, summary: await runTraining(run.spec, run.dir, { resume: states[i] === 'unfinished', backend, quiet: o.quiet, stderr: ctx.stderr }) };
    trained++;
    await sampleIfPs(i);
    await writeReport(); // each finished run is in the report at once
  }
  if (trained === 0 && !o.reportOnly && existsSync(reportPath) && (await readFile(reportPath, 'utf8')).includes(`Generated by \`${command}\``)) {
    ctx.stdout.write(`every configuration was finished already; ${reportPath} left as it was\n`);
    return 0;
  }
  await writeReport();
  ctx.stdout.write(`wrote ${reportPath}, ${join(reportDir, `${name}-test-accuracy.svg`)} and ${relative('.', join(reportDir, name))}/*.jsonl\n`);
  return 0;
}

const secondsPerEpoch = (s: RunSummary): number => s.result.history.reduce((t, m) => t + m.seconds, 0) / Math.max(s.result.history.length, 1);
/**
 * A run's fastest epoch: the figure least disturbed by other work on the machine (every epoch does
 * the same work), so the one the time estimates build on; the mean is shown beside it.
 */
const fastestEpoch = (s: RunSummary): number => Math.min(...s.result.history.map((m) => m.seconds));

function cifar10Report(r: { protocol: Cifar10Protocol; rows: readonly Row[]; backend: string; command: string; epochs: number; seeds: readonly number[]; name: string; reportDir: string }): string {
  const done = r.rows.filter((row) => row.summary !== null);
  const dates = done.flatMap((row) => row.summary!.result.history.length ? [row.summary!] : []);
  const minutes = dates.reduce((t, s) => t + s.result.history.reduce((u, m) => u + m.seconds, 0), 0) / 60;
  const rowsTrained = r.rows[0] ? (r.rows[0].spec.trainSubset ?? PAPER_TRAIN) : 0;
  const recipe =
    r.protocol === 'subset'
      ? `trains on exactly the ${rowsTrained.toLocaleString('en')} images of data_batch_1 (no validation split, no early stopping) and tests on test_batch after every epoch`
      : `holds out a seeded 10% of the 50,000 training images for validation and trains on ${rowsTrained === PAPER_TRAIN ? 'the other 45,000' : `the first ${rowsTrained.toLocaleString('en')} of the rest (--train-subset)`}, test accuracy at the epoch of best validation accuracy`;
  const lines = [
    `# CIFAR-10: CONV-2/4/6 (${r.protocol} protocol)`,
    '',
    `Generated by \`${r.command}\` (the \`@slot-machines/cli\` package); rerun it to reproduce: finished runs are kept, unfinished ones continue from their last checkpoint.`,
    '',
    `- Machine: ${machineLine()}`,
    `- Backend: ${r.backend}`,
    `- Date of this report: ${new Date().toISOString().slice(0, 10)}; training time so far ${minutes.toFixed(0)} min (sum of the epochs' times)`,
    `- Protocol: ${r.protocol}: ${recipe}. ${r.epochs} epochs, seeds ${r.seeds.join(', ')}.`,
    '- Recipe (the paper\'s): batch 128, SGD momentum 0.9, cosine annealing with warm restarts at epochs 25 and 75; GS lr 0.2 (K <= 8) and coupled L2 1e-4, PS (softmax) lr 25 and no L2, ' +
      "learned weights lr 0.01 and L2 1e-4; options and learned weights from Glorot uniform U(-√(6/(fan_in+fan_out)), +√(...)) (`--init glorot-uniform`: the scheme the paper names and the authors' code uses; rows marked `paper` init use the bound the paper writes out, U(-σ, σ) with σ Glorot normal's standard deviation, see docs/decisions.md); 4-pixel padded random crop + horizontal flip; per-channel standardisation; dropout 0.5 before fc1 and fc2; no biases; 'same' padding unless the row says otherwise.",
    `- The "paper" column is the paper's Table (its full protocol: 45,000 training images, 200 epochs, best of validation)${r.protocol === 'subset' ? `, shown for orientation only: the subset protocol trains on ${rowsTrained.toLocaleString('en')} images for ${r.epochs} epochs and is not expected to reach it` : ''}.`,
    '',
    '## Results',
    '',
  ];
  if (r.protocol === 'subset') {
    const at = [5, 10, r.epochs].filter((e, i, all) => e <= r.epochs && all.indexOf(e) === i);
    lines.push(
      `| configuration | paper | ${at.map((e) => `test acc. epoch ${e}`).join(' | ')} | best test acc. (epoch) | s/epoch mean | s/epoch fastest |`,
      `|---|---|${at.map(() => '---|').join('')}---|---|---|`,
      ...r.rows.map(({ config, summary, partial }) => {
        if (!summary && partial?.length) {
          // a comparison row is never resumed unless --only names it: it stopped, it is not in progress
          const state = config.optional ? 'stopped' : 'in progress';
          const inProgress = (e: number) => (partial.length >= e ? `${percent(partial[e - 1]!.testAccuracy)} (${state})` : `- (${partial.length} of ${r.epochs} epochs${config.optional ? '' : ' so far'})`);
          return `| ${config.label} | ${config.paper} | ${at.map(inProgress).join(' | ')} | last: ${percent(partial.at(-1)!.testAccuracy)} (${partial.length}, ${state}) | ${(partial.reduce((t, m) => t + m.seconds, 0) / partial.length).toFixed(1)} | ${Math.min(...partial.map((m) => m.seconds)).toFixed(1)} |`;
        }
        if (!summary) return `| ${config.label} | ${config.paper} | ${at.map(() => 'not run yet').join(' | ')} | - | - | - |`;
        const h = summary.result.history;
        const acc = (e: number) => (h.length >= e ? percent(h[e - 1]!.testAccuracy) : `- (${h.length} epochs)`);
        const best = h.reduce<(typeof h)[number] | null>((b, m) => (b === null || (m.testAccuracy ?? 0) > (b.testAccuracy ?? 0) ? m : b), null);
        return `| ${config.label} | ${config.paper} | ${at.map(acc).join(' | ')} | ${percent(best?.testAccuracy)} (${best?.epoch ?? '-'}) | ${secondsPerEpoch(summary).toFixed(1)} | ${fastestEpoch(summary).toFixed(1)} |`;
      }),
      '',
      '"best test acc." is the highest per-epoch test accuracy, for reading the curves only: with no validation split it is not a model-selection result.',
      'Every epoch does the same work, so an epoch slower than the fastest one was slowed by other work on the machine; the estimates below use the fastest.',
    );
  } else {
    lines.push(
      '| configuration | seed | paper | test acc. at best val. epoch | best val. epoch | val. acc. | test acc. last epoch | one sampled network, last epoch | epochs done | s/epoch |',
      '|---|---|---|---|---|---|---|---|---|---|',
      ...r.rows.map(({ config, seed, summary, sampled }) => {
        if (!summary) return `| ${config.label} | ${seed} | ${config.paper} | not run yet | - | - | - | - | 0 | - |`;
        const best = summary.result.best;
        const h = summary.result.history;
        return `| ${config.label} | ${seed} | ${config.paper} | ${percent(best?.testAccuracy)} | ${best?.epoch ?? '-'} | ${percent(best?.valAccuracy)} | ${percent(h.at(-1)?.testAccuracy)} | ${sampled === null ? '-' : percent(sampled)} | ${h.length} | ${secondsPerEpoch(summary).toFixed(1)} |`;
      }),
    );
  }
  lines.push('', `![test accuracy per epoch](${r.name}-test-accuracy.svg)`, '');
  lines.push(...(r.protocol === 'subset' ? paperEstimate(r.rows) : remainingEstimate(r.rows, r.epochs)));
  lines.push(
    '',
    `Raw per-epoch metrics (loss, accuracies, learning rate, share of selections changed, seconds) are in \`${r.name}/<configuration>.jsonl\`, one JSON object per epoch.`,
    'Test accuracies of slot machines are those of the argmax network (every connection at its best-scored option), as in the paper.',
    '',
  );
  return `${lines.join('\n')}\n`;
}

/**
 * How long the paper protocol would take here, from the subset runs' seconds per epoch: training
 * time scales with the 45,000 training images (4.5x the subset's 10,000), and an epoch also
 * evaluates 15,000 images (validation and test) where the subset evaluates 10,000; evaluation is
 * counted as training time, which overstates it a little (a forward pass only).
 */
function paperEstimate(rows: readonly Row[]): string[] {
  const perEpoch = new Map<string, number>();
  for (const row of rows) if (row.summary) perEpoch.set(`${row.summary.spec.architecture}/${row.summary.spec.flavour}/${row.summary.spec.padding}`, (fastestEpoch(row.summary) * (PAPER_TRAIN + 15_000)) / ((row.spec.trainSubset ?? SUBSET_TRAIN) + 10_000));
  const cells = PAPER_TABLE.map((c) => {
    const key = `${String(c.given.architecture)}/${String(c.given.flavour ?? 'slot')}/same`;
    return { config: c, seconds: perEpoch.get(key) ?? null };
  });
  const known = cells.filter((c) => c.seconds !== null);
  if (known.length === 0) return ['The estimate of the paper protocol\'s time here follows once a run has finished.'];
  const hours = known.reduce((t, c) => t + c.seconds! * 200 * 4, 0) / 3600;
  return [
    '## The paper protocol here (estimate)',
    '',
    'Each run\'s fastest epoch scaled by (45,000 trained + 15,000 evaluated) / (10,000 + 10,000) images (evaluation counted like training, which overstates it a little); PS and K=2 are taken to cost what GS K=8 of the same network does; 200 epochs, 4 seeds:',
    '',
    '| configuration | est. s/epoch | est. hours for 200 epochs x 4 seeds |',
    '|---|---|---|',
    ...cells.map((c) => `| ${c.config.label} | ${c.seconds === null ? 'no subset run of this network yet' : c.seconds.toFixed(0)} | ${c.seconds === null ? '-' : ((c.seconds * 800) / 3600).toFixed(0)} |`),
    '',
    `In all about ${hours.toFixed(0)} hours (${(hours / 24).toFixed(1)} days) for the ${known.length} of ${cells.length} configurations estimated, on this machine and backend: \`slot-machines reproduce cifar10 --protocol paper --data-dir DIR\` runs it and resumes where it stopped.`,
  ];
}

/** The paper protocol's own estimate: the runs still to do, at the seconds per epoch of finished runs of the same network. */
function remainingEstimate(rows: readonly Row[], epochs: number): string[] {
  const measured = new Map<string, number>();
  for (const row of rows) if (row.summary) measured.set(`${row.spec.architecture}/${row.spec.flavour}`, fastestEpoch(row.summary));
  const todo = rows.filter((row) => !row.summary);
  if (todo.length === 0) return ['Every run of this protocol has finished.'];
  const known = todo.filter((row) => measured.has(`${row.spec.architecture}/${row.spec.flavour}`));
  const hours = known.reduce((t, row) => t + measured.get(`${row.spec.architecture}/${row.spec.flavour}`)! * epochs, 0) / 3600;
  return [
    `${todo.length} of ${rows.length} runs are still to do. ` +
      (known.length
        ? `At the fastest epoch of the finished runs of the same network, ${known.length} of them take about ${hours.toFixed(1)} hours here${known.length < todo.length ? ' (the others have no finished run of their network to go by yet)' : ''}.`
        : 'Their time follows once a run of the same network has finished.'),
  ];
}
