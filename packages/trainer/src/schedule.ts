/**
 * Learning-rate schedules, by epoch (the rate is constant within an epoch).
 * - `sgdr`: cosine annealing with warm restarts (Loshchilov & Hutter), restarts after `t0`, then
 *   every `t0·tMult^i` epochs: the paper's restarts at 25 and 75 are `t0: 25, tMult: 2`.
 * - `cosine`: one cosine from the base rate to `etaMin` over `epochs`.
 * - `constant`.
 */
export type Schedule =
  | { readonly type: 'sgdr'; readonly t0: number; readonly tMult: number; readonly etaMin: number }
  | { readonly type: 'cosine'; readonly epochs: number; readonly etaMin: number }
  | { readonly type: 'constant' };

/** The paper's schedule: SGDR, T0 = 25, Tmult = 2, η_min = 0. */
export const PAPER_SCHEDULE: Schedule = { type: 'sgdr', t0: 25, tMult: 2, etaMin: 0 };

/** Learning rate of epoch `epoch` (0-based). */
export function learningRateAt(schedule: Schedule, baseRate: number, epoch: number): number {
  const cosine = (tCur: number, tI: number, etaMin: number) => etaMin + ((baseRate - etaMin) * (1 + Math.cos((Math.PI * tCur) / tI))) / 2;
  switch (schedule.type) {
    case 'constant':
      return baseRate;
    case 'cosine':
      return cosine(Math.min(epoch, schedule.epochs), schedule.epochs, schedule.etaMin);
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
