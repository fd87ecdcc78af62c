// The fused slot update alone: ms per slotUpdate() call on Lenet-300-100's first layer
// ([784, 300, K] scores, velocity and options) for K = 8 and 64, the fused kernel of the backend
// against the reference composite of tfjs ops (slotUpdateReference), in one process. Runs on the
// built packages (pnpm build).
//
//   node packages/bench/src/slotUpdateBench.mjs [--backends tensorflow,wasm,cpu] [--ks 8,64]
//                                               [--rules argmax,softmax] [--calls 30]
//
// On tensorflow the kernel is the native custom op (runtime-node loads it when install-native.sh
// built it). SLOT_MACHINES_SLOT_UPDATE_THREADS=1 keeps the native op on one thread (TensorFlow's
// pool otherwise splits the connections).
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { SLOT_UPDATE_KERNEL, registerSlotKernels, slotUpdate, slotUpdateReference } from '@slot-machines/core';
import { initRuntime } from '@slot-machines/runtime-node';

const { values } = parseArgs({
  options: {
    backends: { type: 'string', default: 'tensorflow' },
    ks: { type: 'string', default: '8,64' },
    rules: { type: 'string', default: 'argmax' },
    calls: { type: 'string', default: '30' },
  },
});
const calls = Number(values.calls);
const rows = [];

for (const backend of values.backends.split(',')) {
  await initRuntime({ backend });
  registerSlotKernels();
  const kernel = tf.getKernel(SLOT_UPDATE_KERNEL, backend) != null;
  for (const k of values.ks.split(',').map(Number)) {
    const shape = [784, 300, k];
    const scores = tf.randomNormal(shape, 0, 1, 'float32', 1);
    const velocity = tf.randomNormal(shape, 0, 0.1, 'float32', 2);
    const options = tf.randomUniform(shape, -1, 1, 'float32', 3);
    const grad = tf.randomNormal(shape.slice(0, -1), 0, 1, 'float32', 4);
    const uniforms = tf.randomUniform(shape.slice(0, -1), 0, 1, 'float32', 5);
    for (const rule of values.rules.split(',')) {
      const inputs = { scores, velocity, options, grad, ...(rule === 'argmax' ? {} : { uniforms }) };
      const attrs = { lr: 0.1, momentum: 0.9, weightDecay: 1e-4, rule };
      const time = (fn) => {
        for (let i = 0; i < 3; i++) tf.dispose(Object.values(fn()));
        const times = [];
        for (let i = 0; i < calls; i++) {
          const start = performance.now();
          const out = fn();
          out.indices.dataSync(); // the result exists (tensorflow and cpu compute synchronously anyway)
          times.push(performance.now() - start);
          tf.dispose(Object.values(out));
        }
        times.sort((a, b) => a - b);
        return { median: times[Math.floor(times.length / 2)], min: times[0] };
      };
      const fused = kernel ? time(() => slotUpdate(inputs, attrs)) : undefined;
      const reference = time(() => slotUpdateReference(inputs, attrs));
      rows.push({ backend, k, rule, fused, reference });
      const f = fused ? `${fused.median.toFixed(2)} ms (min ${fused.min.toFixed(2)})` : 'no kernel';
      console.log(
        `${backend.padEnd(10)} [784,300,${k}] ${rule.padEnd(8)} kernel ${f.padEnd(24)} reference ${reference.median.toFixed(2)} ms (min ${reference.min.toFixed(2)})` +
          (fused ? `  ${(reference.median / fused.median).toFixed(1)}x` : ''),
      );
    }
    tf.dispose([scores, velocity, options, grad, uniforms]);
  }
}
console.log(JSON.stringify({ date: new Date().toISOString(), calls, threadsEnv: process.env.SLOT_MACHINES_SLOT_UPDATE_THREADS ?? null, rows }));
