/**
 * Learning-rate schedules, by epoch (the rate is constant within an epoch).
 * - `restarts`: cosine annealing with warm restarts at the given epochs: one cosine from the base
 *   rate to `etaMin` from epoch 0 to the first restart, from each restart to the next, and from
 *   the last restart to `epochs`. The paper's words, "restarts at epochs 25 and 75", are
 *   `restarts: [25, 75]` (the default, `paperSchedule(epochs)`).
 * - `sgdr`: Loshchilov & Hutter's rule, restarts after `t0`, then every `t0·tMult^i` epochs
 *   (`t0: 25, tMult: 2` restarts at 25, 75, 175, 375...).
 * - `cosine`: one cosine from the base rate to `etaMin` over `epochs`.
 * - `constant`.
 */
export type Schedule =
  | { readonly type: 'restarts'; readonly restarts: readonly number[]; readonly epochs: number; readonly etaMin: number }
  | { readonly type: 'sgdr'; readonly t0: number; readonly tMult: number; readonly etaMin: number }
  | { readonly type: 'cosine'; readonly epochs: number; readonly etaMin: number }
  | { readonly type: 'constant' };

/** The paper's restart epochs (section 4.1: "restarts at epochs 25 and 75"). */
export const PAPER_RESTARTS: readonly number[] = [25, 75];

/** The paper's schedule for a run of `epochs`: cosine annealing with restarts at 25 and 75, η_min = 0. */
export function paperSchedule(epochs: number): Schedule {
  return { type: 'restarts', restarts: PAPER_RESTARTS, epochs, etaMin: 0 };
}

/** SGDR with T0 = 25, Tmult = 2 (restarts at 25, 75, 175): this project's default before the explicit restarts. */
export const SGDR_25_2: Schedule = { type: 'sgdr', t0: 25, tMult: 2, etaMin: 0 };

/** Learning rate of epoch `epoch` (0-based). */
export function learningRateAt(schedule: Schedule, baseRate: number, epoch: number): number {
  const cosine = (tCur: number, tI: number, etaMin: number) => etaMin + ((baseRate - etaMin) * (1 + Math.cos((Math.PI * tCur) / tI))) / 2;
  switch (schedule.type) {
    case 'constant':
      return baseRate;
    case 'cosine':
      return cosine(Math.min(epoch, schedule.epochs), schedule.epochs, schedule.etaMin);
    case 'restarts': {
      const starts = [0, ...schedule.restarts.filter((r) => r > 0 && r < schedule.epochs)];
      let i = starts.length - 1;
      while (i > 0 && epoch < starts[i]!) i--;
      const start = starts[i]!;
      const end = starts[i + 1] ?? Math.max(schedule.epochs, start + 1);
      return cosine(Math.min(epoch - start, end - start), end - start, schedule.etaMin);
    }
    case 'sgdr': {
      let tI = schedule.t0;
      let tCur = epoch;
      while (tCur >= tI) {
        tCur -= tI;
        tI *= schedule.tMult;
      }
      return cosine(tCur, tI, schedule.etaMin);
    }
  }
}
