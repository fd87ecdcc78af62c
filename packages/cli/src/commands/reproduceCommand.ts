import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { writeFileAtomic } from '@slot-machines/trainer/node';
import { CliError } from '../CliError';
import { RUNTIME_FLAGS, defineCommand } from '../Command';
import { lineChartSvg } from '../lineChartSvg';
import { runTraining, type RunSummary } from '../runTraining';
import { resolveRunSpec, type RunSpec } from '../runSpec';
import { percent } from '../table';
import { reproduceCifar10 } from './reproduceCifar10';
import { machineLine, readFinishedRun, runDirectoryState, sampledAccuracy } from './reproduceRuns';

/** The paper's MNIST table (spec section 8): key, label, what the paper reports, the run. */
const MNIST_TABLE = [
  { key: 'gs-k2', label: 'GS K=2', paper: '97.0', given: { strategy: 'greedy', k: 2 } },
  { key: 'gs-k8', label: 'GS K=8', paper: '98.2', given: { strategy: 'greedy', k: 8 } },
  { key: 'ps-k8', label: 'PS K=8', paper: '98.0', given: { strategy: 'probabilistic', k: 8 } },
  { key: 'learned', label: 'Learned weights', paper: '~98', given: { flavour: 'learned' } },
] as const;

export const reproduceCommand = defineCommand({
  name: 'reproduce',
  flags: {
    epochs: { type: 'string', value: 'N', help: 'epochs per configuration', default: 'mnist 25; cifar10: subset 25, paper 200' },
    seed: { type: 'string', value: 'N', help: 'mnist: the seed of every configuration', default: '0' },
    seeds: { type: 'string', value: 'LIST', help: 'cifar10: comma-separated seeds, one run each', default: 'subset 0; paper 0,1,2,3' },
    protocol: {
      type: 'string',
      value: 'NAME',
      help: "cifar10: subset (train on data_batch_1's 10,000 images, test every epoch)\nor paper (45,000 / 5,000 split, test at the best validation epoch)",
      default: 'subset',
    },
    'data-dir': { type: 'string', value: 'DIR', help: 'cifar10: the cifar-10-batches-bin directory (required)' },
    out: { type: 'string', value: 'DIR', help: 'run directories', default: 'runs/reproduce-<dataset>[-<protocol>]' },
    report: { type: 'string', value: 'DIR', help: 'report directory: <name>.md, <name>/*.jsonl, <name>-test-accuracy.svg', default: 'docs/results' },
    only: { type: 'string', value: 'LIST', help: `comma-separated configurations (mnist: ${MNIST_TABLE.map((c) => c.key).join(',')}; cifar10: see the report)` },
    'train-subset': { type: 'string', value: 'N', help: 'mnist, cifar10 paper: train on the first N training examples only (quick checks)' },
    resume: { type: 'boolean', help: 'accepted for compatibility: unfinished runs always continue, finished ones are kept' },
    ...RUNTIME_FLAGS,
  },
  help: {
    summary: "run the paper's table for a dataset and write a report (mnist, cifar10)",
    usage: 'slot-machines reproduce mnist|cifar10 [options]',
    text: `Trains the paper's MNIST table (Lenet-300-100: GS K=2, GS K=8, PS K=8 and learned weights) and
writes a Markdown report with the test accuracy at the best validation epoch next to the paper's
numbers, the raw metrics (JSON lines) and an SVG plot of test accuracy per epoch. For CIFAR-10
it trains CONV-2/4/6 (GS K=8, CONV-6 also with valid padding and with learned weights) under the
subset protocol, or the paper's whole CIFAR-10 table over 4 seeds under the paper protocol, and
rewrites the report after each run that finishes. Run again, it keeps finished configurations,
continues unfinished ones from their last checkpoint, and leaves the report as it is when nothing
was trained.`,
  },
  run: async ({ values, positionals }, { io, initBackend }) => {
    if (positionals[0] === 'cifar10') {
      if (values.seed !== undefined) throw new CliError(`--seed: 'reproduce cifar10' takes --seeds LIST (e.g. --seeds ${values.seed})`);
      return reproduceCifar10(
        {
          protocol: values.protocol,
          epochs: values.epochs,
          seeds: values.seeds,
          dataDir: values['data-dir'],
          out: values.out,
          report: values.report,
          only: values.only,
          trainSubset: values['train-subset'],
          quiet: Boolean(values.quiet),
        },
        { stdout: io.stdout, stderr: io.stderr, initBackend, backendFlag: values.backend },
      );
    }
    if (positionals[0] !== 'mnist') {
      throw new CliError(`expected a dataset: 'reproduce mnist' or 'reproduce cifar10' (got ${positionals[0] === undefined ? 'none' : `'${positionals[0]}'`})`);
    }
    const cifarOnly = (['seeds', 'protocol', 'data-dir'] as const).filter((f) => values[f] !== undefined);
    if (cifarOnly.length) throw new CliError(`--${cifarOnly.join(', --')}: for 'reproduce cifar10' only; MNIST takes --seed and the bundled data`);
    const epochs = values.epochs ?? '25';
    const seed = values.seed ?? '0';
    const out = values.out ?? join('runs', 'reproduce-mnist');
    const reportDir = values.report ?? join('docs', 'results');
    const only = values.only ? String(values.only).split(',') : MNIST_TABLE.map((c) => c.key);
    const unknown = only.filter((k) => !MNIST_TABLE.some((c) => c.key === k));
    if (unknown.length) throw new CliError(`--only: unknown configuration ${unknown.join(', ')}; expected some of ${MNIST_TABLE.map((c) => c.key).join(', ')}`);
    const backend = await initBackend(values.backend);
    const started = new Date();
    const rows: Array<{ config: (typeof MNIST_TABLE)[number]; summary: RunSummary; dir: string; sampled: number | null }> = [];
    const configs = MNIST_TABLE.filter((c) => only.includes(c.key)).map((config) => {
      const spec: RunSpec = resolveRunSpec({ architecture: 'lenet-300-100', epochs, seed, trainSubset: values['train-subset'], ...config.given });
      return { config, spec, dir: join(out, config.key) };
    });
    // every run directory is checked before anything trains: a refusal leaves everything as it was
    const states = await Promise.all(configs.map(({ spec, dir }) => runDirectoryState(spec, dir)));
    let trained = 0;
    for (const [i, { config, spec, dir }] of configs.entries()) {
      let summary: RunSummary;
      if (states[i] === 'finished') {
        summary = await readFinishedRun(dir, backend);
        if (!values.quiet) io.stderr.write(`${dir}: finished, kept\n`);
      } else {
        summary = await runTraining(spec, dir, { resume: states[i] === 'unfinished', backend, quiet: Boolean(values.quiet), stderr: io.stderr });
        trained++;
      }
      // PS is tested on the argmax network (the paper); one network sampled from the final scores, as
      // in training, is reported beside it
      rows.push({ config, summary, dir, sampled: spec.strategy === 'probabilistic' && spec.flavour === 'slot' ? await sampledAccuracy(dir) : null });
    }
    const command = `slot-machines reproduce mnist --epochs ${epochs} --seed ${seed}${values.only ? ` --only ${values.only}` : ''}${values['train-subset'] ? ` --train-subset ${values['train-subset']}` : ''}`;
    const reportPath = join(reportDir, 'mnist.md');
    if (trained === 0 && existsSync(reportPath) && (await readFile(reportPath, 'utf8')).includes(`Generated by \`${command}\``)) {
      io.stdout.write(`every configuration was finished already; ${reportPath} left as it was\n`);
      return 0;
    }
    await mkdir(join(reportDir, 'mnist'), { recursive: true });
    for (const r of rows) await copyFile(join(r.dir, 'metrics.jsonl'), join(reportDir, 'mnist', `${r.config.key}.jsonl`));
    const svg = lineChartSvg({
      title: `Lenet-300-100 on MNIST: test accuracy per epoch (seed ${seed})`,
      xLabel: 'epoch',
      yLabel: 'test accuracy',
      series: rows.map((r) => ({ name: r.config.label, points: r.summary.result.history.map((m) => [m.epoch, m.testAccuracy ?? 0] as const) })),
    });
    await writeFileAtomic(join(reportDir, 'mnist-test-accuracy.svg'), svg);
    const report = mnistReport({ rows, backend, started, finished: new Date(), command, epochs: Number(epochs) });
    await writeFileAtomic(join(reportDir, 'mnist.md'), report);
    io.stdout.write(`\n${report.split('\n## Results\n')[1]?.split('\n\n')[0] ?? ''}\n\nwrote ${join(reportDir, 'mnist.md')}, ${join(reportDir, 'mnist-test-accuracy.svg')} and ${relative('.', join(reportDir, 'mnist'))}/*.jsonl\n`);
    return 0;
  },
});

function mnistReport(r: {
  rows: Array<{ config: (typeof MNIST_TABLE)[number]; summary: RunSummary; sampled: number | null }>;
  backend: string;
  started: Date;
  finished: Date;
  command: string;
  epochs: number;
}): string {
  const lines = [
    '# MNIST: Lenet-300-100 (paper, Table 2 / Figure 4)',
    '',
    `Generated by \`${r.command}\` (the \`@slot-machines/cli\` package); rerun it to reproduce.`,
    '',
    `- Machine: ${machineLine()}`,
    `- Backend: ${r.backend}`,
    `- Date: ${r.started.toISOString().slice(0, 10)}; training time ${(r.rows.reduce((t, row) => t + row.summary.result.history.reduce((s, m) => s + m.seconds, 0), 0) / 60).toFixed(0)} min in all (sum of the epochs' times)`,
    `- Recipe: batch 128, SGD momentum 0.9, cosine annealing with restarts at epochs 25 and 75, ${r.epochs} epochs (the paper trains 200),` +
      ' validation split 15% of the training set (seed 0), test accuracy at the epoch of best validation accuracy;' +
      ' GS lr 0.2 and L2 1e-4, PS (softmax) lr 25 and no L2, learned weights lr 0.01 and L2 1e-4; `paper` initialisation;' +
      ' inputs standardised (mean 0.1307, std 0.3081); no biases.',
    '',
    '## Results',
    '',
    '| configuration | paper | test acc. at best val. epoch | best val. epoch | val. acc. | test acc. last epoch | one sampled network, last epoch | s/epoch |',
    '|---|---|---|---|---|---|---|---|',
    ...r.rows.map(({ config, summary, sampled }) => {
      const best = summary.result.best;
      const h = summary.result.history;
      const perEpoch = h.reduce((s, m) => s + m.seconds, 0) / Math.max(h.length, 1);
      return `| ${config.label} | ${config.paper} | ${percent(best?.testAccuracy)} | ${best?.epoch ?? '-'} | ${percent(best?.valAccuracy)} | ${percent(h.at(-1)?.testAccuracy)} | ${sampled === null ? '-' : percent(sampled)} | ${perEpoch.toFixed(1)} |`;
    }),
    '',
    '![test accuracy per epoch](mnist-test-accuracy.svg)',
    '',
    'Raw per-epoch metrics (loss, accuracies, learning rate, share of selections changed, time) are in',
    '`mnist/<configuration>.jsonl`, one JSON object per epoch. Test accuracies are those of the argmax',
    'network (every connection at its best-scored option), as in the paper, for GS and PS alike;',
    '"one sampled network" draws every connection from softmax(scores) once, as PS does in training.',
    'What these numbers say, and where they fall short of the paper: [mnist-findings.md](mnist-findings.md).',
    '',
  ];
  return `${lines.join('\n')}\n`;
}
