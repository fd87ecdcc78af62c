import type { EpochMetrics, StepProgress } from '@slot-machines/trainer';

/**
 * A one-line progress bar on a terminal (redrawn in place), or nothing between epochs when the
 * output is a file or a pipe. Epoch lines are printed either way.
 */
export function createProgress(stream: NodeJS.WriteStream, quiet: boolean) {
  const tty = Boolean(stream.isTTY) && !quiet;
  let started = performance.now();
  let lastDraw = 0;
  let lossSum = 0;
  let lossCount = 0;
  return {
    step(p: StepProgress) {
      if (p.batch === 0) {
        started = performance.now();
        lossSum = 0;
        lossCount = 0;
      }
      lossSum += p.loss;
      lossCount += 1;
      if (!tty) return;
      const now = performance.now();
      if (now - lastDraw < 100 && p.batch + 1 < p.batches) return;
      lastDraw = now;
      const width = 24;
      const done = (p.batch + 1) / p.batches;
      const bar = '█'.repeat(Math.round(done * width)).padEnd(width, '░');
      const elapsed = (now - started) / 1000;
      const eta = done > 0 ? elapsed / done - elapsed : 0;
      stream.write(
        `\r\x1b[2Kepoch ${p.epoch + 1}/${p.epochs} ${bar} ${(done * 100).toFixed(0).padStart(3)}% ${p.batch + 1}/${p.batches} ` +
          `loss ${(lossSum / lossCount).toFixed(4)} lr ${p.learningRate.toPrecision(3)} ${elapsed.toFixed(0)}s<${eta.toFixed(0)}s`,
      );
    },
    epoch(m: EpochMetrics, epochs: number) {
      if (tty) stream.write('\r\x1b[2K');
      if (quiet) return;
      const pct = (v: number | null) => (v === null ? '  -   ' : `${(v * 100).toFixed(2)}%`);
      const change = m.selectionChange === null ? '' : ` changed ${(m.selectionChange * 100).toFixed(2)}%`;
      const sparse = m.sparsity === null ? '' : ` sparsity ${(m.sparsity * 100).toFixed(1)}%`;
      // PS: the sampled network's accuracies beside the argmax network's
      const sampled =
        m.valAccuracySampled === undefined && m.testAccuracySampled === undefined
          ? ''
          : `  sampled: val ${pct(m.valAccuracySampled ?? null)}  test ${pct(m.testAccuracySampled ?? null)}`;
      stream.write(
        `epoch ${String(m.epoch).padStart(String(epochs).length)}/${epochs}  loss ${m.trainLoss.toFixed(4)}  train ${pct(m.trainAccuracy)}  ` +
          `val ${pct(m.valAccuracy)}  test ${pct(m.testAccuracy)}${sampled}  lr ${m.learningRate.toPrecision(3)}${change}${sparse}  ${m.seconds.toFixed(1)}s\n`,
      );
    },
  };
}
