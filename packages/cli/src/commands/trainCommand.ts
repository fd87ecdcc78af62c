import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CliError } from '../CliError';
import { parseFlags, type CliIo } from '../main';
import { readRunSpec, runTraining } from '../runTraining';
import { describeRun, resolveRunSpec, type RunSpec } from '../runSpec';
import { formatTable, percent } from '../table';

const FLAGS = {
  arch: { type: 'string' },
  flavour: { type: 'string' },
  k: { type: 'string' },
  strategy: { type: 'string' },
  normalize: { type: 'string' },
  sharing: { type: 'string' },
  'zero-option': { type: 'boolean' },
  init: { type: 'string' },
  padding: { type: 'string' },
  dataset: { type: 'string' },
  'data-dir': { type: 'string' },
  download: { type: 'boolean' },
  'train-subset': { type: 'string' },
  augment: { type: 'string' },
  normalization: { type: 'string' },
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  lr: { type: 'string' },
  'weight-decay': { type: 'string' },
  momentum: { type: 'string' },
  schedule: { type: 'string' },
  patience: { type: 'string' },
  seed: { type: 'string' },
  'checkpoint-every': { type: 'string' },
  out: { type: 'string' },
  resume: { type: 'boolean' },
  'finetune-from': { type: 'string' },
  backend: { type: 'string' },
  quiet: { type: 'boolean' },
} as const;

/** The spec a `train` command line asks for. */
export function specFromFlags(values: Record<string, string | boolean | undefined>): RunSpec {
  const str = (name: string) => values[name] as string | undefined;
  const schedules = {
    sgdr: { type: 'sgdr', t0: 25, tMult: 2, etaMin: 0 },
    cosine: { type: 'cosine', epochs: Number(str('epochs') ?? 200), etaMin: 0 },
    constant: { type: 'constant' },
  } as const;
  const schedule = str('schedule');
  if (schedule !== undefined && !(schedule in schedules)) throw new CliError(`--schedule: expected one of sgdr, cosine, constant, got '${schedule}'`);
  const dataDir = str('data-dir');
  if (dataDir && values.download) throw new CliError('--data-dir and --download exclude each other: pick one source');
  return resolveRunSpec({
    architecture: str('arch'),
    flavour: str('flavour'),
    dataset: str('dataset'),
    data: dataDir ? { kind: 'directory', path: dataDir } : values.download ? { kind: 'download' } : undefined,
    k: str('k'),
    strategy: str('strategy'),
    normalize: str('normalize'),
    sharing: str('sharing'),
    zeroOption: values['zero-option'],
    init: str('init'),
    padding: str('padding'),
    seed: str('seed'),
    epochs: str('epochs'),
    batchSize: str('batch-size'),
    learningRate: str('lr'),
    momentum: str('momentum'),
    weightDecay: str('weight-decay'),
    schedule: schedule ? schedules[schedule as keyof typeof schedules] : undefined,
    patience: str('patience'),
    trainSubset: str('train-subset'),
    augment: str('augment'),
    normalization: str('normalization'),
    checkpointEverySteps: str('checkpoint-every'),
    finetuneFrom: str('finetune-from') === undefined ? undefined : resolve(str('finetune-from')!),
  } as Parameters<typeof resolveRunSpec>[0]);
}

export async function trainCommand(args: string[], io: CliIo, initBackend: (name: string, io: CliIo) => Promise<string>): Promise<number> {
  const { values, positionals } = parseFlags(args, FLAGS);
  if (positionals.length) throw new CliError(`unexpected argument '${positionals[0]}' (options start with --)`);
  const resume = Boolean(values.resume);
  let spec: RunSpec;
  let out = values.out as string | undefined;
  if (resume) {
    if (!out) throw new CliError('--resume needs --out DIR, the run to continue');
    spec = await readRunSpec(out);
    const others = Object.keys(values).filter((k) => !['resume', 'out', 'backend', 'quiet'].includes(k));
    if (others.length) throw new CliError(`--resume continues ${out} with its own config.json; drop --${others.join(', --')}`);
  } else {
    spec = specFromFlags(values);
    out ??= join('runs', `${describeRun(spec).toLowerCase().replace(/[^a-z0-9]+/g, '-')}-seed${spec.seed}`);
    if (existsSync(join(out, 'last.safetensors'))) {
      throw new CliError(`${out} already holds a run: continue it with --resume --out ${out}, or choose another --out`);
    }
  }
  const backend = await initBackend((values.backend as string | undefined) ?? 'auto', io);
  const summary = await runTraining(spec, out, { resume, backend, quiet: Boolean(values.quiet), stderr: io.stderr });
  const { result } = summary;
  const best = result.best;
  const last = result.history.at(-1);
  io.stdout.write(
    `\n${formatTable(
      ['run', 'epochs', 'best val epoch', 'val acc', 'test acc (best val)', 'test acc (last)', ...(last?.sparsity != null ? ['sparsity'] : []), 'time'],
      [
        [
          summary.name,
          String(result.history.length),
          best ? String(best.epoch) : '-',
          percent(best?.valAccuracy),
          percent(best?.testAccuracy),
          percent(last?.testAccuracy),
          ...(last?.sparsity != null ? [percent(last.sparsity, 1)] : []),
          `${summary.seconds.toFixed(0)}s`,
        ],
      ],
    )}\n` +
      `\ntest accuracy: ${percent(best?.testAccuracy ?? last?.testAccuracy)} (${backend} backend; run directory ${out})\n`,
  );
  return 0;
}
