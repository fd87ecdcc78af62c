import { join } from 'node:path';
import { Queue } from 'bullmq';
import { connectRedis } from './connectRedis';
import type { SweepJobData, SweepJobResult } from './enqueueSweep';
import { readSweepPlan, type PlannedRun } from './planSweep';
import { inspectRunDirectory, readRunEvents, type RunEvent } from './runDirectory';
import type { RunProgress } from './startSweepWorker';

/** A job's state in the queue; `not queued` when the queue has no job for the run. */
export type QueueState = 'waiting' | 'active' | 'delayed' | 'prioritized' | 'completed' | 'failed' | 'waiting-children' | 'unknown' | 'not queued';

/** One run as `status` shows it: the queue's view and the run directory's. */
export interface RunStatus<Spec = unknown> {
  readonly run: PlannedRun<Spec>;
  /** Null when no Redis was asked. */
  readonly queue: QueueState | null;
  /** The last progress a worker reported (epoch, batch), for an active run. */
  readonly progress: RunProgress | null;
  /** Why the job failed, for a failed job (the run's own error, or "job stalled more than allowable limit"). */
  readonly error: string | null;
  readonly attempts: number;
  /** From the run directory. */
  readonly stage: 'new' | 'started' | 'finished';
  /** Completed epochs (metrics.jsonl). */
  readonly epochsDone: number;
  /** Test accuracy at the best validation epoch, for a finished run. */
  readonly testAccuracy: number | null;
  /** The run's last event (who started, resumed, finished or failed it, when). */
  readonly lastEvent: RunEvent | null;
}

export interface SweepStatus<Spec = unknown> {
  readonly name: string;
  readonly queue: string;
  readonly runs: ReadonlyArray<RunStatus<Spec>>;
  /** Runs by queue state (or by directory stage without Redis). */
  readonly counts: Readonly<Record<string, number>>;
}

/**
 * Where every run of the sweep in `dir` stands: its job's state, progress and error in the queue
 * (when `redis` is given) and what its directory holds. Reads only.
 */
export async function sweepStatus<Spec = unknown>(options: { readonly dir: string; readonly redis?: string }): Promise<SweepStatus<Spec>> {
  const plan = await readSweepPlan<Spec>(options.dir);
  const connection = options.redis === undefined ? null : await connectRedis(options.redis, 'client');
  const queue = connection ? new Queue<SweepJobData, SweepJobResult>(plan.queue, { connection }) : null;
  try {
    const runs: Array<RunStatus<Spec>> = [];
    for (const run of plan.runs) {
      const dir = join(options.dir, run.id);
      const state = await inspectRunDirectory(dir);
      const events = await readRunEvents(dir);
      const job = queue ? await queue.getJob(run.id) : undefined;
      const queueState: QueueState | null = queue ? (job ? ((await job.getState()) as QueueState) : 'not queued') : null;
      const progress = job && typeof job.progress === 'object' && job.progress !== null && 'epoch' in job.progress ? (job.progress as unknown as RunProgress) : null;
      runs.push({
        run,
        queue: queueState,
        progress: queueState === 'active' ? progress : null,
        error: queueState === 'failed' ? (job?.failedReason ?? null) : null,
        attempts: job?.attemptsMade ?? 0,
        stage: state.stage,
        epochsDone: state.epochs.length,
        testAccuracy: state.summary?.result?.best?.testAccuracy ?? null,
        lastEvent: events.at(-1) ?? null,
      });
    }
    const counts: Record<string, number> = {};
    for (const r of runs) {
      const key = r.queue ?? r.stage;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return { name: plan.name, queue: plan.queue, runs, counts };
  } finally {
    await queue?.close();
    await connection?.quit();
  }
}
