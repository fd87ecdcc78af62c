/** One line of the metrics log (JSON lines), written after every epoch. */
export interface EpochMetrics {
  /** 1-based epoch number. */
  readonly epoch: number;
  readonly learningRate: number;
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  readonly valLoss: number | null;
  readonly valAccuracy: number | null;
  readonly testLoss: number | null;
  readonly testAccuracy: number | null;
  /**
   * Stochastic strategies (PS) only: the accuracies of one network the strategy samples with the
   * seeds of the step after the epoch's last (the accuracies above are those of the network's
   * test-time network: the argmax network for PS unless its `evalMode` is `'sample'`).
   * Absent for other runs.
   */
  readonly valAccuracySampled?: number | null;
  readonly testAccuracySampled?: number | null;
  /** Share of connections whose argmax selection changed since the previous epoch (slot networks). */
  readonly selectionChange: number | null;
  /** Share of connections selecting the zero option (sparse slot machines), else null. */
  readonly sparsity: number | null;
  /** Training steps so far. */
  readonly step: number;
  /** Wall-clock seconds of this epoch (training and evaluation). */
  readonly seconds: number;
}

/**
 * Early stopping: the epoch of best validation accuracy, and the test accuracy there. The
 * accuracies are those of the selected (argmax) network; a stochastic strategy's run also has the
 * sampled network's, and `validateWith: 'sample'` chose the epoch by `valAccuracySampled`.
 */
export interface BestEpoch {
  readonly epoch: number;
  readonly valAccuracy: number;
  readonly testAccuracy: number | null;
  readonly valAccuracySampled?: number | null;
  readonly testAccuracySampled?: number | null;
  /** Present when the epoch was chosen by the sampled network's validation accuracy. */
  readonly validatedWith?: 'sample';
}
