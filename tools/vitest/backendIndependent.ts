/**
 * Test files whose tests touch no tensor in the test process: parsers, schedules, flag handling and
 * help, and the CLI tests that run the built CLI in child processes (which pick their own backend).
 * They run once, in the `once` project, instead of once per backend. A file that builds a network,
 * trains or runs a README example belongs to the backend projects, not here.
 */
export const BACKEND_INDEPENDENT: readonly string[] = [
  'packages/cli/src/claims.test.ts',
  'packages/cli/src/commands.test.ts',
  'packages/cli/src/faults.test.ts',
  'packages/cli/src/keepEvery.test.ts',
  'packages/cli/src/reproduceCifar10.test.ts',
  'packages/cli/src/pruningStrategies.test.ts',
  'packages/cli/src/runSpec.test.ts',
  'packages/cli/src/sweep.test.ts',
  'packages/cli/src/tensorboard.test.ts',
  'packages/cli/src/wasmFallback.test.ts',
  'packages/core/src/export/bitPacking.test.ts',
  'packages/core/src/registry.test.ts',
  'packages/core/src/validate.test.ts',
  'packages/datasets/src/Augmentation.test.ts',
  'packages/datasets/src/Normalization.test.ts',
  'packages/datasets/src/mulberry32.test.ts',
  'packages/datasets/src/node/downloadMnist.test.ts',
  'packages/datasets/src/node/loadCifar10.test.ts',
  'packages/datasets/src/node/loadMnistFromDirectory.test.ts',
  'packages/datasets/src/node/readIdxFile.test.ts',
  'packages/datasets/src/parseCifar10Batch.test.ts',
  'packages/datasets/src/parseIdx.test.ts',
  'packages/datasets/src/splitValidation.test.ts',
  'packages/playground/src/histogram.test.ts',
  'packages/playground/src/loadMnistPack.test.ts',
  'packages/playground/src/mnistPack.test.ts',
  'packages/sweep/src/planSweep.test.ts',
  'packages/sweep/src/readme.test.ts',
  'packages/trainer/src/recipe.test.ts',
  'packages/trainer/src/schedule.test.ts',
  'packages/wasm-kernels/src/slotUpdateWasmBinary.test.ts',
];
