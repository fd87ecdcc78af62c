import { initRuntime } from '@slot-machines/runtime-node';
import { beforeAll } from 'vitest';

// Start TensorFlow.js as an application would: native TensorFlow where @tensorflow/tfjs-node is
// installed, else wasm, else cpu, with the gradients training needs. One line on stderr says which.
beforeAll(async () => {
  await initRuntime();
});
