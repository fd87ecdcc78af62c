import { CliError } from '../CliError';
import { RUNTIME_FLAGS, defineCommand } from '../Command';
import { reproduceBeyond } from './reproduceBeyond';
import { reproduceCifar10 } from './reproduceCifar10';
import { reproduceMnist } from './reproduceMnist';

export const reproduceCommand = defineCommand({
  name: 'reproduce',
  flags: {
    table: {
      type: 'string',
      value: 'NAME',
      help: "mnist: paper (the paper's table), variants (GS K=8 with the zero option,\nlayer and global sharing) or finetune (Figure 6: finetuned from epoch E)",
      default: 'paper',
    },
    epochs: { type: 'string', value: 'N', help: 'epochs per run (finetune table: of the source and of each finetuning)', default: 'mnist 25; cifar10: subset 25, paper 200; beyond 25' },
    seeds: { type: 'string', value: 'LIST', help: 'comma-separated seeds, one run each (every configuration of a seed\nbefore the next seed)', default: 'mnist 0; cifar10: subset 0, paper 0,1,2,3' },
    seed: { type: 'string', value: 'N', help: 'mnist: --seeds N; beyond: the seed of every run', default: 'beyond 0' },
    'from-epochs': { type: 'string', value: 'LIST', help: "mnist --table finetune: the source run's epochs to finetune from\n(it keeps every gcd of them)", default: '5,<epochs>' },
    protocol: {
      type: 'string',
      value: 'NAME',
      help: "cifar10: subset (train on data_batch_1's 10,000 images, test every epoch)\nor paper (45,000 / 5,000 split, test at the best validation epoch)",
      default: 'subset',
    },
    'data-dir': { type: 'string', value: 'DIR', help: 'cifar10, beyond: the cifar-10-batches-bin directory (required)' },
    'cifar10-runs': {
      type: 'string',
      value: 'DIR',
      help: "beyond: the run directories of 'reproduce cifar10 --protocol subset', whose\nCONV-6 GS K=8 and learned runs are shown beside CONV-6 edge-popup (read only)",
      default: 'runs/reproduce-cifar10-subset',
    },
    out: { type: 'string', value: 'DIR', help: 'run directories', default: 'runs/reproduce-<dataset>[-<protocol>]' },
    report: { type: 'string', value: 'DIR', help: 'report directory: mnist.md (one section per table and budget), cifar10*.md,\nthe JSON lines and SVG plots', default: 'docs/results' },
    only: { type: 'string', value: 'LIST', help: 'comma-separated configurations (see the report; mnist paper table:\ngs-k2,gs-k8,ps-k8,learned; variants: gs-k8,gs-k8-zero,gs-k8-layer,gs-k8-global;\nbeyond: mnist-gs-k8,mnist-learned,mnist-edge-popup,mnist-supermask,conv6-edge-popup)' },
    'train-subset': { type: 'string', value: 'N', help: 'mnist, cifar10 paper: train on the first N training examples only (quick checks)' },
    'report-only': { type: 'boolean', help: 'train nothing, write the report from the runs as they are\n(unfinished ones as far as they got)' },
    resume: { type: 'boolean', help: 'accepted for compatibility: unfinished runs always continue, finished ones are kept' },
    ...RUNTIME_FLAGS,
  },
  help: {
    summary: "run the paper's table for a dataset and write a report (mnist, cifar10, beyond)",
    usage: 'slot-machines reproduce mnist|cifar10|beyond [options]',
    text: `Trains the paper's MNIST table (Lenet-300-100: GS K=2, GS K=8, PS K=8 and learned weights, one
run per seed) and writes its section of docs/results/mnist.md: the test accuracy at the best
validation epoch for each seed and their mean next to the paper's numbers, the raw metrics (JSON
lines) and an SVG plot of test accuracy per epoch. --table variants trains GS K=8 with the sparse
zero option and with layer and global weight sharing (accuracy and sparsity); --table finetune
trains GS K=8 keeping a checkpoint every few epochs and finetunes its selected networks from
--from-epochs (the paper's Figure 6). For CIFAR-10 it trains CONV-2/4/6 (GS K=8, CONV-6 also with
valid padding and with learned weights) under the subset protocol, or the paper's whole CIFAR-10
table over 4 seeds under the paper protocol. 'reproduce beyond' trains edge-popup and supermasks
(each with its own paper's recipe) beside GS K=8 and learned weights on MNIST, and CONV-6
edge-popup under the CIFAR-10 subset protocol (docs/results/beyond.md; each row is the 'train'
command it prints). The report is rewritten after each run that
finishes. Run again, it keeps finished runs, continues unfinished ones from their last
checkpoint, and leaves the report as it is when nothing was trained.`,
  },
  run: async ({ values, positionals }, { io, initBackend }) => {
    const runtime = { stdout: io.stdout, stderr: io.stderr, initBackend, backendFlag: values.backend };
    if (positionals[0] === 'cifar10') {
      if (values.seed !== undefined) throw new CliError(`--seed: 'reproduce cifar10' takes --seeds LIST (e.g. --seeds ${values.seed})`);
      const mnistOnly = (['table', 'from-epochs'] as const).filter((f) => values[f] !== undefined);
      if (mnistOnly.length) throw new CliError(`--${mnistOnly.join(', --')}: for 'reproduce mnist' only`);
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
          reportOnly: Boolean(values['report-only']),
        },
        runtime,
      );
    }
    if (positionals[0] === 'beyond') {
      const unused = (['table', 'from-epochs', 'seeds', 'protocol'] as const).filter((f) => values[f] !== undefined);
      if (unused.length) throw new CliError(`--${unused.join(', --')}: not for 'reproduce beyond' (one seed: --seed N; the CIFAR-10 rows use the subset protocol)`);
      return reproduceBeyond(
        {
          epochs: values.epochs,
          seed: values.seed,
          dataDir: values['data-dir'],
          out: values.out,
          report: values.report,
          only: values.only,
          trainSubset: values['train-subset'],
          cifar10Runs: values['cifar10-runs'],
          reportOnly: Boolean(values['report-only']),
          quiet: Boolean(values.quiet),
        },
        runtime,
      );
    }
    if (values['cifar10-runs'] !== undefined) throw new CliError("--cifar10-runs: for 'reproduce beyond' only");
    if (positionals[0] !== 'mnist') {
      throw new CliError(`expected a dataset: 'reproduce mnist', 'reproduce cifar10' or 'reproduce beyond' (got ${positionals[0] === undefined ? 'none' : `'${positionals[0]}'`})`);
    }
    const cifarOnly = (['protocol', 'data-dir'] as const).filter((f) => values[f] !== undefined);
    if (cifarOnly.length) throw new CliError(`--${cifarOnly.join(', --')}: for 'reproduce cifar10' only; MNIST uses the bundled data`);
    return reproduceMnist(
      {
        table: values.table,
        epochs: values.epochs,
        seed: values.seed,
        seeds: values.seeds,
        fromEpochs: values['from-epochs'],
        out: values.out,
        report: values.report,
        only: values.only,
        trainSubset: values['train-subset'],
        quiet: Boolean(values.quiet),
        reportOnly: Boolean(values['report-only']),
      },
      runtime,
    );
  },
});
