export const HELP = `slot-machines: train networks whose weights are never trained

A slot machine gives every connection K fixed random values and learns a score per value; the
forward pass uses the best-scored value (greedy, GS) or samples one (probabilistic, PS). Only the
scores are trained. Paper: Aladago & Torresani, "Slot Machines", ICML 2021.

Usage: slot-machines <command> [options]

Commands:
  train       train a network (Lenet-300-100 on MNIST by default) and keep checkpoints
  finetune    train the weights of a run's selected network as an ordinary network
  eval        test accuracy of a run's checkpoint
  export      write a run's selected network as a TensorFlow.js LayersModel
  reproduce   run the paper's table for a dataset and write a report (mnist)
  native      build the native TensorFlow backend offline (install) or check it (status)

Quick start:
  slot-machines train --epochs 3              # Lenet-300-100, GS, K=8, bundled MNIST
  slot-machines export --run runs/latest --out model/
  slot-machines <command> --help              # every option of a command
`;

const COMMON = `  --backend NAME        auto (native tfjs-node if installed, else wasm), tensorflow, wasm, cpu  [auto]
  --quiet               no progress bar or epoch lines
`;

const TRAIN = `Usage: slot-machines train [options]

Trains a slot machine (or the learned-weights baseline) with the paper's recipe: SGD, momentum 0.9,
cosine annealing with warm restarts at epochs 25 and 75, early stopping on validation accuracy.
Writes config.json, metrics.jsonl (one JSON line per epoch), last/best.safetensors checkpoints and
summary.json to --out. A killed run continues with --resume.

Network:
  --arch NAME           lenet-300-100, conv-2, conv-4, conv-6                         [lenet-300-100]
  --flavour NAME        slot, learned (ordinary trained weights), random (untrained)  [slot]
  --k N                 random options per connection (the zero option included)     [8]
  --strategy NAME       greedy (GS) or probabilistic (PS)                             [greedy]
  --normalize NAME      PS probabilities: softmax or proportional (p ∝ max(s, 0))     [softmax]
  --sharing NAME        none, layer (K values per layer), global (K values per net)   [none]
  --zero-option         one of the K options is exactly 0 (sparse slot machine)
  --init NAME           paper (U(-σ,σ), scores U(0,λσ)) or glorot-uniform (authors' code) [paper]
  --padding NAME        CONV-x convolutions: same or valid (the authors' code)         [same]

Data:
  --dataset NAME        mnist or cifar10 (follows --arch)
  --data-dir DIR        MNIST: a directory of IDX files instead of the bundled copy;
                        CIFAR-10: the cifar-10-batches-bin directory (required)
  --download            MNIST: download into ~/.cache/slot-machines/mnist (checksummed)
  --train-subset N      train on the first N examples of the training split only
  --augment NAME        crop-flip, flip or none                 [crop-flip for CIFAR-10, none for MNIST]
  --normalization NAME  standardize (mean/std: MNIST 0.1307/0.3081, CIFAR-10 per channel) or
                        scale (pixels to [0, 1])                                       [standardize]

Training:
  --epochs N            [200, the paper's budget]
  --batch-size N        [128]
  --lr X                [GS: 0.2 if K <= 8 else 0.1; PS: 25; learned and finetuning: 0.01]
  --weight-decay X      coupled L2                              [1e-4; 0 for PS]
  --momentum X          [0.9]
  --schedule NAME       sgdr (restarts at 25, 75), cosine or constant                 [sgdr]
  --patience N          stop after N epochs without a better validation accuracy      [off]
  --seed N              options, scores, splits, batches and samples derive from it   [0]
  --checkpoint-every N  also checkpoint every N steps (epoch ends always are)         [0]

Output:
  --out DIR             run directory                                      [runs/<name>-seed<seed>]
  --resume              continue the run in --out from its last checkpoint
  --finetune-from DIR   start from the selected network of run DIR and train its weights
${COMMON}`;

const FINETUNE = `Usage: slot-machines finetune --run DIR [options]

Takes the selected network of run DIR (its best checkpoint: every connection at its best-scored
option) as the initial weights of an ordinary network and trains those weights (spec: SGD,
lr 0.01, momentum 0.9). Accepts the training, data and output options of 'slot-machines train'.

  --run DIR             the slot machine run to start from
  --epochs N            [200]
  --lr X                [0.01]
  --out DIR             run directory                                      [runs/<name>-seed<seed>]
${COMMON}`;

const EVAL = `Usage: slot-machines eval --run DIR [--checkpoint best|last] [--eval-mode argmax|sample]

Prints the test accuracy of the argmax network of a run's checkpoint (best: the epoch of best
validation accuracy, the paper's early stopping).

  --run DIR             a directory written by 'slot-machines train'
  --checkpoint NAME     best or last                                               [best]
  --eval-mode NAME      PS runs: argmax (the paper's test network) or sample (one network
                        drawn from the scores, as during training)                 [argmax]
${COMMON}`;

const EXPORT = `Usage: slot-machines export --run DIR --out DIR [--checkpoint best|last]

Writes the selected network (every connection at its best-scored option) as a TensorFlow.js
LayersModel: model.json and weights.bin. Open it with tf.loadLayersModel; no slot-machines code
is needed to run it.

  --run DIR             a directory written by 'slot-machines train'
  --out DIR             where model.json and weights.bin go
  --checkpoint NAME     best or last                                               [best]
${COMMON}`;

const REPRODUCE = `Usage: slot-machines reproduce mnist [options]

Trains the paper's MNIST table (Lenet-300-100: GS K=2, GS K=8, PS K=8 and learned weights) and
writes a Markdown report with the test accuracy at the best validation epoch next to the paper's
numbers, the raw metrics (JSON lines) and an SVG plot of test accuracy per epoch.

  --epochs N            epochs per configuration                                    [25]
  --seed N              [0]
  --out DIR             run directories                                 [runs/reproduce-mnist]
  --report DIR          report directory: mnist.md, mnist/*.jsonl, mnist-test-accuracy.svg [docs/results]
  --only LIST           comma-separated subset of gs-k2,gs-k8,ps-k8,learned
  --resume              continue the configurations' runs from their checkpoints
${COMMON}`;

const NATIVE = `Usage: slot-machines native install [options]
       slot-machines native status [--project DIR]

install: makes an installed @tensorflow/tfjs-node 4.22.0 work without its own install script, which
downloads libtensorflow from storage.googleapis.com. Takes libtensorflow from TensorFlow's
tensorflow-cpu wheel (a local file, or downloaded with pip from the index pip is set up for) and
compiles tfjs-node's addon with g++. Linux x86_64; needs g++ and python3 (or unzip), pip only to
download. Install tfjs-node first: npm install @tensorflow/tfjs-node@4.22.0 --ignore-scripts
status: says whether tfjs-node is installed, built and loads, and on which libtensorflow; exit code 0
when it loads. Guide: docs/guide/native.md

  --wheel FILE          a tensorflow-cpu wheel on disk: no network, no pip
  --tf-version X.Y.Z    tensorflow-cpu version to download (2.12 to 2.21 verified)    [2.18.1]
  --cache DIR           wheels, unpacked libraries, built addons   [~/.cache/slot-machines/native]
  --project DIR         where @tensorflow/tfjs-node is installed   [where runtime-node finds it]
  --node-headers DIR    a folder with node_api.h                   [next to node]
  --no-strip            keep the libraries' symbol tables (+190 MB)
  --no-test             do not load the result in node afterwards
  --force               accept a tfjs-node other than 4.22.0, or Linux aarch64
`;

/** The help text of one command. */
export function helpFor(command: string): string {
  return { train: TRAIN, finetune: FINETUNE, eval: EVAL, export: EXPORT, reproduce: REPRODUCE, native: NATIVE }[command] ?? HELP;
}
