/**
 * What metrics accept: labels as integers (array or 1-D tensor), one-hot or probability rows
 * ([n, k] array or tensor, turned into labels by argmax), and scores as a vector (binary) or an
 * [n, k] matrix. Everything becomes plain numbers, checked, before any arithmetic.
 */
import * as tf from "@tensorflow/tfjs";
import { LeptonError } from "../i18n/index";

/** Class labels: integers, or rows of one-hot / probabilities ([n, k]). */
export type LabelsLike = ArrayLike<number> | ArrayLike<ArrayLike<number>> | tf.Tensor;
/** Scores: a vector of positive-class probabilities, or [n, k] class probabilities. */
export type ScoresLike = ArrayLike<number> | ArrayLike<ArrayLike<number>> | tf.Tensor;

/** Rows ([n, k]) or a vector, as plain numbers. */
function plain(value: LabelsLike | ScoresLike, what: string): number[] | number[][] {
  if (value instanceof tf.Tensor) {
    if (value.rank === 1) return Array.from(value.dataSync() as ArrayLike<number>);
    if (value.rank === 2) return value.arraySync() as number[][];
    throw new LeptonError("evaluate:badShape", { what, shape: value.shape.join(", ") });
  }
  const items = Array.from(value as ArrayLike<number | ArrayLike<number>>);
  if (items.length && typeof items[0] === "object" && items[0] !== null) {
    const rows = items.map((r) => Array.from(r as ArrayLike<number>));
    if (rows.some((r) => r.length !== rows[0].length)) throw new LeptonError("evaluate:badShape", { what, shape: `${rows.length}, ?` });
    return rows;
  }
  return items as number[];
}

function argmax(row: number[]): number {
  let best = 0;
  for (let j = 1; j < row.length; j++) if (row[j] > row[best]) best = j;
  return best;
}

/**
 * Integer labels from labels, one-hot rows or probability rows (argmax). A single probability
 * column ([n, 1], a sigmoid output) or a vector of fractions in [0, 1] is the positive class's
 * probability, thresholded at 0.5.
 */
export function toLabels(value: LabelsLike, what: string): number[] {
  const v = plain(value, what);
  if (!v.length) throw new LeptonError("evaluate:emptyInput", { what });
  if (Array.isArray(v[0])) {
    const rows = v as number[][];
    return rows[0].length === 1 ? rows.map((r) => (r[0] >= 0.5 ? 1 : 0)) : rows.map(argmax);
  }
  const labels = v as number[];
  if (labels.some((x) => !Number.isInteger(x)) && labels.every((x) => x >= 0 && x <= 1)) return labels.map((x) => (x >= 0.5 ? 1 : 0));
  labels.forEach((x, i) => {
    if (!Number.isInteger(x) || x < 0) throw new LeptonError("evaluate:notLabels", { what, value: x, index: i });
  });
  return labels;
}

/** [n, k] scores; a vector p of positive-class scores becomes rows [1 - p, p]. */
export function toScoreRows(value: ScoresLike, what: string): number[][] {
  const v = plain(value, what);
  if (!v.length) throw new LeptonError("evaluate:emptyInput", { what });
  if (Array.isArray(v[0])) {
    const rows = v as number[][];
    return rows[0].length === 1 ? rows.map((r) => [1 - r[0], r[0]]) : rows;
  }
  return (v as number[]).map((p) => [1 - p, p]);
}

/** Throws when two inputs do not have one entry per example each. */
export function sameLength(a: string, na: number, b: string, nb: number): void {
  if (na !== nb) throw new LeptonError("evaluate:lengthMismatch", { a, na, b, nb });
}

/** Throws when a label is outside 0..classes-1. */
export function checkRange(labels: number[], classes: number, what: string): void {
  for (const label of labels) {
    if (label >= classes) throw new LeptonError("evaluate:labelOutOfRange", { what, label, classes, max: classes - 1 });
  }
}

/**
 * The classes a metric reports on: 0..numClasses-1 when given, else (like scikit-learn) the
 * sorted labels present in either input.
 */
export function classesOf(yTrue: number[], yPred: number[], numClasses?: number): number[] {
  if (numClasses !== undefined) {
    checkRange(yTrue, numClasses, "yTrue");
    checkRange(yPred, numClasses, "yPred");
    return Array.from({ length: numClasses }, (_, i) => i);
  }
  return [...new Set([...yTrue, ...yPred])].sort((a, b) => a - b);
}
