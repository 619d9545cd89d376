/**
 * ROC and precision-recall curves, AUC and average precision, computed exactly as scikit-learn
 * 1.2 does (the same thresholds, the same dropped collinear ROC points, the same first threshold
 * `max score + 1`), binary or one-vs-rest for several classes.
 */
import { LeptonError, t } from "../i18n/index";
import type { Figure } from "../plot/figure";
import { precisionRecall as prFigure, roc as rocFigure } from "../plot/curves";
import { DISPLAY, type Displayable, type MimeBundle } from "../runtime/host";
import { sameLength, toLabels, toScoreRows, type LabelsLike, type ScoresLike } from "./inputs";

/** Cumulative false and true positives at each distinct score, from the highest down. */
function binaryCounts(positive: boolean[], scores: number[]) {
  const order = scores.map((_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const fps: number[] = [], tps: number[] = [], thresholds: number[] = [];
  let tp = 0, fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (positive[i]) tp++;
    else fp++;
    if (k === order.length - 1 || scores[order[k + 1]] !== scores[i]) {
      tps.push(tp);
      fps.push(fp);
      thresholds.push(scores[i]);
    }
  }
  return { fps, tps, thresholds };
}

/** The binary problem for one class: who is positive, and that class's scores. */
function binaryProblem(yTrue: LabelsLike, scores: ScoresLike, positive: number, metric: string) {
  const labels = toLabels(yTrue, "yTrue");
  const rows = toScoreRows(scores, "scores");
  sameLength("yTrue", labels.length, "scores", rows.length);
  if (positive >= rows[0].length) throw new LeptonError("evaluate:probsWidth", { got: rows[0].length, expected: positive + 1 });
  const isPositive = labels.map((l) => l === positive);
  const nPos = isPositive.filter(Boolean).length;
  if (nPos === 0 || nPos === labels.length) {
    throw new LeptonError("evaluate:needTwoClasses", { metric, what: "yTrue", label: nPos ? positive : t("evaluate:notClass", { label: positive }) });
  }
  return { isPositive, classScores: rows.map((r) => r[positive]) };
}

/** Area under a curve by the trapezoidal rule (scikit-learn's `auc`; x may decrease). */
export function auc(x: ArrayLike<number>, y: ArrayLike<number>): number {
  sameLength("x", x.length, "y", y.length);
  let area = 0;
  for (let i = 1; i < x.length; i++) area += ((x[i] - x[i - 1]) * (y[i] + y[i - 1])) / 2;
  const decreasing = x.length > 1 && Array.from(x).every((v, i, a) => i === 0 || v <= a[i - 1]);
  return decreasing ? -area : area;
}

/** One ROC curve; displays as a chart. */
export class RocCurve implements Displayable {
  constructor(
    readonly fpr: number[],
    readonly tpr: number[],
    readonly thresholds: number[],
    readonly auc: number,
    readonly name = "ROC",
  ) {}

  toFigure(): Figure {
    return rocFigure({ name: this.name, fpr: this.fpr, tpr: this.tpr, auc: this.auc });
  }

  [DISPLAY](): MimeBundle {
    return this.toFigure()[DISPLAY]();
  }
}

export interface CurveOptions {
  /** The positive class (default 1); with [n, k] scores, its column is used. */
  positive?: number;
  /** The curve's name in the chart legend. */
  name?: string;
}

/**
 * The ROC curve of a binary problem (scikit-learn's `roc_curve`, drop_intermediate=true) and its
 * AUC. Scores are the positive class's probability (a vector) or class probabilities ([n, k]).
 *
 * @example
 * ```ts
 * const curve = lepton.evaluate.rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
 * curve.auc; // 0.75
 * curve       // shows the curve
 * ```
 */
export function rocCurve(yTrue: LabelsLike, scores: ScoresLike, options: CurveOptions = {}): RocCurve {
  const positive = options.positive ?? 1;
  const { isPositive, classScores } = binaryProblem(yTrue, scores, positive, "ROC");
  let { fps, tps, thresholds } = binaryCounts(isPositive, classScores);
  if (fps.length > 2) {
    // Drop points collinear with their neighbours: they change neither the plot nor the area.
    const keep = fps.map((_, i) => i === 0 || i === fps.length - 1
      || fps[i + 1] - 2 * fps[i] + fps[i - 1] !== 0 || tps[i + 1] - 2 * tps[i] + tps[i - 1] !== 0);
    fps = fps.filter((_, i) => keep[i]);
    tps = tps.filter((_, i) => keep[i]);
    thresholds = thresholds.filter((_, i) => keep[i]);
  }
  fps.unshift(0);
  tps.unshift(0);
  thresholds.unshift(thresholds[0] + 1);
  const fpr = fps.map((v) => v / fps[fps.length - 1]);
  const tpr = tps.map((v) => v / tps[tps.length - 1]);
  return new RocCurve(fpr, tpr, thresholds, auc(fpr, tpr), options.name);
}

/** One precision-recall curve; displays as a chart. */
export class PrecisionRecallCurve implements Displayable {
  constructor(
    /** Precision at decreasing thresholds, ending with 1. */
    readonly precision: number[],
    /** Recall, decreasing, ending with 0. */
    readonly recall: number[],
    /** Increasing thresholds (one fewer than the points). */
    readonly thresholds: number[],
    readonly averagePrecision: number,
    readonly name = "PR",
  ) {}

  toFigure(): Figure {
    return prFigure({ name: this.name, precision: this.precision, recall: this.recall, averagePrecision: this.averagePrecision });
  }

  [DISPLAY](): MimeBundle {
    return this.toFigure()[DISPLAY]();
  }
}

/**
 * The precision-recall curve of a binary problem (scikit-learn's `precision_recall_curve`) with
 * its average precision.
 *
 * @example
 * ```ts
 * const pr = lepton.evaluate.precisionRecallCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
 * pr.averagePrecision; // 0.8333
 * ```
 */
export function precisionRecallCurve(yTrue: LabelsLike, scores: ScoresLike, options: CurveOptions = {}): PrecisionRecallCurve {
  const positive = options.positive ?? 1;
  const { isPositive, classScores } = binaryProblem(yTrue, scores, positive, "precision-recall");
  const { fps, tps, thresholds } = binaryCounts(isPositive, classScores);
  const allPositives = tps[tps.length - 1];
  const precision = tps.map((tp, i) => (tp + fps[i] === 0 ? 0 : tp / (tp + fps[i]))).reverse();
  const recall = tps.map((tp) => tp / allPositives).reverse();
  precision.push(1);
  recall.push(0);
  let ap = 0;
  for (let i = 0; i < recall.length - 1; i++) ap -= (recall[i + 1] - recall[i]) * precision[i];
  return new PrecisionRecallCurve(precision, recall, thresholds.slice().reverse(), ap, options.name);
}

/**
 * Average precision of a binary problem (scikit-learn's `average_precision_score`).
 *
 * @example
 * ```ts
 * lepton.evaluate.averagePrecision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.8333
 * ```
 */
export function averagePrecision(yTrue: LabelsLike, scores: ScoresLike, options: CurveOptions = {}): number {
  return precisionRecallCurve(yTrue, scores, options).averagePrecision;
}

/** One-vs-rest curves of every class; displays them in one chart. */
export class CurveSet<C extends RocCurve | PrecisionRecallCurve> implements Displayable {
  constructor(
    /** One curve per class, in label order. */
    readonly curves: C[],
    /** Support of each class (examples whose true label it is). */
    readonly support: number[],
  ) {}

  /** The plain mean of the classes' AUC (ROC) or average precision (PR). */
  get macro(): number {
    return this.scores().reduce((s, v) => s + v, 0) / this.curves.length;
  }

  /** The classes' AUC or average precision weighted by support. */
  get weighted(): number {
    const total = this.support.reduce((s, v) => s + v, 0);
    return this.scores().reduce((s, v, i) => s + v * this.support[i], 0) / total;
  }

  private scores(): number[] {
    return this.curves.map((c) => (c instanceof RocCurve ? c.auc : (c as PrecisionRecallCurve).averagePrecision));
  }

  toFigure(): Figure {
    const first = this.curves[0];
    return first instanceof RocCurve
      ? rocFigure((this.curves as RocCurve[]).map((c) => ({ name: c.name, fpr: c.fpr, tpr: c.tpr, auc: c.auc })))
      : prFigure((this.curves as PrecisionRecallCurve[]).map((c) => ({ name: c.name, precision: c.precision, recall: c.recall, averagePrecision: c.averagePrecision })));
  }

  [DISPLAY](): MimeBundle {
    return this.toFigure()[DISPLAY]();
  }
}

export interface OneVsRestOptions {
  /** Names of the classes for the legend. */
  classNames?: string[];
}

function oneVsRest<C extends RocCurve | PrecisionRecallCurve>(
  yTrue: LabelsLike, probs: ScoresLike, options: OneVsRestOptions,
  make: (labels: number[], rows: number[][], c: number, name: string) => C,
): CurveSet<C> {
  const labels = toLabels(yTrue, "yTrue");
  const rows = toScoreRows(probs, "probs");
  sameLength("yTrue", labels.length, "probs", rows.length);
  const k = rows[0].length;
  const curves = Array.from({ length: k }, (_, c) =>
    make(labels, rows, c, t("evaluate:rocOvrName", { label: options.classNames?.[c] ?? String(c) })));
  const support = Array.from({ length: k }, (_, c) => labels.filter((l) => l === c).length);
  return new CurveSet(curves, support);
}

/**
 * One-vs-rest ROC curves for every class of [n, k] probabilities, with macro and weighted AUC.
 *
 * @example
 * ```ts
 * const rocs = lepton.evaluate.rocCurves(yTest, probs, { classNames: ["cat", "dog", "bird"] });
 * rocs.macro; // mean AUC over classes
 * rocs        // one chart, one curve per class
 * ```
 */
export function rocCurves(yTrue: LabelsLike, probs: ScoresLike, options: OneVsRestOptions = {}): CurveSet<RocCurve> {
  return oneVsRest(yTrue, probs, options, (labels, rows, c, name) => rocCurve(labels, rows, { positive: c, name }));
}

/**
 * One-vs-rest precision-recall curves for every class of [n, k] probabilities.
 *
 * @example
 * ```ts
 * lepton.evaluate.precisionRecallCurves(yTest, probs).macro; // mean average precision
 * ```
 */
export function precisionRecallCurves(yTrue: LabelsLike, probs: ScoresLike, options: OneVsRestOptions = {}): CurveSet<PrecisionRecallCurve> {
  return oneVsRest(yTrue, probs, options, (labels, rows, c, name) => precisionRecallCurve(labels, rows, { positive: c, name }));
}

export interface RocAucOptions {
  /** For several classes: mean of one-vs-rest AUCs ("macro", default) or weighted by support. */
  average?: "macro" | "weighted";
}

/**
 * Area under the ROC curve (scikit-learn's `roc_auc_score`): binary for a score vector or two
 * columns, one-vs-rest for [n, k > 2] probabilities.
 *
 * @example
 * ```ts
 * lepton.evaluate.rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.75
 * lepton.evaluate.rocAuc(yTest, probs, { average: "weighted" });
 * ```
 */
export function rocAuc(yTrue: LabelsLike, scores: ScoresLike, options: RocAucOptions = {}): number {
  const rows = toScoreRows(scores, "scores");
  if (rows[0].length === 2) return rocCurve(yTrue, rows).auc;
  const set = rocCurves(yTrue, rows);
  const average = options.average ?? "macro";
  if (average !== "macro" && average !== "weighted") throw new LeptonError("evaluate:badAverage", { average, allowed: "macro, weighted" });
  return set[average];
}
