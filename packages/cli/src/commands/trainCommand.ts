import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ARCHITECTURE_IDS } from '@slot-machines/architectures';
import { CliError, validate } from '../CliError';
import { RUNTIME_FLAGS, defineCommand, defineFlags, type CommandContext, type ParsedArgs } from '../Command';
import { checkRunDirectory, readRunSpec, runTraining } from '../runTraining';
import { describeRun, resolveRunSpec, type RunSpec } from '../runSpec';
import { formatTable, percent } from '../table';
import { openTensorboard } from '../tensorboard';

/** The flags of `train` (and, with `--run` for `--finetune-from`, of `finetune`). */
export const TRAIN_FLAGS = defineFlags({
  arch: { type: 'string', value: 'NAME', group: 'Network', help: ARCHITECTURE_IDS.join(', '), default: 'lenet-300-100' },
  flavour: { type: 'string', value: 'NAME', group: 'Network', help: 'slot, learned (ordinary trained weights), random (untrained)', default: 'slot' },
  k: { type: 'string', value: 'N', group: 'Network', help: 'random options per connection (the zero option included)', default: '8' },
  strategy: {
    type: 'string',
    value: 'NAME',
    group: 'Network',
    help: 'greedy (GS), probabilistic (PS), or pruning one weight per connection:\nedge-popup (top --keep-fraction of each layer) or supermask (Bernoulli masks)',
    default: 'greedy',
  },
  'keep-fraction': { type: 'string', value: 'X', group: 'Network', help: "edge-popup: share of each layer's connections kept", default: '0.5' },
  normalize: { type: 'string', value: 'NAME', group: 'Network', help: 'PS probabilities: softmax or proportional (p ∝ max(s, 0))', default: 'softmax' },
  temperature: { type: 'string', value: 'T', group: 'Network', help: 'PS: sample from softmax(s / T) (proportional: p ∝ max(s, 0)^(1/T));\nnot in the paper', default: '1' },
  'anneal-to': {
    type: 'string',
    value: 'T',
    group: 'Network',
    help: 'PS: anneal the temperature geometrically from --temperature to T over the\nrun, toward greedy selection; not in the paper',
    default: 'off',
  },
  'greedy-at': {
    type: 'string',
    value: 'X',
    group: 'Network',
    help: 'PS: the share of connections that sample falls linearly from 1 to 0 at\nfraction X of the run (0 < X <= 1), greedy selection after; not in the paper',
    default: 'off',
  },
  sharing: { type: 'string', value: 'NAME', group: 'Network', help: 'none, layer (K values per layer), global (K values per net)', default: 'none' },
  'zero-option': { type: 'boolean', group: 'Network', help: 'one of the K options is exactly 0 (sparse slot machine)' },
  init: { type: 'string', value: 'NAME', group: 'Network', help: "paper (U(-σ,σ), scores U(0,λσ)) or glorot-uniform (authors' code)", default: 'paper' },
  padding: { type: 'string', value: 'NAME', group: 'Network', help: "CONV-x convolutions: same or valid (the authors' code)", default: 'same' },
  dataset: { type: 'string', value: 'NAME', group: 'Data', help: 'mnist or cifar10 (follows --arch)' },
  'data-dir': {
    type: 'string',
    value: 'DIR',
    group: 'Data',
    help: 'MNIST: a directory of IDX files instead of the bundled copy;\nCIFAR-10: the cifar-10-batches-bin directory (required)',
  },
  download: { type: 'boolean', group: 'Data', help: 'MNIST: download into ~/.cache/slot-machines/mnist (checksummed)' },
  'train-subset': { type: 'string', value: 'N', group: 'Data', help: 'train on the first N examples of the training split only' },
  validation: {
    type: 'string',
    value: 'X',
    group: 'Data',
    help: 'share of the training set held out for validation (seeded); 0: none, every\nrow trains in file order (no best epoch, no early stopping)',
    default: '0.15 for MNIST, 0.1 for CIFAR-10',
  },
  augment: { type: 'string', value: 'NAME', group: 'Data', help: 'crop-flip, flip or none', default: 'crop-flip for CIFAR-10, none for MNIST' },
  normalization: {
    type: 'string',
    value: 'NAME',
    group: 'Data',
    help: 'standardize (mean/std: MNIST 0.1307/0.3081, CIFAR-10 per channel) or\nscale (pixels to [0, 1])',
    default: 'standardize',
  },
  epochs: { type: 'string', value: 'N', group: 'Training', help: 'passes over the training split', default: "200, the paper's budget" },
  'batch-size': { type: 'string', value: 'N', group: 'Training', help: 'images per step', default: '128' },
  lr: {
    type: 'string',
    value: 'X',
    group: 'Training',
    help: 'base learning rate (the schedule anneals it)',
    default: 'GS: 0.2 if K <= 8 else 0.1; PS: 25; learned and finetuning: 0.01',
  },
  'weight-decay': { type: 'string', value: 'X', group: 'Training', help: 'coupled L2', default: '1e-4; 0 for PS' },
  momentum: { type: 'string', value: 'X', group: 'Training', help: 'SGD momentum', default: '0.9' },
  schedule: {
    type: 'string',
    value: 'NAME',
    group: 'Training',
    help: 'restarts (cosine, warm restarts at --restarts), sgdr (T0 25, Tmult 2:\nrestarts at 25, 75, 175), cosine (one over the run) or constant',
    default: 'restarts',
  },
  restarts: { type: 'string', value: 'LIST', group: 'Training', help: "epochs of the warm restarts, comma-separated (the paper's: 25, 75)", default: '25,75' },
  patience: { type: 'string', value: 'N', group: 'Training', help: 'stop after N epochs without a better validation accuracy', default: 'off' },
  'validate-with': {
    type: 'string',
    value: 'NAME',
    group: 'Training',
    help: "PS: the network whose validation accuracy picks the best epoch: argmax (the\npaper's final network) or sample (one sampled network, as the authors' code)",
    default: 'argmax',
  },
  seed: { type: 'string', value: 'N', group: 'Training', help: 'options, scores, splits, batches and samples derive from it', default: '0' },
  'checkpoint-every': { type: 'string', value: 'N', group: 'Training', help: 'also checkpoint every N steps (epoch ends always are)', default: '0' },
  out: { type: 'string', value: 'DIR', group: 'Output', help: 'run directory', default: 'runs/<name>-seed<seed>' },
  resume: { type: 'boolean', group: 'Output', help: 'continue the run in --out from its last checkpoint' },
  'keep-every': { type: 'string', value: 'N', group: 'Output', help: 'also keep the checkpoint of every N epochs (epoch-0005.safetensors), to\nfinetune from any of them later (--from-epoch)', default: '0: none' },
  'finetune-from': { type: 'string', value: 'DIR', group: 'Output', help: 'start from the selected network of run DIR and train its weights' },
  'from-epoch': { type: 'string', value: 'E', group: 'Output', help: "finetuning: start from the checkpoint run DIR kept at epoch E (its\n--keep-every) instead of its best one" },
  tensorboard: {
    type: 'string',
    value: 'DIR',
    group: 'Output',
    help: 'also write TensorBoard event files to DIR each epoch (losses, accuracies,\nlearning rate, selection change, histograms of scores and selected weights;\nneeds the native backend)',
  },
  ...RUNTIME_FLAGS,
});

/** The spec a `train` command line asks for. */
export function specFromFlags(values: Record<string, string | boolean | undefined>): RunSpec {
  const str = (name: string) => values[name] as string | undefined;
  const epochs = Number(str('epochs') ?? 200);
  const schedules = {
    restarts: { type: 'restarts', restarts: parseRestarts(str('restarts')), epochs, etaMin: 0 },
    sgdr: { type: 'sgdr', t0: 25, tMult: 2, etaMin: 0 },
    cosine: { type: 'cosine', epochs, etaMin: 0 },
    constant: { type: 'constant' },
  } as const;
  const given = str('schedule');
  // without --schedule the run takes the paper's (restarts), at --restarts when given
  const schedule =
    given === undefined ? (str('restarts') === undefined ? undefined : 'restarts') : validate.requireOneOf('--schedule', given, Object.keys(schedules) as Array<keyof typeof schedules>);
  const dataDir = str('data-dir');
  if (dataDir !== undefined && dataDir.trim() === '') throw new CliError("--data-dir: expected a directory, got '' (leave the flag out for the bundled MNIST)");
  if (dataDir && values.download) throw new CliError('--data-dir and --download exclude each other: pick one source');
  refuseUnusedFlags(values);
  // finetuning trains on the source run's data set (and files, unless given) with its architecture
  const source = str('finetune-from') === undefined ? null : readSourceSpec(resolve(str('finetune-from')!));
  const spec = resolveRunSpec({
    architecture: source?.architecture ?? str('arch'),
    flavour: str('flavour'),
    dataset: source?.dataset ?? str('dataset'),
    data: dataDir ? { kind: 'directory', path: resolve(dataDir) } : values.download ? { kind: 'download' } : source?.data,
    k: str('k'),
    strategy: str('strategy'),
    keepFraction: str('keep-fraction'),
    normalize: str('normalize'),
    sharing: str('sharing'),
    zeroOption: values['zero-option'],
    init: str('init'),
    padding: str('padding'),
    seed: str('seed'),
    validationFraction: str('validation'),
    epochs: str('epochs'),
    batchSize: str('batch-size'),
    learningRate: str('lr'),
    momentum: str('momentum'),
    weightDecay: str('weight-decay'),
    schedule: schedule ? schedules[schedule] : undefined,
    patience: str('patience'),
    trainSubset: str('train-subset'),
    augment: str('augment'),
    normalization: str('normalization'),
    checkpointEverySteps: str('checkpoint-every'),
    keepEvery: str('keep-every'),
    validateWith: str('validate-with'),
    temperature: str('temperature'),
    annealTo: str('anneal-to'),
    greedyAt: str('greedy-at'),
    finetuneEpoch: str('from-epoch'),
    finetuneFrom: str('finetune-from') === undefined ? undefined : resolve(str('finetune-from')!),
  } as Parameters<typeof resolveRunSpec>[0]);
  if (spec.dataset === 'cifar10' && dataDir === undefined && !source) {
    throw new CliError(
      `--data-dir DIR is required for CIFAR-10 (--arch ${spec.architecture}): the official binary version's cifar-10-batches-bin directory, ` +
        'holding data_batch_1.bin ... data_batch_5.bin and test_batch.bin (https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz)',
    );
  }
  return spec;
}

/** The config.json of the run a finetuning starts from (null when missing: loading its network says so, naming the file). */
function readSourceSpec(dir: string): RunSpec | null {
  const path = join(dir, 'config.json');
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as RunSpec;
  } catch (e) {
    throw new CliError(`${path}: not valid JSON (${(e as Error).message})`);
  }
}

/**
 * Refuses flags the run would not use, so config.json never records a value as if it mattered:
 * network flags when finetuning (the network is the source run's), slot flags for learned or
 * random networks, PS's --normalize with greedy selection.
 */
/** `--restarts 25,75`: strictly increasing epochs >= 1. */
function parseRestarts(text: string | undefined): number[] {
  if (text === undefined) return [25, 75];
  const epochs = text.split(',').map((part) => validate.parseInteger('--restarts', part.trim(), 1));
  if (epochs.some((e, i) => i > 0 && e <= epochs[i - 1]!)) throw new CliError(`--restarts: expected increasing epochs, e.g. 25,75, got '${text}'`);
  return epochs;
}

function refuseUnusedFlags(values: Record<string, string | boolean | undefined>): void {
  const given = (flag: string) => values[flag] !== undefined;
  const refuse = (flags: readonly string[], why: string) => {
    const used = flags.filter(given);
    if (used.length) throw new CliError(`--${used.join(', --')}: ${why}; drop ${used.length === 1 ? 'it' : 'them'}`);
  };
  if (given('finetune-from')) {
    refuse(['arch', 'flavour', 'k', 'strategy', 'keep-fraction', 'normalize', 'temperature', 'anneal-to', 'greedy-at', 'validate-with', 'sharing', 'zero-option', 'init', 'padding'], 'finetuning trains the network of the source run as it is');
    return;
  }
  const flavour = values.flavour ?? 'slot';
  if (flavour === 'learned') refuse(['k', 'strategy', 'keep-fraction', 'normalize', 'sharing', 'zero-option'], 'the learned flavour trains ordinary weights, no slots');
  if (flavour === 'random') refuse(['k', 'strategy', 'keep-fraction', 'normalize', 'sharing', 'zero-option'], 'the random flavour is one fixed random weight per connection (K = 1), nothing is selected');
  if ((values.schedule ?? 'restarts') !== 'restarts') refuse(['restarts'], `--schedule ${values.schedule} has no restart epochs to set`);
  if ((values.strategy ?? 'greedy') === 'greedy') refuse(['normalize'], 'it sets how PS (--strategy probabilistic) turns scores into probabilities; greedy selection takes the largest score');
  if (values.strategy === 'edge-popup' || values.strategy === 'supermask') {
    refuse(['normalize', 'zero-option', 'init'], `--strategy ${values.strategy} prunes one weight per connection (K = 2 with the zero option) drawn and scored the method's own way`);
  }
}

export const trainCommand = defineCommand({
  name: 'train',
  flags: TRAIN_FLAGS,
  help: {
    summary: 'train a network (Lenet-300-100 on MNIST by default) and keep checkpoints',
    usage: 'slot-machines train [options]',
    text: `Trains a slot machine (or the learned-weights baseline) with the paper's recipe: SGD, momentum 0.9,
cosine annealing with warm restarts at epochs 25 and 75, early stopping on validation accuracy.
Writes config.json, metrics.jsonl (one JSON line per epoch), last/best.safetensors checkpoints and
summary.json to --out. A killed run continues with --resume.`,
  },
  run: ({ values, positionals }, ctx) => runTrain(values, positionals, ctx),
});

/** `train`, and `finetune` with `--run` passed on as `--finetune-from`. */
export async function runTrain(values: ParsedArgs<typeof TRAIN_FLAGS>['values'], positionals: readonly string[], { io, initBackend }: CommandContext): Promise<number> {
  if (positionals.length) throw new CliError(`unexpected argument '${positionals[0]}' (options start with --)`);
  const resume = Boolean(values.resume);
  let spec: RunSpec;
  let out = values.out;
  if (resume) {
    if (!out) throw new CliError('--resume needs --out DIR, the run to continue');
    spec = await readRunSpec(out);
    const others = Object.keys(values).filter((k) => !['resume', 'out', 'backend', 'quiet', 'tensorboard'].includes(k));
    if (others.length) throw new CliError(`--resume continues ${out} with its own config.json; drop --${others.join(', --')}`);
  } else {
    spec = specFromFlags(values);
    out ??= join('runs', `${describeRun(spec).toLowerCase().replace(/[^a-z0-9]+/g, '-')}-seed${spec.seed}`);
  }
  checkRunDirectory(out, resume); // before the backend starts: a refused run writes nothing
  const backend = await initBackend(values.backend);
  const tensorboard = values.tensorboard === undefined ? undefined : openTensorboard(resolve(values.tensorboard), backend);
  const summary = await runTraining(spec, out, { resume, backend, quiet: Boolean(values.quiet), stderr: io.stderr, ...(tensorboard ? { tensorboard } : {}) });
  const { result } = summary;
  const best = result.best;
  const last = result.history.at(-1);
  // PS: the sampled network's accuracies beside the argmax network's
  const sampled = last?.testAccuracySampled !== undefined;
  io.stdout.write(
    `\n${formatTable(
      [
        'run',
        'epochs',
        'best val epoch',
        'val acc',
        'test acc (best val)',
        'test acc (last)',
        ...(sampled ? ['sampled val acc (best val)', 'sampled test acc (best val)', 'sampled test acc (last)'] : []),
        ...(last?.sparsity != null ? ['sparsity'] : []),
        'time',
      ],
      [
        [
          summary.name,
          String(result.history.length),
          best ? String(best.epoch) : '-',
          percent(best?.valAccuracy),
          percent(best?.testAccuracy),
          percent(last?.testAccuracy),
          ...(sampled ? [percent(best?.valAccuracySampled), percent(best?.testAccuracySampled), percent(last?.testAccuracySampled)] : []),
          ...(last?.sparsity != null ? [percent(last.sparsity, 1)] : []),
          `${summary.seconds.toFixed(0)}s`,
        ],
      ],
    )}\n` +
      `\ntest accuracy: ${percent(best?.testAccuracy ?? last?.testAccuracy)} (${sampled ? `argmax network; best epoch by ${best?.validatedWith === 'sample' ? 'the sampled' : 'the argmax'} network's validation accuracy; ` : ''}${backend} backend; run directory ${out})\n`,
  );
  return 0;
}
