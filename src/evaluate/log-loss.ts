/**
 * Cross-entropy (log loss) over the whole set, and per example for finding the worst ones.
 */
import { checkRange, sameLength, toLabels, toScoreRows, type LabelsLike, type ScoresLike } from "./inputs";

export interface LogLossOptions {
  /** Probabilities are clipped to [eps, 1 - eps] (default: float64 machine epsilon, as scikit-learn's "auto"). */
  eps?: number;
}

/**
 * The log loss of each example: -log of the probability given to its true class, after clipping
 * and renormalising each row as scikit-learn does.
 *
 * @example
 * ```ts
 * lepton.evaluate.exampleLosses([1, 0], [[0.2, 0.8], [0.6, 0.4]]); // [0.223, 0.511]
 * ```
 */
export function exampleLosses(yTrue: LabelsLike, probs: ScoresLike, options: LogLossOptions = {}): number[] {
  const labels = toLabels(yTrue, "yTrue");
  const rows = toScoreRows(probs, "probs");
  sameLength("yTrue", labels.length, "probs", rows.length);
  checkRange(labels, rows[0].length, "yTrue");
  const eps = options.eps ?? Number.EPSILON;
  return rows.map((row, i) => {
    let total = 0;
    for (const p of row) total += Math.min(Math.max(p, eps), 1 - eps);
    return -Math.log(Math.min(Math.max(row[labels[i]], eps), 1 - eps) / total);
  });
}

/**
 * Mean log loss (cross-entropy) of class probabilities against true labels (scikit-learn's
 * `log_loss`). Binary scores may be a vector of positive-class probabilities.
 *
 * @example
 * ```ts
 * lepton.evaluate.logLoss([1, 0, 2], [[0.1, 0.8, 0.1], [0.7, 0.2, 0.1], [0.2, 0.2, 0.6]]);
 * ```
 */
export function logLoss(yTrue: LabelsLike, probs: ScoresLike, options: LogLossOptions = {}): number {
  const losses = exampleLosses(yTrue, probs, options);
  return losses.reduce((s, v) => s + v, 0) / losses.length;
}
