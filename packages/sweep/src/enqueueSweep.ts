import { join } from 'node:path';
import { Queue } from 'bullmq';
import { connectRedis } from './connectRedis';
import { readSweepPlan } from './planSweep';
import { inspectRunDirectory } from './runDirectory';

/** A sweep job's data: which run of the plan to train. The run's spec is read from the plan in the shared directory. */
export interface SweepJobData {
  readonly runId: string;
}

/** What a finished run's job returns: the numbers `status` shows. */
export interface SweepJobResult {
  readonly runId: string;
  readonly epochs: number;
  readonly bestEpoch: number | null;
  readonly testAccuracy: number | null;
  /** True when the run directory was already finished and nothing was trained. */
  readonly foundFinished: boolean;
}

export interface EnqueueOptions {
  /** The sweep directory (plan.json and one directory per run). */
  readonly dir: string;
  readonly redis: string;
  /** Also put runs whose job failed back in the queue. @default false */
  readonly retryFailed?: boolean;
  /** Tries per run for errors that are not the run's own (an I/O error, a crash): the run's own errors fail at once. @default 3 */
  readonly attempts?: number;
}

export interface EnqueueResult {
  /** Runs put in the queue now. */
  readonly added: readonly string[];
  /** Runs whose job was in the queue already (waiting, active, completed...). */
  readonly present: readonly string[];
  /** Runs whose directory is finished: not queued. */
  readonly finished: readonly string[];
  /** Failed runs put back (with `retryFailed`). */
  readonly retried: readonly string[];
}

/**
 * Puts every run of the plan in `dir` that is not finished in the sweep's queue, as a job whose id
 * is the run id: enqueueing again adds only what is missing (e.g. after Redis lost its data), so it
 * is always safe to repeat.
 */
export async function enqueueSweep(options: EnqueueOptions): Promise<EnqueueResult> {
  const plan = await readSweepPlan(options.dir);
  const connection = await connectRedis(options.redis, 'client');
  const queue = new Queue<SweepJobData, SweepJobResult>(plan.queue, { connection });
  const added: string[] = [];
  const present: string[] = [];
  const finished: string[] = [];
  const retried: string[] = [];
  try {
    for (const run of plan.runs) {
      const job = await queue.getJob(run.id);
      if (job) {
        if (options.retryFailed && (await job.getState()) === 'failed') {
          await job.retry('failed', { resetAttemptsMade: true });
          retried.push(run.id);
        } else {
          present.push(run.id);
        }
        continue;
      }
      if ((await inspectRunDirectory(join(options.dir, run.id))).stage === 'finished') {
        finished.push(run.id);
        continue;
      }
      await queue.add('run', { runId: run.id }, {
        jobId: run.id,
        attempts: options.attempts ?? 3,
        backoff: { type: 'exponential', delay: 10_000 },
        removeOnComplete: false,
        removeOnFail: false,
      });
      added.push(run.id);
    }
  } finally {
    await queue.close();
    await connection.quit();
  }
  return { added, present, finished, retried };
}
