/**
 * Accuracy, precision, recall and F1 over the whole set (never batch averages), per class and
 * averaged as scikit-learn does: macro (plain mean over classes), micro (from the summed counts)
 * and weighted (mean weighted by support). 0/0 counts as 0 (scikit-learn's zero_division=0).
 */
import { LeptonError } from "../i18n/index";
import { countPairs } from "./confusion-matrix";
import { classesOf, sameLength, toLabels, type LabelsLike } from "./inputs";

export type Average = "macro" | "micro" | "weighted" | "binary";
const AVERAGES: Average[] = ["macro", "micro", "weighted", "binary"];

/** Precision, recall and F1 for one class or one average. */
export interface Scores {
  precision: number;
  recall: number;
  f1: number;
}

/** Per-class scores with their supports, and the three averages. */
export interface ClassScores {
  /** The class labels, in the order of the arrays below. */
  labels: number[];
  precision: number[];
  recall: number[];
  f1: number[];
  /** Number of true examples of each class. */
  support: number[];
  macro: Scores;
  micro: Scores;
  weighted: Scores;
}

export interface ClassOptions {
  /** Report classes 0..numClasses-1 (default: the labels present in either input). */
  numClasses?: number;
}

/**
 * The fraction of predictions equal to the true labels. Probability rows are argmax-ed.
 *
 * @example
 * ```ts
 * lepton.evaluate.accuracy([0, 1, 1, 2], [0, 1, 2, 2]); // 0.75
 * lepton.evaluate.accuracy(yTest, model.predict(xTest) as tf.Tensor);
 * ```
 */
export function accuracy(yTrue: LabelsLike, yPred: LabelsLike): number {
  const t = toLabels(yTrue, "yTrue"), p = toLabels(yPred, "yPred");
  sameLength("yTrue", t.length, "yPred", p.length);
  let hits = 0;
  for (let i = 0; i < t.length; i++) if (t[i] === p[i]) hits++;
  return hits / t.length;
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
const harmonic = (p: number, r: number) => (p + r === 0 ? 0 : (2 * p * r) / (p + r));

/**
 * Precision, recall, F1 and support of every class, with macro, micro and weighted averages
 * (scikit-learn's `precision_recall_fscore_support`).
 *
 * @example
 * ```ts
 * const s = lepton.evaluate.precisionRecallF1([0, 1, 2, 2], [0, 2, 2, 2]);
 * s.precision; // [1, 0, 0.667]   s.macro.f1; // 0.6
 * ```
 */
export function precisionRecallF1(yTrue: LabelsLike, yPred: LabelsLike, options: ClassOptions = {}): ClassScores {
  const t = toLabels(yTrue, "yTrue"), p = toLabels(yPred, "yPred");
  sameLength("yTrue", t.length, "yPred", p.length);
  const labels = classesOf(t, p, options.numClasses);
  const m = countPairs(t, p, labels);
  const tp = labels.map((_, i) => m[i][i]);
  const predicted = labels.map((_, j) => m.reduce((s, row) => s + row[j], 0));
  const support = m.map((row) => row.reduce((s, v) => s + v, 0));
  const precision = tp.map((v, i) => ratio(v, predicted[i]));
  const recall = tp.map((v, i) => ratio(v, support[i]));
  const f1 = precision.map((pr, i) => harmonic(pr, recall[i]));
  const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
  const totalSupport = support.reduce((s, v) => s + v, 0);
  const weightedMean = (xs: number[]) => ratio(xs.reduce((s, v, i) => s + v * support[i], 0), totalSupport);
  const sumTp = tp.reduce((s, v) => s + v, 0);
  const microP = ratio(sumTp, predicted.reduce((s, v) => s + v, 0));
  const microR = ratio(sumTp, totalSupport);
  return {
    labels, precision, recall, f1, support,
    macro: { precision: mean(precision), recall: mean(recall), f1: mean(f1) },
    micro: { precision: microP, recall: microR, f1: harmonic(microP, microR) },
    weighted: { precision: weightedMean(precision), recall: weightedMean(recall), f1: weightedMean(f1) },
  };
}

export interface AverageOptions extends ClassOptions {
  /** How to average over classes (default "macro"; scikit-learn's default is "binary"). */
  average?: Average;
  /** The positive class for average "binary" (default 1). */
  positive?: number;
}

function averaged(yTrue: LabelsLike, yPred: LabelsLike, options: AverageOptions): Scores {
  const average = options.average ?? "macro";
  if (!AVERAGES.includes(average)) throw new LeptonError("evaluate:badAverage", { average, allowed: AVERAGES.join(", ") });
  const s = precisionRecallF1(yTrue, yPred, options);
  if (average !== "binary") return s[average];
  const positive = options.positive ?? 1;
  const i = s.labels.indexOf(positive);
  if (s.labels.length > 2 || i < 0) throw new LeptonError("evaluate:badPositive", { positive, classes: s.labels.join(", ") });
  return { precision: s.precision[i], recall: s.recall[i], f1: s.f1[i] };
}

/**
 * Precision averaged over classes (`average`: "macro" by default, "micro", "weighted" or "binary").
 *
 * @example
 * ```ts
 * lepton.evaluate.precision([0, 1, 1, 0], [0, 1, 0, 0], { average: "binary" }); // 1
 * ```
 */
export function precision(yTrue: LabelsLike, yPred: LabelsLike, options: AverageOptions = {}): number {
  return averaged(yTrue, yPred, options).precision;
}

/**
 * Recall averaged over classes (`average`: "macro" by default, "micro", "weighted" or "binary").
 *
 * @example
 * ```ts
 * lepton.evaluate.recall([0, 1, 1, 0], [0, 1, 0, 0], { average: "binary" }); // 0.5
 * ```
 */
export function recall(yTrue: LabelsLike, yPred: LabelsLike, options: AverageOptions = {}): number {
  return averaged(yTrue, yPred, options).recall;
}

/**
 * F1 averaged over classes (`average`: "macro" by default, "micro", "weighted" or "binary").
 *
 * @example
 * ```ts
 * lepton.evaluate.f1(yTest, predictions, { average: "weighted" });
 * ```
 */
export function f1(yTrue: LabelsLike, yPred: LabelsLike, options: AverageOptions = {}): number {
  return averaged(yTrue, yPred, options).f1;
}
