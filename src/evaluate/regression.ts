/**
 * Regression metrics over the whole set, equal to scikit-learn's (MAE, MSE, RMSE, R²,
 * explained variance, median absolute error, MAPE, max error), and a report that shows them.
 * Several outputs per example are scored one by one and averaged uniformly (scikit-learn's
 * `multioutput="uniform_average"`).
 */
import * as tf from "@tensorflow/tfjs";
import { formatNumber, LeptonError, t } from "../i18n/index";
import { DISPLAY, INSPECT, type Displayable, type MimeBundle } from "../runtime/host";
import { Table } from "./table";

/** Targets or predictions: a vector, rows of outputs ([n, k]), or a tensor of either shape. */
export type ValuesLike = ArrayLike<number> | ArrayLike<ArrayLike<number>> | tf.Tensor;

/** Columns (one per output) of plain numbers, checked: same shape, finite. */
function columnsOf(yTrue: ValuesLike, yPred: ValuesLike): { t: number[][]; p: number[][] } {
  const t = columns(yTrue, "yTrue"), p = columns(yPred, "yPred");
  if (t[0].length !== p[0].length) throw new LeptonError("evaluate:lengthMismatch", { a: "yTrue", b: "yPred", na: t[0].length, nb: p[0].length });
  if (t.length !== p.length) throw new LeptonError("evaluate:outputsMismatch", { a: t.length, b: p.length });
  return { t, p };
}

function columns(value: ValuesLike, what: string): number[][] {
  let rows: number[][] | undefined;
  let vector: number[] | undefined;
  if (value instanceof tf.Tensor) {
    if (value.rank === 1) vector = Array.from(value.dataSync() as ArrayLike<number>);
    else if (value.rank === 2) rows = value.arraySync() as number[][];
    else throw new LeptonError("evaluate:badShape", { what, shape: value.shape.join(", ") });
  } else {
    const items = Array.from(value as ArrayLike<number | ArrayLike<number>>);
    if (items.length && typeof items[0] === "object" && items[0] !== null) rows = items.map((r) => Array.from(r as ArrayLike<number>));
    else vector = items as number[];
  }
  const n = rows ? rows.length : vector!.length;
  if (n === 0) throw new LeptonError("evaluate:emptyInput", { what });
  const k = rows ? rows[0].length : 1;
  const out = Array.from({ length: k }, () => new Array<number>(n));
  for (let i = 0; i < n; i++) {
    if (rows && rows[i].length !== k) throw new LeptonError("evaluate:badShape", { what, shape: `${n}, ?` });
    for (let j = 0; j < k; j++) {
      const v = rows ? rows[i][j] : vector![i];
      if (typeof v !== "number" || !Number.isFinite(v)) throw new LeptonError("evaluate:notFinite", { what, index: i, value: String(v) });
      out[j][i] = v;
    }
  }
  return out;
}

const average = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

type Score = (t: number[], p: number[]) => number;

/** A score of each output's columns, averaged over the outputs. */
const overOutputs = (t: number[][], p: number[][], score: Score) => average(t.map((col, j) => score(col, p[j])));

/** Per output, then averaged. */
function perOutput(yTrue: ValuesLike, yPred: ValuesLike, score: Score): number {
  const { t, p } = columnsOf(yTrue, yPred);
  return overOutputs(t, p, score);
}

/** The largest absolute error over every example and output (a loop: spreading a million values would overflow the stack). */
function largestError(t: number[][], p: number[][]): number {
  let most = 0;
  t.forEach((col, j) => col.forEach((v, i) => { most = Math.max(most, Math.abs(v - p[j][i])); }));
  return most;
}

const mae = (t: number[], p: number[]) => average(t.map((v, i) => Math.abs(v - p[i])));
const mse = (t: number[], p: number[]) => average(t.map((v, i) => (v - p[i]) ** 2));
const rmse = (t: number[], p: number[]) => Math.sqrt(mse(t, p));
const medae = (t: number[], p: number[]) => median(t.map((v, i) => Math.abs(v - p[i])));

/**
 * 1 - residual / total variation, with scikit-learn's rule for a constant target: 1 when it is
 * predicted exactly, else 0 (never NaN or -Infinity).
 */
function oneMinusRatio(residual: number, total: number): number {
  if (total === 0) return residual === 0 ? 1 : 0;
  return 1 - residual / total;
}

const r2 = (t: number[], p: number[]) => {
  const m = average(t);
  return oneMinusRatio(t.reduce((a, v, i) => a + (v - p[i]) ** 2, 0), t.reduce((a, v) => a + (v - m) ** 2, 0));
};

const explained = (t: number[], p: number[]) => {
  const d = t.map((v, i) => v - p[i]);
  const md = average(d), mt = average(t);
  return oneMinusRatio(average(d.map((v) => (v - md) ** 2)), average(t.map((v) => (v - mt) ** 2)));
};

/** scikit-learn divides by max(|y|, machine epsilon) so a zero target does not divide by zero. */
const mape = (t: number[], p: number[]) => average(t.map((v, i) => Math.abs(v - p[i]) / Math.max(Math.abs(v), Number.EPSILON)));

/**
 * Mean absolute error.
 *
 * @example
 * ```ts
 * lepton.evaluate.meanAbsoluteError([3, -0.5, 2, 7], [2.5, 0, 2, 8]); // 0.5
 * ```
 */
export function meanAbsoluteError(yTrue: ValuesLike, yPred: ValuesLike): number {
  return perOutput(yTrue, yPred, mae);
}

/**
 * Mean squared error.
 *
 * @example
 * ```ts
 * lepton.evaluate.meanSquaredError([3, -0.5, 2, 7], [2.5, 0, 2, 8]); // 0.375
 * ```
 */
export function meanSquaredError(yTrue: ValuesLike, yPred: ValuesLike): number {
  return perOutput(yTrue, yPred, mse);
}

/**
 * Root mean squared error (per output, then averaged, as scikit-learn).
 *
 * @example
 * ```ts
 * lepton.evaluate.rootMeanSquaredError(yTest, model.predict(xTest) as tf.Tensor);
 * ```
 */
export function rootMeanSquaredError(yTrue: ValuesLike, yPred: ValuesLike): number {
  return perOutput(yTrue, yPred, rmse);
}

/**
 * The coefficient of determination R²: 1 is perfect, 0 is no better than predicting the mean,
 * and it can be negative.
 *
 * @example
 * ```ts
 * lepton.evaluate.r2Score([3, -0.5, 2, 7], [2.5, 0, 2, 8]); // 0.9486...
 * ```
 */
export function r2Score(yTrue: ValuesLike, yPred: ValuesLike): number {
  return perOutput(yTrue, yPred, r2);
}

/**
 * Explained variance: like R² but blind to a constant offset in the predictions.
 *
 * @example
 * ```ts
 * lepton.evaluate.explainedVariance([3, -0.5, 2, 7], [2.5, 0, 2, 8]); // 0.9571...
 * ```
 */
export function explainedVariance(yTrue: ValuesLike, yPred: ValuesLike): number {
  return perOutput(yTrue, yPred, explained);
}

/**
 * Median absolute error (robust to outliers).
 *
 * @example
 * ```ts
 * lepton.evaluate.medianAbsoluteError([3, -0.5, 2, 7], [2.5, 0, 2, 8]); // 0.5
 * ```
 */
export function medianAbsoluteError(yTrue: ValuesLike, yPred: ValuesLike): number {
  return perOutput(yTrue, yPred, medae);
}

/**
 * Mean absolute percentage error, as a fraction (0.1 is 10%); targets near zero make it large.
 *
 * @example
 * ```ts
 * lepton.evaluate.meanAbsolutePercentageError([100, 200], [110, 190]); // 0.075
 * ```
 */
export function meanAbsolutePercentageError(yTrue: ValuesLike, yPred: ValuesLike): number {
  return perOutput(yTrue, yPred, mape);
}

/**
 * The largest absolute error over every example and output.
 *
 * @example
 * ```ts
 * lepton.evaluate.maxError([3, 2, 7, 1], [9, 2, 7, 1]); // 6
 * ```
 */
export function maxError(yTrue: ValuesLike, yPred: ValuesLike): number {
  const { t, p } = columnsOf(yTrue, yPred);
  return largestError(t, p);
}

/** The numbers of a {@link RegressionReport}. */
export interface RegressionScores {
  examples: number;
  outputs: number;
  mae: number;
  mse: number;
  rmse: number;
  r2: number;
  explainedVariance: number;
  medianAbsoluteError: number;
  mape: number;
  maxError: number;
}

/** Every regression metric of one set of predictions; displays as a table. */
export class RegressionReport implements Displayable {
  constructor(readonly scores: RegressionScores, private readonly digits: number) {}

  /** The metrics as a table (localised names, numbers in the current locale). */
  toTable(): Table {
    const s = this.scores;
    const fixed = (v: unknown) => formatNumber(v as number, { maximumFractionDigits: this.digits, minimumFractionDigits: Math.min(2, this.digits) });
    const rows = (["r2", "rmse", "mae", "mse", "medianAbsoluteError", "maxError", "mape", "explainedVariance"] as const).map((key) => ({
      metric: t(`evaluate:reg.${key}`),
      value: key === "mape" ? `${formatNumber(s.mape * 100, { maximumFractionDigits: 2 })}%` : fixed(s[key]),
    }));
    return new Table([
      { key: "metric", title: t("evaluate:colMetric") },
      { key: "value", title: t("evaluate:colValue") },
    ], rows, {
      title: s.outputs > 1
        ? t("evaluate:regressionTitleOutputs", { n: formatNumber(s.examples), outputs: formatNumber(s.outputs) })
        : t("evaluate:regressionTitle", { n: formatNumber(s.examples) }),
    });
  }

  toString(): string {
    return this.toTable().toString();
  }

  [DISPLAY](): MimeBundle {
    return this.toTable()[DISPLAY]();
  }

  /** One line in `console.log`: R², RMSE and MAE. */
  [INSPECT](): string {
    const s = this.scores;
    const f = (v: number) => formatNumber(v, { maximumFractionDigits: 4 });
    return t("evaluate:regressionLine", { n: formatNumber(s.examples), r2: f(s.r2), rmse: f(s.rmse), mae: f(s.mae) });
  }
}

/**
 * A regression report: R², RMSE, MAE, MSE, median and max absolute error, MAPE and explained
 * variance over the whole set (each equal to scikit-learn's). `scores` holds the exact numbers.
 *
 * @example
 * ```ts
 * const report = lepton.evaluate.regressionReport(yTest, model.predict(xTest) as tf.Tensor);
 * report.scores.r2;
 * ```
 */
export function regressionReport(yTrue: ValuesLike, yPred: ValuesLike, options: { digits?: number } = {}): RegressionReport {
  // The inputs are read once (a tensor's data is copied out once), then every metric uses them.
  const { t: tc, p: pc } = columnsOf(yTrue, yPred);
  const avg = (score: Score) => overOutputs(tc, pc, score);
  return new RegressionReport({
    examples: tc[0].length,
    outputs: tc.length,
    mae: avg(mae),
    mse: avg(mse),
    rmse: avg(rmse),
    r2: avg(r2),
    explainedVariance: avg(explained),
    medianAbsoluteError: avg(medae),
    mape: avg(mape),
    maxError: largestError(tc, pc),
  }, options.digits ?? 4);
}
