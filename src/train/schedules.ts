/**
 * Learning-rate schedules as callbacks. Each sets the rate before every batch from the global step,
 * so it continues correctly after `resume`; `valueAt(step, totalSteps)` gives the rate it will use.
 */
import type { Callback } from "./callbacks";

/** A schedule: a callback plus the rate it sets at a step. */
export interface Schedule extends Callback {
  valueAt(step: number, totalSteps: number, stepsPerEpoch?: number): number;
}

function schedule(valueAt: Schedule["valueAt"]): Schedule {
  return {
    valueAt,
    onBatchBegin(_batch, ctx) {
      ctx.setLearningRate(valueAt(ctx.step, ctx.totalSteps, ctx.stepsPerEpoch));
    },
  };
}

/**
 * Step decay: `lr * factor^floor(epoch / every)`.
 *
 * @example
 * ```ts
 * callbacks: [lepton.train.stepDecay({ lr: 0.01, factor: 0.5, every: 5 })]
 * ```
 */
export function stepDecay(opts: { lr: number; factor?: number; every?: number }): Schedule {
  return schedule((step, _total, perEpoch = 1) => opts.lr * Math.pow(opts.factor ?? 0.1, Math.floor(Math.floor(step / perEpoch) / (opts.every ?? 10))));
}

/**
 * Cosine annealing from `lr` to `minLr` over the run, with an optional linear warm-up.
 *
 * @example
 * ```ts
 * callbacks: [lepton.train.cosine({ lr: 3e-3, warmupSteps: 100 })]
 * ```
 */
export function cosine(opts: { lr: number; minLr?: number; warmupSteps?: number }): Schedule {
  const min = opts.minLr ?? 0;
  const warm = opts.warmupSteps ?? 0;
  return schedule((step, total) => {
    if (step < warm) return (opts.lr * (step + 1)) / warm;
    const p = Math.min(1, (step - warm) / Math.max(1, total - warm));
    return min + 0.5 * (opts.lr - min) * (1 + Math.cos(Math.PI * p));
  });
}

/**
 * One-cycle (Smith 2018, fastai's default): rate rises from `maxLr/divFactor` to `maxLr` over the
 * first `pctStart` of the run, then anneals (cosine) to `maxLr/(divFactor*finalDivFactor)`.
 *
 * @example
 * ```ts
 * callbacks: [lepton.train.oneCycle({ maxLr: 1e-2 })]
 * ```
 */
export function oneCycle(opts: { maxLr: number; pctStart?: number; divFactor?: number; finalDivFactor?: number }): Schedule {
  const start = opts.maxLr / (opts.divFactor ?? 25);
  const end = start / (opts.finalDivFactor ?? 1e4);
  const pct = opts.pctStart ?? 0.25;
  const cos = (from: number, to: number, p: number) => to + ((from - to) / 2) * (1 + Math.cos(Math.PI * p));
  return schedule((step, total) => {
    const up = Math.max(1, Math.round(total * pct));
    if (step < up) return cos(start, opts.maxLr, step / up);
    return cos(opts.maxLr, end, Math.min(1, (step - up) / Math.max(1, total - up - 1)));
  });
}
