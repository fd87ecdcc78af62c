import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { evaluate } from '@slot-machines/trainer';
import { writeFileAtomic } from '@slot-machines/trainer/node';
import { CliError, validate } from '../CliError';
import { lineChartSvg } from '../lineChartSvg';
import { loadRunData } from '../loadRunData';
import { parseFlags } from '../parseFlags';
import { loadRunNetwork, runTraining, type RunSummary } from '../runTraining';
import type { RunSpec } from '../runSpec';
import { percent } from '../table';
import { batchOneRows, gitCommit, machineLine, readFinishedRun, runDirectoryState } from './reproduceRuns';
import { TRAIN_FLAGS, specFromFlags } from './trainCommand';

/**
 * `reproduce beyond` (issue 13): the two pruning plugins beside the slot machine and learned
 * weights. Each configuration is a `train` command line (its own paper's recipe as flags): the
 * report prints exactly that command, and the run is the spec that command line resolves to.
 * - MNIST, Lenet-300-100: GS K=8, learned weights, edge-popup, supermask; 15% validation split,
 *   test accuracy at the best validation epoch (as `reproduce mnist`).
 * - CIFAR-10 subset protocol (data_batch_1, no validation split, test every epoch): CONV-6
 *   edge-popup, beside CONV-6 GS K=8 and learned weights read (never trained, never written) from
 *   the run directories of `reproduce cifar10 --protocol subset`.
 */
interface BeyondConfig {
  readonly key: string;
  readonly label: string;
  readonly setup: 'mnist' | 'cifar10-subset';
  /** The `train` flags of this configuration besides the shared ones (epochs, seed, data, out). */
  readonly flags: readonly string[];
  /** Whose recipe the flags are. */
  readonly recipe: string;
  /**
   * What the method's own paper reports for this network (its full protocol), as the Slot
   * Machines paper's Table 2 quotes it, or '-' where it reports none.
   */
  readonly reported: string;
}

export const BEYOND_TABLE: readonly BeyondConfig[] = [
  { key: 'mnist-gs-k8', label: 'GS K=8 (slot machine)', setup: 'mnist', flags: ['--k', '8'], recipe: 'Slot Machines: lr 0.2, L2 1e-4, batch 128, cosine with warm restarts at 25 and 75', reported: '98.2' },
  { key: 'mnist-learned', label: 'Learned weights', setup: 'mnist', flags: ['--flavour', 'learned'], recipe: 'Slot Machines\' baseline: lr 0.01, L2 1e-4, batch 128, cosine with warm restarts at 25 and 75', reported: '-' },
  {
    key: 'mnist-edge-popup',
    label: 'edge-popup, keep 0.5',
    setup: 'mnist',
    flags: ['--strategy', 'edge-popup', '--keep-fraction', '0.5', '--schedule', 'cosine'],
    recipe: "edge-popup's fc_usc_unsigned.yml: signed Kaiming constant weights, lr 0.1, cosine over the run, momentum 0.9, L2 1e-4, batch 128",
    reported: '-',
  },
  {
    key: 'mnist-supermask',
    label: 'Supermask',
    setup: 'mnist',
    flags: ['--strategy', 'supermask', '--batch-size', '250', '--schedule', 'constant'],
    recipe: "the supermask authors' train_supermask.py command: Glorot normal weights, masks from 0, SGD lr 100, momentum 0.9, no L2, batch 250, constant rate",
    reported: '98.0',
  },
  {
    key: 'conv6-edge-popup',
    label: 'CONV-6 edge-popup, keep 0.5',
    setup: 'cifar10-subset',
    flags: ['--arch', 'conv-6', '--strategy', 'edge-popup', '--keep-fraction', '0.5', '--schedule', 'cosine'],
    recipe: "edge-popup's conv6_usc_unsigned.yml: signed Kaiming constant weights, lr 0.1, cosine over the run, momentum 0.9, L2 1e-4, batch 128",
    reported: '88.1',
  },
];

/**
 * CONV-6 runs of `reproduce cifar10 --protocol subset` shown beside CONV-6 edge-popup: read, never
 * trained or written here; their config.json must be what these flags resolve to under the subset protocol.
 */
const CIFAR10_COMPARED = [
  { key: 'conv6-gs-k8', label: 'CONV-6 GS K=8 (reproduce cifar10)', reported: '88.4', flags: ['--arch', 'conv-6', '--k', '8', '--init', 'glorot-uniform'] },
  { key: 'conv6-learned', label: 'CONV-6 learned weights (reproduce cifar10)', reported: '-', flags: ['--arch', 'conv-6', '--flavour', 'learned', '--init', 'glorot-uniform'] },
] as const;

export interface ReproduceBeyondOptions {
  readonly epochs: string | undefined;
  readonly seed: string | undefined;
  readonly dataDir: string | undefined;
  readonly out: string | undefined;
  readonly report: string | undefined;
  readonly only: string | undefined;
  readonly trainSubset: string | undefined;
  readonly cifar10Runs: string | undefined;
  /** Train nothing: write the report from the runs as they are (unfinished ones as far as they got). */
  readonly reportOnly: boolean;
  readonly quiet: boolean;
}

interface Row {
  readonly config: BeyondConfig;
  readonly spec: RunSpec;
  readonly dir: string;
  /** The `train` command line of this run, as printed (the CIFAR-10 directory as a placeholder). */
  readonly command: string;
  summary: RunSummary | null;
  /** Epochs done when the run has not finished (`--report-only`); null once finished or never started. */
  unfinished: number | null;
  /** Supermask: test accuracy of the thresholded mask (sigmoid(m) > 0.5) at the last epoch. */
  thresholded: number | null;
}

interface ComparedRow {
  readonly key: string;
  readonly label: string;
  readonly reported: string;
  readonly dir: string;
  /** Null while that run has not finished (or was never started). */
  readonly summary: RunSummary | null;
  readonly epochsDone: number;
}

export async function reproduceBeyond(
  o: ReproduceBeyondOptions,
  ctx: { stdout: Writable; stderr: NodeJS.WriteStream; initBackend: (name: string | undefined) => Promise<string>; backendFlag: string | undefined },
): Promise<number> {
  const epochs = validate.parseInteger('--epochs', o.epochs ?? 25, 1);
  const seed = validate.parseInteger('--seed', o.seed ?? 0, 0);
  const only = o.only ? o.only.split(',') : BEYOND_TABLE.map((c) => c.key);
  const unknown = only.filter((k) => !BEYOND_TABLE.some((c) => c.key === k));
  if (unknown.length) throw new CliError(`--only: unknown configuration ${unknown.join(', ')}; expected some of ${BEYOND_TABLE.map((c) => c.key).join(', ')}`);
  const configs = BEYOND_TABLE.filter((c) => only.includes(c.key));
  const cifar = configs.some((c) => c.setup === 'cifar10-subset');
  if (cifar && (o.dataDir === undefined || o.dataDir.trim() === '')) {
    throw new CliError("--data-dir DIR is required for the CIFAR-10 rows of 'reproduce beyond' (the cifar-10-batches-bin directory), or leave them out with --only");
  }
  if (!cifar && o.dataDir !== undefined) throw new CliError('--data-dir: only the CIFAR-10 rows read it (conv6-edge-popup); MNIST is bundled');
  if (o.trainSubset !== undefined && cifar) throw new CliError('--train-subset: the CIFAR-10 subset protocol trains on exactly data_batch_1; use it with --only and MNIST rows');
  const out = o.out ?? join('runs', 'reproduce-beyond');
  const reportDir = o.report ?? join('docs', 'results');
  const cifarRuns = o.cifar10Runs ?? join('runs', 'reproduce-cifar10-subset');
  const subsetRows = cifar ? batchOneRows(resolve(o.dataDir!)) : 0;

  const rows: Row[] = configs.map((config) => {
    const dir = join(out, config.key);
    const shared =
      config.setup === 'mnist'
        ? [...(o.trainSubset === undefined ? [] : ['--train-subset', o.trainSubset])]
        : ['--data-dir', o.dataDir!, '--train-subset', String(subsetRows), '--validation', '0'];
    const argv = [...config.flags, ...shared, '--epochs', String(epochs), '--seed', String(seed)];
    const spec = specFromFlags(parseFlags(argv, TRAIN_FLAGS).values);
    const shown = argv.map((a) => (a === o.dataDir ? '<cifar-10-batches-bin>' : a));
    return { config, spec, dir, command: `slot-machines train ${shown.join(' ')} --out ${dir}`, summary: null, unfinished: null, thresholded: null };
  });
  // every run directory is checked before anything trains: a refusal leaves everything as it was
  const states = await Promise.all(rows.map(({ spec, dir }) => runDirectoryState(spec, dir)));
  // the compared CONV-6 runs must be the subset protocol's at these epochs and seed, or they are refused
  const comparedSpecs = cifar
    ? CIFAR10_COMPARED.map(({ key, label, reported, flags }) => {
        const argv = [...flags, '--data-dir', o.dataDir!, '--train-subset', String(subsetRows), '--validation', '0', '--epochs', String(epochs), '--seed', String(seed)];
        return { key, label, reported, dir: join(cifarRuns, key), spec: specFromFlags(parseFlags(argv, TRAIN_FLAGS).values) };
      })
    : [];
  const comparedStates = await Promise.all(comparedSpecs.map(({ spec, dir }) => runDirectoryState(spec, dir)));
  const backend = await ctx.initBackend(ctx.backendFlag);
  const command =
    `slot-machines reproduce beyond --epochs ${epochs} --seed ${seed}${cifar ? ' --data-dir <cifar-10-batches-bin>' : ''}${o.only ? ` --only ${o.only}` : ''}` +
    `${o.trainSubset ? ` --train-subset ${o.trainSubset}` : ''}${ctx.backendFlag ? ` --backend ${ctx.backendFlag}` : ''}${o.reportOnly ? ' --report-only' : ''}`;
  const started = new Date();
  // the code this process runs: read at its start, not when a report is written
  const commit = gitCommit();

  const readCompared = async (): Promise<ComparedRow[]> =>
    Promise.all(
      comparedSpecs.map(async ({ key, label, reported, dir }, i) => {
        const finished = comparedStates[i] === 'finished';
        const metrics = join(dir, 'metrics.jsonl');
        const epochsDone = existsSync(metrics) ? (await readFile(metrics, 'utf8')).split('\n').filter(Boolean).length : 0;
        return { key, label, reported, dir, summary: finished ? await readFinishedRun(dir, backend) : null, epochsDone };
      }),
    );
  const plotted = (setup: BeyondConfig['setup'], compared: readonly ComparedRow[]) =>
    rows.some((r) => r.summary && r.config.setup === setup) || (setup === 'cifar10-subset' && compared.some((c) => c.summary));
  const reportInput = (compared: readonly ComparedRow[]) => ({
    rows, compared, backend, command, epochs, seed, started, commit, cifarRuns, mnistPlot: plotted('mnist', compared), cifarPlot: plotted('cifar10-subset', compared),
  });
  const writeReport = async () => {
    const compared = await readCompared();
    await mkdir(join(reportDir, 'beyond'), { recursive: true });
    for (const r of rows) if (r.summary) await copyFile(join(r.dir, 'metrics.jsonl'), join(reportDir, 'beyond', `${r.config.key}.jsonl`));
    for (const c of compared) if (c.summary) await copyFile(join(c.dir, 'metrics.jsonl'), join(reportDir, 'beyond', `${c.key}.jsonl`));
    const series = (setup: BeyondConfig['setup']) => [
      ...rows.filter((r) => r.summary && r.config.setup === setup).map((r) => ({ name: r.config.label, points: r.summary!.result.history.map((m) => [m.epoch, m.testAccuracy ?? 0] as const) })),
      ...(setup === 'cifar10-subset' ? compared.filter((c) => c.summary).map((c) => ({ name: c.label.replace(' (reproduce cifar10)', ''), points: c.summary!.result.history.map((m) => [m.epoch, m.testAccuracy ?? 0] as const) })) : []),
    ];
    const mnistSeries = series('mnist');
    if (mnistSeries.length) {
      await writeFileAtomic(join(reportDir, 'beyond-mnist-test-accuracy.svg'), lineChartSvg({ title: `Lenet-300-100 on MNIST: test accuracy per epoch (seed ${seed})`, xLabel: 'epoch', yLabel: 'test accuracy', series: mnistSeries }));
    }
    const cifarSeries = series('cifar10-subset');
    if (cifarSeries.length) {
      await writeFileAtomic(join(reportDir, 'beyond-cifar10-test-accuracy.svg'), lineChartSvg({ title: `CONV-6 on CIFAR-10 (subset protocol): test accuracy per epoch (seed ${seed})`, xLabel: 'epoch', yLabel: 'test accuracy', series: cifarSeries }));
    }
    await writeFileAtomic(join(reportDir, 'beyond.md'), beyondReport(reportInput(compared)));
  };

  let trained = 0;
  for (const [i, row] of rows.entries()) {
    if (states[i] === 'finished') {
      row.summary = await readFinishedRun(row.dir, backend);
      if (!o.quiet) ctx.stderr.write(`${row.dir}: finished, kept\n`);
    } else if (o.reportOnly) {
      // as far as it got: its epochs so far, the best validation epoch among them
      row.summary = states[i] === 'unfinished' ? await readUnfinishedRun(row.dir, row.spec, backend) : null;
      row.unfinished = row.summary ? row.summary.result.history.length : null;
      continue;
    } else {
      if (!o.quiet) ctx.stderr.write(`${row.dir}: ${row.command}\n`);
      row.summary = await runTraining(row.spec, row.dir, { resume: states[i] === 'unfinished', backend, quiet: o.quiet, stderr: ctx.stderr });
      trained++;
    }
    if (row.spec.strategy === 'supermask') row.thresholded = await thresholdedAccuracy(row.dir);
    if (states[i] !== 'finished') await writeReport(); // each finished run is in the report at once
  }
  const reportPath = join(reportDir, 'beyond.md');
  if (trained === 0 && !o.reportOnly && existsSync(reportPath)) {
    // nothing trained: the report is kept unless what it would say has changed (a compared run finished since), its date aside
    const undated = (text: string) => text.replace(/^- Date of this report: .*$/m, '');
    const now = beyondReport({ ...reportInput(await readCompared()) });
    if (undated(await readFile(reportPath, 'utf8')) === undated(now)) {
      ctx.stdout.write(`every configuration was finished already; ${reportPath} left as it was\n`);
      return 0;
    }
  }
  await writeReport();
  ctx.stdout.write(`wrote ${reportPath}, its plots and ${relative('.', join(reportDir, 'beyond'))}/*.jsonl\n`);
  return 0;
}

/** An unfinished run's epochs so far (metrics.jsonl), as a summary: the best validation epoch among them. */
async function readUnfinishedRun(dir: string, spec: RunSpec, backend: string): Promise<RunSummary | null> {
  const path = join(dir, 'metrics.jsonl');
  if (!existsSync(path)) return null;
  const history = (await readFile(path, 'utf8')).split('\n').filter(Boolean).map((line) => JSON.parse(line) as RunSummary['result']['history'][number]);
  if (history.length === 0) return null;
  let best: RunSummary['result']['best'] = null;
  for (const m of history) if (m.valAccuracy !== null && (best === null || m.valAccuracy > best.valAccuracy)) best = { epoch: m.epoch, valAccuracy: m.valAccuracy, testAccuracy: m.testAccuracy };
  return {
    name: dir,
    spec,
    backend,
    result: { history, best, stoppedEarly: false, aborted: true, steps: history.at(-1)!.step, resumedFrom: null },
    finalTestAccuracy: history.at(-1)!.testAccuracy,
    seconds: history.reduce((t, m) => t + m.seconds, 0),
  };
}

/** A supermask run's test accuracy with its thresholded mask (sigmoid(m) > 0.5, the authors' round_mask), last checkpoint. */
async function thresholdedAccuracy(dir: string): Promise<number> {
  const { spec, network } = await loadRunNetwork(dir, 'last', { evalMode: 'argmax' });
  try {
    return evaluate(network, (await loadRunData(spec)).test).accuracy;
  } finally {
    network.dispose();
  }
}

const secondsPerEpoch = (s: RunSummary): number => s.result.history.reduce((t, m) => t + m.seconds, 0) / Math.max(s.result.history.length, 1);
/** Share of connections kept: 1 - the run's last recorded sparsity (share of connections at the zero option). */
const kept = (s: RunSummary): string => {
  const sparsity = s.result.history.at(-1)?.sparsity;
  return sparsity == null ? '100%' : percent(1 - sparsity, 1);
};

function beyondReport(r: {
  rows: readonly Row[];
  compared: readonly ComparedRow[];
  backend: string;
  command: string;
  epochs: number;
  seed: number;
  started: Date;
  commit: string;
  cifarRuns: string;
  mnistPlot: boolean;
  cifarPlot: boolean;
}): string {
  const mnist = r.rows.filter((row) => row.config.setup === 'mnist');
  const cifar = r.rows.filter((row) => row.config.setup === 'cifar10-subset');
  const minutes = r.rows.reduce((t, row) => t + (row.summary ? row.summary.result.history.reduce((u, m) => u + m.seconds, 0) : 0), 0) / 60;
  const lines = [
    '# Beyond the paper: edge-popup and supermasks beside slot machines',
    '',
    `Generated by \`${r.command}\` (the \`@slot-machines/cli\` package); rerun it to reproduce: finished runs are kept, unfinished ones continue from their last checkpoint.` +
      ' Every row is one `slot-machines train` command, printed under its table: `reproduce beyond` trains exactly what that command line asks for.',
    '',
    `- Machine: ${machineLine()}; shared with other training runs while these ran (times are on a loaded machine)`,
    `- Backend: ${r.backend}`,
    `- Date of this report: ${r.started.toISOString().slice(0, 10)}, at commit ${r.commit}; training time of the rows trained here ${minutes.toFixed(0)} min (sum of the epochs' times)`,
    `- ${r.epochs} epoch${r.epochs === 1 ? '' : 's'}, seed ${r.seed}. Each method runs its own paper's recipe (flags in its command; sources in docs/decisions.md), not tuned here and never on the test set.`,
    '',
  ];
  if (mnist.length) {
    lines.push(
      '## MNIST, Lenet-300-100',
      '',
      'Protocol of `reproduce mnist`: 15% of the training set held out for validation (seed 0), test accuracy at the epoch of best validation accuracy; inputs standardised. ' +
        'Slot machines and edge-popup are tested on their selected network; the supermask on one mask sampled from sigmoid(m) per evaluation (the authors\' evaluation), and, in its own column, on the thresholded mask sigmoid(m) > 0.5.',
      '',
      '| configuration | reported | test acc. at best val. epoch | best val. epoch | val. acc. | test acc. last epoch | thresholded mask, last epoch | connections kept | s/epoch |',
      '|---|---|---|---|---|---|---|---|---|',
      ...mnist.map(({ config, summary, thresholded, unfinished }) => {
        if (!summary) return `| ${config.label} | ${config.reported} | not run yet | - | - | - | - | - | - |`;
        const label = `${config.label}${unfinished === null ? '' : ` (unfinished: ${unfinished} of ${r.epochs} epochs)`}`;
        const best = summary.result.best;
        const h = summary.result.history;
        return `| ${label} | ${config.reported} | ${percent(best?.testAccuracy)} | ${best?.epoch ?? '-'} | ${percent(best?.valAccuracy)} | ${percent(h.at(-1)?.testAccuracy)} | ${thresholded === null ? '-' : percent(thresholded)} | ${kept(summary)} | ${secondsPerEpoch(summary).toFixed(1)} |`;
      }),
      '',
      ...(r.mnistPlot ? ['![MNIST test accuracy per epoch](beyond-mnist-test-accuracy.svg)', ''] : []),
      'Commands and recipes:',
      '',
      ...mnist.flatMap(({ config, command }) => [`- ${config.label} (${config.recipe}):`, `  \`${command}\``]),
      '',
    );
  }
  if (cifar.length) {
    const at = [5, 10, r.epochs].filter((e, i, all) => e <= r.epochs && all.indexOf(e) === i);
    const cells = (summary: RunSummary) => {
      const h = summary.result.history;
      const best = h.reduce<(typeof h)[number] | null>((b, m) => (b === null || (m.testAccuracy ?? 0) > (b.testAccuracy ?? 0) ? m : b), null);
      return `${at.map((e) => (h.length >= e ? percent(h[e - 1]!.testAccuracy) : '-')).join(' | ')} | ${percent(best?.testAccuracy)} (${best?.epoch ?? '-'}) | ${kept(summary)} | ${secondsPerEpoch(summary).toFixed(1)} | ${summary.backend}`;
    };
    lines.push(
      '## CIFAR-10, CONV-6 (subset protocol)',
      '',
      `Protocol of \`reproduce cifar10 --protocol subset\`: trains on exactly the ${(cifar[0]!.spec.trainSubset ?? 0).toLocaleString('en')} images of data_batch_1 (no validation split, no early stopping), tests on test_batch after every epoch; 4-pixel padded random crop + horizontal flip, per-channel standardisation, dropout 0.5 before fc1 and fc2, 'same' padding. ` +
        `The GS K=8 and learned-weights rows are the runs of that command in \`${r.cifarRuns}\` (read, never trained here; their configuration checked to be this protocol's at ${r.epochs} epochs, seed ${r.seed}).`,
      '',
      `| configuration | reported | ${at.map((e) => `test acc. epoch ${e}`).join(' | ')} | best test acc. (epoch) | connections kept | s/epoch | backend |`,
      `|---|---|${at.map(() => '---|').join('')}---|---|---|---|`,
      ...cifar.map(({ config, summary, unfinished }) => `| ${config.label}${unfinished === null ? '' : ` (unfinished: ${unfinished} of ${r.epochs} epochs)`} | ${config.reported} | ${summary ? cells(summary) : `${at.map(() => 'not run yet').join(' | ')} | - | - | - | -`} |`),
      ...r.compared.map((c) => `| ${c.label} | ${c.reported} | ${c.summary ? cells(c.summary) : [`not finished (${c.epochsDone} of ${r.epochs} epochs in ${c.dir})`, ...at.slice(1).map(() => '-'), '-', '-', '-', '-'].join(' | ')} |`),
      '',
      '"best test acc." is the highest per-epoch test accuracy, for reading the curves only: with no validation split it is not a model-selection result.',
      '',
      ...(r.cifarPlot ? ['![CIFAR-10 test accuracy per epoch](beyond-cifar10-test-accuracy.svg)', ''] : []),
      'Commands and recipes:',
      '',
      ...cifar.flatMap(({ config, command }) => [`- ${config.label} (${config.recipe}):`, `  \`${command}\``]),
      `- CONV-6 GS K=8 and learned weights: \`slot-machines reproduce cifar10 --protocol subset --epochs ${r.epochs} --seeds ${r.seed} --data-dir <cifar-10-batches-bin> --only conv6-gs-k8,conv6-learned\``,
      '',
    );
  }
  lines.push(
    `"reported" is what the method's own paper reports for that network under its full protocol (the whole training set, hundreds of epochs), as the Slot Machines paper's Table 2 quotes it (edge-popup: Ramanujan et al. 2020; supermask: Zhou et al. 2019, the row Table 2 labels "SNIP (Zhou et al., 2019)"); "-" where none is reported. It is for orientation only: these runs are ${r.epochs} epoch${r.epochs === 1 ? '' : 's'}${cifar.length ? ' (CIFAR-10: data_batch_1 only)' : ''}.`,
    '',
    `Raw per-epoch metrics (losses, accuracies, learning rate, share of selections changed, sparsity, seconds) are in \`beyond/<configuration>.jsonl\`, one JSON object per epoch. What the numbers say and how they compare with the two papers: [beyond-findings.md](beyond-findings.md).`,
    '',
  );
  return `${lines.join('\n')}\n`;
}
