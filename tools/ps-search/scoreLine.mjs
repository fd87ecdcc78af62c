// Checks the claim of docs/results/ps-findings.md that without weight decay a connection's scores
// stay on the line s_k = s_k(0) + c · W_k: for each slot layer of a run's checkpoint, fits c per
// connection by least squares on (W_k, s_k − s_k(0)) and prints the largest residual relative to
// the scores' spread, the share of connections whose argmax option is their most extreme option
// (largest W_k if c > 0, smallest if c < 0), and quantiles of |c| · (max W − min W), the spread that
// decides how far from greedy softmax(s / T) samples.
// Usage: node --conditions=source --import tsx tools/ps-search/scoreLine.mjs RUN_DIR [checkpoint]
import * as tf from '@tensorflow/tfjs-core';
const { initBackend } = await import('../../packages/cli/src/initBackend.ts');
const { loadRunNetwork, readRunSpec } = await import('../../packages/cli/src/runTraining.ts');
const { buildNetwork } = await import('../../packages/cli/src/runSpec.ts');

const [dir, checkpoint = 'last'] = process.argv.slice(2);
await initBackend('tensorflow', { stdout: process.stdout, stderr: process.stderr });
const { network } = await loadRunNetwork(dir, checkpoint);
const fresh = buildNetwork(await readRunSpec(dir)); // the same seed: the initial scores
const initial = fresh.scores();
for (const layer of network.slotLayers) {
  const [report] = tf.tidy(() => {
    const w = layer.source.options; // [...S, K]
    const s = layer.source.scores;
    const d = tf.sub(s, initial[layer.name]);
    const wc = tf.sub(w, tf.mean(w, -1, true));
    const dc = tf.sub(d, tf.mean(d, -1, true));
    const c = tf.div(tf.sum(tf.mul(wc, dc), -1, true), tf.sum(tf.mul(wc, wc), -1, true));
    const residual = tf.max(tf.abs(tf.sub(dc, tf.mul(c, wc))));
    const spread = tf.squeeze(tf.mul(tf.abs(c), tf.sub(tf.max(w, -1, true), tf.min(w, -1, true))), [-1]);
    const extreme = tf.where(tf.greater(tf.squeeze(c, [-1]), 0), tf.argMax(w, -1), tf.argMin(w, -1));
    const agree = tf.mean(tf.cast(tf.equal(extreme, tf.argMax(s, -1)), 'float32'));
    const sorted = Array.from(spread.dataSync()).sort((a, b) => a - b);
    const q = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toPrecision(3);
    const scoreRange = tf.max(tf.sub(tf.max(s, -1), tf.min(s, -1))).dataSync()[0];
    return [
      `${layer.name}: max residual ${residual.dataSync()[0].toExponential(2)} (largest score range ${scoreRange.toPrecision(3)}); ` +
        `argmax = most extreme option for ${(agree.dataSync()[0] * 100).toFixed(2)}% of connections; ` +
        `|c|·(option spread) quantiles 10% ${q(0.1)}, 50% ${q(0.5)}, 90% ${q(0.9)}`,
    ];
  });
  console.log(report);
}
network.dispose();
fresh.dispose();
