/** `lepton.lrFind`: the learning-rate range test (Smith 2015, fastai's lr_find). */
import * as tf from "@tensorflow/tfjs";
import { DISPLAY, type MimeBundle } from "../runtime/host";
import { LeptonError, t } from "../i18n/index";
import { line } from "../plot/line";
import type { Figure } from "../plot/figure";
import { checkLabels, checkModelUsable, checkShapes } from "./check-input";
import { toXY, type FitData } from "./data-input";
import { resolveLoss, type LossFn, type LossName } from "./losses";
import { makeOptimizer, setLearningRate, type OptimizerName } from "./optimizer";
import { epochOrder } from "./shuffle";
import { makeTrainStep } from "../backend/step";

/** Options of {@link lrFind}. */
export interface LrFindOptions {
  /** First rate tried. Default 1e-7. */
  startLr?: number;
  /** Last rate tried. Default 10. */
  endLr?: number;
  /** Steps (batches) of the sweep. Default 100. */
  steps?: number;
  batchSize?: number;
  optimizer?: OptimizerName;
  loss?: LossName | LossFn;
  /** Stop when the smoothed loss exceeds this multiple of the best. Default 4. */
  divergeFactor?: number;
  seed?: number;
}

/** The rates tried, the smoothed losses, and the suggested rate; displays as a chart. */
export class LrFinderResult {
  constructor(readonly lrs: number[], readonly losses: number[], readonly suggestion: number, readonly minLossLr: number) {}

  chart(): Figure {
    const fig = line({ x: this.lrs, y: { loss: this.losses }, logX: true, title: t("train:lrFindTitle"), xLabel: t("train:lrFindX"), yLabel: t("train:lrFindY"), markers: false });
    fig.data.push({ type: "scatter", mode: "markers", name: "suggestion", x: [this.suggestion], y: [this.losses[this.lrs.indexOf(this.suggestion)]], marker: { size: 10, color: "red" } });
    return fig;
  }

  toString(): string {
    return t("train:lrFindSuggestion", { lr: this.suggestion.toExponential(1), min: this.minLossLr.toExponential(1) });
  }

  [DISPLAY](): MimeBundle {
    return { ...this.chart()[DISPLAY](), "text/plain": this.toString() };
  }
}

/**
 * Trains for a short sweep with the learning rate growing exponentially from `startLr` to
 * `endLr`, records the (smoothed) loss, and suggests the rate where the loss falls fastest. The
 * model's weights are restored afterwards, so it is ready for the real training.
 *
 * @example
 * ```ts
 * const found = await lepton.lrFind(model, train);
 * found;                 // chart of loss against rate, with the suggestion marked
 * await lepton.fit(model, train, { lr: found.suggestion });
 * ```
 */
export async function lrFind(model: tf.LayersModel, data: FitData, opts: LrFindOptions = {}): Promise<LrFinderResult> {
  checkModelUsable(model);
  const { x, y, release } = toXY(data, t("train:trainingData"));
  const saved = model.getWeights().map((w) => tf.keep(w.clone()));
  const optimizer = makeOptimizer(opts.optimizer ?? "adam", opts.startLr ?? 1e-7);
  try {
    checkShapes(model, x, y, t("train:trainingData"));
    const loss = resolveLoss(model, y, opts.loss);
    checkLabels(model, y, loss.kind, t("train:trainingData"));
    const step = makeTrainStep(model, { optimizer, loss: loss.fn });
    const start = opts.startLr ?? 1e-7;
    const end = opts.endLr ?? 10;
    const steps = opts.steps ?? 100;
    const batchSize = opts.batchSize ?? 32;
    const n = x.shape[0];
    const perEpoch = Math.ceil(n / batchSize);
    const lrs: number[] = [];
    const losses: number[] = [];
    let avg = 0;
    let best = Infinity;
    let order = epochOrder(n, opts.seed ?? 0, 0, true);
    for (let i = 0; i < steps; i++) {
      const b = i % perEpoch;
      if (b === 0 && i > 0) order = epochOrder(n, opts.seed ?? 0, i / perEpoch, true);
      const lr = start * Math.pow(end / start, i / Math.max(1, steps - 1));
      setLearningRate(optimizer, lr);
      const idx = tf.tensor1d(order.subarray(b * batchSize, Math.min(n, (b + 1) * batchSize)), "int32");
      const xb = tf.gather(x, idx);
      const yb = tf.gather(y, idx);
      const l = step(xb, yb);
      // The sweep needs every loss value to decide when to stop; it is short, so the syncs are fine.
      const value = (await l.data())[0];
      tf.dispose([idx, xb, yb, l]);
      avg = 0.98 * avg + 0.02 * value;
      const smoothed = avg / (1 - Math.pow(0.98, i + 1));
      if (!Number.isFinite(smoothed) || smoothed > (opts.divergeFactor ?? 4) * best) break;
      best = Math.min(best, smoothed);
      lrs.push(lr);
      losses.push(smoothed);
    }
    if (lrs.length < 5) throw new LeptonError("train:lrFindTooFew", { steps: lrs.length });
    const minIndex = losses.indexOf(Math.min(...losses));
    const minLossLr = lrs[minIndex];
    return new LrFinderResult(lrs, losses, suggestRate(lrs, losses, minIndex), minLossLr);
  } finally {
    model.setWeights(saved);
    tf.dispose(saved);
    optimizer.dispose();
    release();
  }
}

/**
 * The rate where the smoothed loss falls fastest on a log-rate axis, looked for between the end of
 * the warm-up (the first tenth, where a bias-corrected average is still raw noise) and the lowest
 * loss, with slopes taken over a window so that one noisy batch cannot win. Falls back to a tenth
 * of the lowest-loss rate, the usual rule of thumb, when that stretch is too short.
 */
export function suggestRate(lrs: number[], losses: number[], minIndex: number): number {
  const w = Math.max(2, Math.floor(lrs.length / 20));
  const from = Math.floor(lrs.length * 0.1) + w;
  const to = minIndex - w;
  let best = Infinity;
  let suggestion = lrs[minIndex] / 10;
  for (let i = from; i <= to; i++) {
    const slope = (losses[i + w] - losses[i - w]) / (Math.log(lrs[i + w]) - Math.log(lrs[i - w]));
    if (slope < best) { best = slope; suggestion = lrs[i]; }
  }
  return suggestion;
}
