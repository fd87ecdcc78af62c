import { CliError } from '../CliError';
import { defineCommand, defineFlags } from '../Command';
import { TRAIN_FLAGS, runTrain } from './trainCommand';

const { 'finetune-from': _finetuneFrom, ...trainFlags } = TRAIN_FLAGS;

/** `train`'s flags, with `--run DIR` in place of `--finetune-from DIR` and the finetuning defaults shown. */
const FINETUNE_FLAGS = defineFlags({
  run: { type: 'string', value: 'DIR', group: 'Data', help: 'the slot machine run to start from (required)' },
  ...trainFlags,
  epochs: { ...trainFlags.epochs, default: '200' },
  lr: { ...trainFlags.lr, default: '0.01' },
});

export const finetuneCommand = defineCommand({
  name: 'finetune',
  flags: FINETUNE_FLAGS,
  help: {
    summary: "train the weights of a run's selected network as an ordinary network",
    usage: 'slot-machines finetune --run DIR [options]',
    text: `Takes the selected network of run DIR (its best checkpoint: every connection at its best-scored
option) as the initial weights of an ordinary network and trains those weights (spec: SGD,
lr 0.01, momentum 0.9). Accepts the training, data and output options of 'slot-machines train'.`,
  },
  run: ({ values: { run, ...values }, positionals }, ctx) => {
    if (run === undefined) throw new CliError('--run DIR is required: the run whose selected network is finetuned');
    return runTrain({ ...values, 'finetune-from': run }, positionals, ctx);
  },
});
