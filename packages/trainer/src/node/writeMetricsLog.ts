import type { EpochMetrics } from '../metrics';
import { writeFileAtomic } from './writeFileAtomic';

/**
 * Writes the metrics log, one JSON object per epoch and line. The whole file is rewritten
 * atomically from the history, so a resumed run's log holds exactly its epochs, never a torn line.
 */
export function writeMetricsLog(path: string, history: readonly EpochMetrics[]): Promise<void> {
  return writeFileAtomic(path, history.map((m) => JSON.stringify(m)).join('\n') + (history.length ? '\n' : ''));
}
