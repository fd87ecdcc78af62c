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
  /** Share of connections whose argmax selection changed since the previous epoch (slot networks). */
  readonly selectionChange: number | null;
  /** Share of connections selecting the zero option (sparse slot machines), else null. */
  readonly sparsity: number | null;
  /** Training steps so far. */
  readonly step: number;
  /** Wall-clock seconds of this epoch (training and evaluation). */
  readonly seconds: number;
}

/** Early stopping: the epoch of best validation accuracy, and the test accuracy there. */
export interface BestEpoch {
  readonly epoch: number;
  readonly valAccuracy: number;
  readonly testAccuracy: number | null;
}
