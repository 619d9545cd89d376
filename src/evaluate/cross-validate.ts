/**
 * k-fold cross-validation: a fresh model per fold, trained by the caller's function on the other
 * folds and scored on this one; the mean and standard deviation of every metric it reports.
 */
import * as tf from "@tensorflow/tfjs";
import { formatNumber, LeptonError, t } from "../i18n/index";
import { kFold } from "../data/splits";
import { cellSignal, DISPLAY, type Displayable, type MimeBundle } from "../runtime/host";
import { toLabels, type LabelsLike } from "./inputs";
import { meanAndStd, readMetrics, type Metrics } from "./metric-results";
import { Table, type Row } from "./table";

/** Features and targets: tensors (first axis = examples) or arrays. */
export interface Dataset<X = tf.Tensor | unknown[], Y = tf.Tensor | unknown[]> {
  x: X;
  y: Y;
}

/** Where a fold stands, passed to the training function. */
export interface FoldInfo {
  fold: number;
  k: number;
  /** Indices of the training and validation examples in the original data. */
  trainIndices: Int32Array;
  valIndices: Int32Array;
  /**
   * Keeps this fold's predictions for its validation examples (labels, one-hot or probability
   * rows, in validation order). When every fold keeps them, `cv.predictions` holds one label per
   * example, each from the model that did not train on it (scikit-learn's `cross_val_predict`),
   * so two models cross-validated with the same seed can be compared example by example.
   */
  keepPredictions(predictions: LabelsLike): void;
}

export interface CrossValidateOptions {
  /** Number of folds (default 5). */
  k?: number;
  /**
   * Keep class shares equal across folds. Default: true when y holds class labels with at least
   * `k` examples each (integer regression targets with rare values are not stratified).
   */
  stratified?: boolean;
  /** Seed of the shuffle (default 42): the same seed gives the same folds. */
  seed?: number;
  /** Keep the fold models instead of disposing them (default false: no leaked weights). */
  keepModels?: boolean;
}

export class CrossValidation<M = unknown> implements Displayable {
  constructor(
    /** Metrics of each fold, in fold order. */
    readonly folds: Metrics[],
    /** Mean of each metric over the folds. */
    readonly mean: Metrics,
    /** Population standard deviation (ddof 0) of each metric. */
    readonly std: Metrics,
    readonly k: number,
    readonly stratified: boolean,
    /** The models, when keepModels was set. */
    readonly models: M[],
    /** True when an interrupt stopped it before the last fold. */
    readonly stopped: boolean,
    /**
     * Out-of-fold predicted labels, one per example of the data, when every fold kept its
     * predictions (`info.keepPredictions`); undefined otherwise (also when stopped early).
     */
    readonly predictions?: Int32Array,
  ) {}

  toTable(): Table {
    const metrics = Object.keys(this.mean);
    const fmt = (v: unknown) => formatNumber(v as number, { maximumFractionDigits: 4 });
    const rows: Row[] = this.folds.map((m, i) => ({ fold: i + 1, ...m }));
    const footer: Row[] = [{ fold: t("evaluate:rowMean"), ...this.mean }, { fold: t("evaluate:rowStd"), ...this.std }];
    return new Table(
      [{ key: "fold", title: t("evaluate:colFold") }, ...metrics.map((key) => ({ key, title: key, format: fmt }))],
      rows,
      {
        title: t("evaluate:cvTitle", { k: this.k, stratified: this.stratified ? t("evaluate:cvStratified") : "" }),
        footer,
        notes: [
          ...metrics.map((m) => t("evaluate:cvSummary", { metric: m, mean: fmt(this.mean[m]), std: fmt(this.std[m]) })),
          ...(this.stopped ? [t("evaluate:stopped", { done: this.folds.length, total: this.k })] : []),
        ],
        sortable: true,
      },
    );
  }

  toString(): string {
    return this.toTable().toString();
  }

  [DISPLAY](): MimeBundle {
    return this.toTable()[DISPLAY]();
  }
}

function take<T>(data: T, indices: Int32Array): T {
  if (data instanceof tf.Tensor) return tf.gather(data, indices) as unknown as T;
  return Array.from(indices, (i) => (data as unknown as unknown[])[i]) as unknown as T;
}

function lengthOf(data: unknown): number {
  return data instanceof tf.Tensor ? data.shape[0] ?? 0 : (data as unknown[]).length;
}

/** Class labels for stratification, or undefined when y is not classes (regression). */
function classLabels(y: unknown): number[] | undefined {
  if (y instanceof tf.Tensor) {
    if (y.rank === 2 && (y.shape[1] ?? 0) > 1) {
      const argmax = y.argMax(1);
      const labels = Array.from(argmax.dataSync());
      argmax.dispose();
      return labels;
    }
    const v = Array.from(y.dataSync() as ArrayLike<number>);
    return v.every(Number.isInteger) ? v : undefined;
  }
  const arr = y as unknown[];
  if (arr.every((v) => typeof v === "number" && Number.isInteger(v))) return arr as number[];
  if (arr.every((v) => typeof v === "string")) {
    const codes = new Map<string, number>();
    return (arr as string[]).map((s) => codes.get(s) ?? (codes.set(s, codes.size), codes.size - 1));
  }
  return undefined;
}

function everyValueAtLeast(labels: number[], k: number): boolean {
  const counts = new Map<number, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts.values()].every((c) => c >= k);
}

/**
 * k-fold cross-validation. For each fold, `makeModel()` builds a fresh model and
 * `train(model, train, validation, info)` trains it and returns its validation metrics (a number
 * or `{accuracy, loss, ...}`). Folds run one after another; an interrupt stops between folds and
 * keeps the folds done.
 *
 * @example
 * ```ts
 * const cv = await lepton.evaluate.crossValidate(
 *   () => lepton.zoo.mlp({ inputShape: 30, numClasses: 2 }),
 *   async (model, train, val) => {
 *     await lepton.fit(model, train, { epochs: 20, verbose: 0 });
 *     return { accuracy: lepton.evaluate.accuracy(val.y, model.predict(val.x) as tf.Tensor) };
 *   },
 *   { x, y }, { k: 5, stratified: true, seed: 0 });
 * cv.mean.accuracy; cv.std.accuracy;
 * cv   // a table: one row per fold, mean and std
 *
 * // Two models, the same folds (same seed), compared example by example (McNemar's test):
 * const run = (make: () => tf.LayersModel) => lepton.evaluate.crossValidate(make, async (model, train, val, info) => {
 *   await lepton.fit(model, train, { epochs: 20, verbose: 0 });
 *   const p = model.predict(val.x) as tf.Tensor;
 *   info.keepPredictions(p);
 *   return { accuracy: lepton.evaluate.accuracy(val.y, p) };
 * }, { x, y }, { seed: 0 });
 * const [a, b] = [await run(() => lepton.zoo.mlp({ inputShape: 30, numClasses: 2 })), await run(() => lepton.zoo.logisticRegression({ inputShape: 30, numClasses: 2 }))];
 * lepton.evaluate.compareClassifiers(y, a.predictions!, b.predictions!, { names: ["MLP", "logistic"] })
 * ```
 */
export async function crossValidate<M, X extends tf.Tensor | unknown[], Y extends tf.Tensor | unknown[]>(
  makeModel: () => M | Promise<M>,
  train: (model: M, train: Dataset<X, Y>, validation: Dataset<X, Y>, info: FoldInfo) => unknown,
  data: Dataset<X, Y>,
  options: CrossValidateOptions = {},
): Promise<CrossValidation<M>> {
  const k = options.k ?? 5;
  const n = lengthOf(data.x);
  const found = options.stratified === false ? undefined : classLabels(data.y);
  // Integer targets are classes only when each value can fill every fold; otherwise they are
  // numbers (counts, ages, prices) and stratifying by them means nothing. `stratified: true` insists.
  const labels = found && (options.stratified === true || everyValueAtLeast(found, k)) ? found : undefined;
  const folds = kFold(n, k, { seed: options.seed ?? 42, labels, stratify: labels !== undefined });
  const results: Metrics[] = [];
  const models: M[] = [];
  let stopped = false;
  // Out-of-fold labels, filled by the folds that keep their predictions (-1: not yet).
  const predictions = new Int32Array(n).fill(-1);
  const keptBy = new Set<number>();
  for (const f of folds) {
    if (cellSignal()?.aborted) { stopped = true; break; }
    const trainPart = { x: take(data.x, f.train), y: take(data.y, f.train) };
    const valPart = { x: take(data.x, f.val), y: take(data.y, f.val) };
    const model = await makeModel();
    const keepPredictions = (p: LabelsLike) => {
      const what = t("evaluate:cvKeptPredictions", { fold: f.fold + 1 });
      const labels = toLabels(p, what);
      if (labels.length !== f.val.length) throw new LeptonError("evaluate:cvPredictionsLength", { fold: f.fold + 1, got: labels.length, expected: f.val.length });
      f.val.forEach((row, j) => { predictions[row] = labels[j]; });
      keptBy.add(f.fold);
    };
    try {
      const reported = await train(model, trainPart, valPart, { fold: f.fold, k, trainIndices: f.train, valIndices: f.val, keepPredictions });
      results.push(readMetrics(reported, f.fold + 1));
    } finally {
      tf.dispose([trainPart.x, trainPart.y, valPart.x, valPart.y].filter((v) => v instanceof tf.Tensor) as tf.Tensor[]);
      if (options.keepModels) models.push(model);
      else (model as { dispose?: () => unknown })?.dispose?.();
    }
  }
  if (stopped) process.stderr.write(t("evaluate:stopped", { done: results.length, total: k }) + "\n");
  const { mean, std } = meanAndStd(results);
  // Predictions from some folds only would compare models on part of the data without saying so.
  const missing = folds.find((f) => !keptBy.has(f.fold));
  if (keptBy.size > 0 && missing && !stopped) throw new LeptonError("evaluate:cvPredictionsMissing", { fold: missing.fold + 1, kept: keptBy.size, k });
  const complete = keptBy.size === k && !stopped;
  return new CrossValidation(results, mean, std, k, labels !== undefined, models, stopped, complete ? predictions : undefined);
}
