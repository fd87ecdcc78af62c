import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Queue, UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import { connectRedis } from './connectRedis';
import type { SweepJobData, SweepJobResult } from './enqueueSweep';
import { differingField, readSweepPlan, type PlannedRun } from './planSweep';
import { appendRunEvent, inspectRunDirectory, type RunDirectoryState } from './runDirectory';

/** Where a run stands while it trains, as the worker reports it to the queue (and `status` shows). */
export interface RunProgress {
  /** Completed epochs. */
  readonly epoch: number;
  readonly epochs: number;
  /** Steps done in the current epoch, and its steps in all. */
  readonly batch?: number;
  readonly batches?: number;
}

/** What the worker hands the function that trains a run. */
export interface RunToTrain<Spec> {
  readonly id: string;
  /** The run's directory in the sweep directory: config.json, checkpoints, metrics.jsonl, summary.json. */
  readonly dir: string;
  readonly spec: Spec;
  /** True when `dir` holds a checkpoint to continue from (exact resume); false: start at epoch 1. */
  readonly resume: boolean;
  /** Aborted when the worker stops or loses the run: stop after the current step, save nothing more. */
  readonly signal: AbortSignal;
  /**
   * Call after every step and epoch: reports progress (at most every 2 s) and, awaited, gives the
   * event loop a turn so the job's lock is renewed during long synchronous training.
   */
  progress(p: RunProgress): Promise<void>;
}

/**
 * Trains one run into its directory and resolves when it is finished (summary.json written) or
 * stopped by the signal. It throws for a failure; `isRunError` tells the run's own failures (a bad
 * configuration, a diverged run), which are not retried, from others, which are.
 */
export type RunTrainer<Spec> = (run: RunToTrain<Spec>) => Promise<void>;

export interface SweepWorkerOptions<Spec> {
  /** The sweep directory (shared by every machine): plan.json and one directory per run. */
  readonly dir: string;
  readonly redis: string;
  readonly train: RunTrainer<Spec>;
  /** True for an error that is the run's own (training it again would fail again): the job fails at once. @default () => false */
  readonly isRunError?: (error: unknown) => boolean;
  /** Names the worker in events and logs. @default `${hostname()}:${process.pid}` */
  readonly name?: string;
  /**
   * How long a job's lock lasts without renewal: a worker that died is noticed this long after
   * (plus up to `stalledSeconds`), and a worker must not block its event loop longer than this.
   * @default 60
   */
  readonly lockSeconds?: number;
  /** How often this worker checks for runs whose worker died. @default 30 */
  readonly stalledSeconds?: number;
  /** A run whose worker died more often than this fails. @default 2 */
  readonly maxStalls?: number;
  /** Stop once no run is waiting, delayed or active in the sweep's queue. @default false */
  readonly exitWhenDone?: boolean;
  /** One line per event (took, resumed, finished, failed, Redis lost and back). */
  readonly log?: (line: string) => void;
}

export interface SweepWorker {
  readonly name: string;
  /** Resolves when the worker has stopped (by `stop()`, or with `exitWhenDone` when the sweep is done). */
  readonly done: Promise<void>;
  /** Stops training at the next step, hands the current run back to the queue (its checkpoint stays), closes the connections. */
  stop(): Promise<void>;
}

/**
 * Starts a worker of the sweep in `dir`: it takes one run at a time from the sweep's BullMQ
 * queue and trains it into `dir/<run id>`. The run directory makes a job idempotent: a finished
 * directory completes the job without training, one with a checkpoint is resumed from it (so a
 * run that a dead worker left, which BullMQ hands to another worker once its lock expires,
 * continues where it stopped), and only an empty one starts at epoch 1. Each of these is logged
 * in the run's `sweep-events.jsonl`.
 */
export async function startSweepWorker<Spec>(options: SweepWorkerOptions<Spec>): Promise<SweepWorker> {
  const plan = await readSweepPlan<Spec>(options.dir);
  const runs = new Map(plan.runs.map((r) => [r.id, r]));
  const name = options.name ?? `${hostname()}:${process.pid}`;
  const log = options.log ?? (() => {});
  const lockDuration = (options.lockSeconds ?? 60) * 1000;
  const connection = await connectRedis(options.redis, 'worker', (line) => log(`${name}: ${line}`));
  let stopping = false;

  const processJob = async (job: Job<SweepJobData, SweepJobResult>, token: string | undefined, signal: AbortSignal | undefined): Promise<SweepJobResult> => {
    try {
      return await trainJob(job, token, signal);
    } catch (error) {
      if ((error as Error)?.name !== 'WaitingError') log(`${name}: ${job.data.runId}: ${(error as Error)?.name === 'UnrecoverableError' ? 'failed' : `error (attempt ${job.attemptsMade + 1} of ${job.opts.attempts ?? 1})`}: ${(error as Error)?.message ?? String(error)}`);
      throw error;
    }
  };

  const trainJob = async (job: Job<SweepJobData, SweepJobResult>, token: string | undefined, signal: AbortSignal | undefined): Promise<SweepJobResult> => {
    const run = runs.get(job.data.runId);
    if (!run) throw new UnrecoverableError(`the run ${job.data.runId} is not in ${join(options.dir, 'plan.json')}: was the job enqueued from another sweep directory?`);
    const dir = join(options.dir, run.id);
    await mkdir(dir, { recursive: true });
    const before = await inspectRunDirectory(dir);
    checkSameRun(run, before, dir);
    const event = (kind: Parameters<typeof appendRunEvent>[1]['event'], state: RunDirectoryState, detail?: string) =>
      appendRunEvent(dir, { event: kind, worker: name, at: new Date().toISOString(), epoch: state.epochs.length, ...(detail ? { detail } : {}) });
    if (before.stage === 'finished') {
      await event('found-finished', before);
      log(`${name}: ${run.id}: finished already (${before.epochs.length} epochs): nothing to train`);
      return resultOf(run.id, before, true);
    }
    const resume = before.stage === 'started';
    await event(resume ? 'resume' : 'start', before, job.attemptsMade || job.stalledCounter ? `attempt ${job.attemptsMade + 1}, stalled ${job.stalledCounter}` : undefined);
    log(`${name}: ${run.id}: ${resume ? `resuming after epoch ${before.epochs.length}` : 'starting'}`);
    const controller = signal ?? new AbortController().signal;
    let reported = 0;
    try {
      await options.train({
        id: run.id,
        dir,
        spec: run.spec,
        resume,
        signal: controller,
        progress: async (p) => {
          const now = Date.now();
          if (p.batch === undefined || now - reported > 2000) {
            reported = now;
            job.updateProgress({ ...p }).catch(() => {}); // a lost update is refreshed by the next one
          }
          await new Promise<void>((resolve) => setImmediate(resolve));
        },
      });
    } catch (error) {
      const after = await inspectRunDirectory(dir).catch(() => before);
      const message = error instanceof Error ? error.message : String(error);
      await event('fail', after, message);
      if (options.isRunError?.(error)) throw new UnrecoverableError(message);
      throw error;
    }
    const after = await inspectRunDirectory(dir);
    // stopped before the end (a run that finished as the signal came is finished: its job completes,
    // or, when the lock is gone, is taken again and found finished)
    if (controller.aborted && after.stage !== 'finished') {
      await event('stop', after, stopping ? 'the worker stopped' : 'the worker lost the run (its lock expired)');
      if (stopping && token) {
        await job.moveToWait(token);
        log(`${name}: ${run.id}: stopped after epoch ${after.epochs.length} (+ checkpoint); back in the queue`);
        throw new WaitingError();
      }
      throw new Error(`${run.id}: ${name} lost the run's lock (its event loop was blocked longer than the lock, or Redis lost it): another worker continues it`);
    }
    await event('finish', after);
    log(`${name}: ${run.id}: finished (${after.epochs.length} epochs)`);
    return resultOf(run.id, after, false);
  };

  const worker = new Worker<SweepJobData, SweepJobResult>(plan.queue, processJob, {
    connection,
    concurrency: 1,
    lockDuration,
    stalledInterval: (options.stalledSeconds ?? 30) * 1000,
    maxStalledCount: options.maxStalls ?? 2,
    name,
    autorun: false,
  });
  worker.on('lockRenewalFailed', (ids) => {
    for (const id of ids) {
      log(`${name}: ${id}: could not renew the lock: stopping it`);
      worker.cancelJob(id, 'lock lost');
    }
  });
  worker.on('error', () => {}); // connection errors are logged by connectRedis; failed renewals above
  worker.on('stalled', (id) => log(`${name}: ${id}: its worker died (lock expired): back in the queue`));

  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  let counter: Queue | null = null;
  let poll: NodeJS.Timeout | undefined;
  const stop = async () => {
    if (stopping) return done;
    stopping = true;
    clearInterval(poll);
    worker.cancelAllJobs('stop');
    await worker.close();
    await counter?.close();
    await connection.quit().catch(() => connection.disconnect());
    log(`${name}: stopped`);
    resolveDone();
    return done;
  };
  if (options.exitWhenDone) {
    counter = new Queue(plan.queue, { connection });
    counter.on('error', () => {}); // Redis away: connectRedis says so
    poll = setInterval(() => {
      counter!
        .getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children')
        .then((counts) => {
          if (!stopping && Object.values(counts).every((n) => n === 0)) {
            log(`${name}: no run left in ${plan.queue}`);
            void stop();
          }
        })
        .catch(() => {}); // Redis away: ask again next time
    }, 1000);
  }
  void worker.run();
  log(`${name}: working on ${plan.queue} (${plan.runs.length} runs in ${options.dir})`);
  return { name, done, stop };
}

/** Refuses a run directory holding a run of another configuration: it is never overwritten. */
function checkSameRun(run: PlannedRun, state: RunDirectoryState, dir: string): void {
  if (state.config === null) return;
  const d = differingField(state.config, run.spec);
  if (d) throw new UnrecoverableError(`${join(dir, 'config.json')}: holds another run (${d.field}: ${d.there} there, ${d.now} in the plan): move it away, or plan into another directory`);
}

function resultOf(runId: string, state: RunDirectoryState, foundFinished: boolean): SweepJobResult {
  const best = state.summary?.result?.best ?? null;
  return { runId, epochs: state.epochs.length, bestEpoch: best?.epoch ?? null, testAccuracy: best?.testAccuracy ?? null, foundFinished };
}
