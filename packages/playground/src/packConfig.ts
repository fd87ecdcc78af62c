/**
 * How much of MNIST the page ships: the first 12,000 rows of the training file (about 1,200 per
 * class) and all 10,000 test images. One epoch over them is 94 steps of 128; Lenet-300-100 GS K=8
 * passes 90% test accuracy in the first epoch. The whole training set would make the asset five
 * times larger for little gain in a demo.
 */
export const PACKED_TRAIN_IMAGES = 12_000;

/** Where `scripts/packMnist.ts` writes the asset, relative to the package (git-ignored). */
export const MNIST_PACK_PATH = 'generated/mnist-pack.bin.gz';
