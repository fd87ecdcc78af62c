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
// pool otherwise splits the connections). On wasm both routes run in turn, the SIMD module of
// @slot-machines/wasm-kernels ("simd", what initRuntime registers) and core's JS loop over the heap
// ("js"), each out of place (slotUpdate) and in place (slotUpdateInPlace, what training runs).
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import {
  SLOT_UPDATE_IN_PLACE_KERNEL,
  SLOT_UPDATE_KERNEL,
  registerSlotKernels,
  slotUpdate,
  slotUpdateInPlace,
  slotUpdateInPlaceWasmKernel,
  slotUpdateReference,
  slotUpdateWasmKernel,
} from '@slot-machines/core';
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

/** Makes `configs` the registered kernels (replacing whatever is registered under their names). */
function use(configs) {
  for (const config of configs) {
    if (tf.getKernel(config.kernelName, config.backendName)) tf.unregisterKernel(config.kernelName, config.backendName);
    tf.registerKernel(config);
  }
}

for (const backend of values.backends.split(',')) {
  await initRuntime({ backend });
  registerSlotKernels();
  const registered = [SLOT_UPDATE_KERNEL, SLOT_UPDATE_IN_PLACE_KERNEL].map((name) => tf.getKernel(name, backend)).filter((k) => k != null);
  const kernel = registered.length > 0;
  const js = [slotUpdateWasmKernel, slotUpdateInPlaceWasmKernel];
  const simd = backend === 'wasm' && registered[0]?.kernelFunc !== slotUpdateWasmKernel.kernelFunc;
  const routes = simd ? [['simd', registered], ['js', js]] : [[kernel ? 'kernel' : 'none', registered]];
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
      const ms = (t) => (t ? `${t.median.toFixed(2)} ms (min ${t.min.toFixed(2)})` : 'no kernel');
      const reference = time(() => slotUpdateReference(inputs, attrs));
      for (const [route, configs] of routes) {
        use(configs);
        const fused = kernel ? time(() => slotUpdate(inputs, attrs)) : undefined;
        // in place on variables of their own (refCount 1), as the training state holds them
        const s = tf.tidy(() => tf.variable(scores.clone()));
        const v = tf.tidy(() => tf.variable(velocity.clone()));
        const rest = { options, grad, ...(rule === 'argmax' ? {} : { uniforms }) };
        const inPlace = kernel ? time(() => slotUpdateInPlace(s, v, rest, attrs)) : undefined;
        tf.dispose([s, v]);
        rows.push({ backend, route, k, rule, fused, inPlace, reference });
        console.log(
          `${backend.padEnd(10)} ${route.padEnd(6)} [784,300,${k}] ${rule.padEnd(8)} kernel ${ms(fused).padEnd(24)} in place ${ms(inPlace).padEnd(24)} reference ${ms(reference)}` +
            (fused ? `  ${(reference.median / fused.median).toFixed(1)}x` : ''),
        );
      }
      use(routes[0][1]);
    }
    tf.dispose([scores, velocity, options, grad, uniforms]);
  }
}
console.log(JSON.stringify({ date: new Date().toISOString(), load: (await import('node:os')).loadavg(), calls, threadsEnv: process.env.SLOT_MACHINES_SLOT_UPDATE_THREADS ?? null, rows }));
