/**
 * The confusion matrix: counts of (actual, predicted) pairs, shown as a heatmap.
 */
import { displayWidth, padText } from "../runtime/tables";
import { formatNumber, t } from "../i18n/index";
import { heatmap } from "../plot/heatmap";
import type { Figure } from "../plot/figure";
import { DISPLAY, type Displayable, type MimeBundle } from "../runtime/host";
import { classesOf, sameLength, toLabels, type LabelsLike } from "./inputs";

/** Counts of each (actual, predicted) pair over `classes`: rows actual, columns predicted. */
export function countPairs(yTrue: number[], yPred: number[], classes: number[]): number[][] {
  const index = new Map(classes.map((c, i) => [c, i]));
  const m = classes.map(() => classes.map(() => 0));
  for (let i = 0; i < yTrue.length; i++) {
    const r = index.get(yTrue[i]), c = index.get(yPred[i]);
    if (r !== undefined && c !== undefined) m[r][c] += 1;
  }
  return m;
}

export interface ConfusionMatrixOptions {
  /** Report classes 0..numClasses-1 (default: the labels present, as scikit-learn does). */
  numClasses?: number;
  /** Names for the classes, in label order. */
  classNames?: string[];
  /** Divide by the actual totals ("true", rows), predicted totals ("pred", columns) or all. */
  normalize?: "true" | "pred" | "all";
}

/** A confusion matrix that displays as an annotated heatmap. */
export class ConfusionMatrix implements Displayable {
  constructor(
    /** Rows are actual classes, columns predicted classes. */
    readonly matrix: number[][],
    /** The class labels of the rows and columns. */
    readonly labels: number[],
    /** Display names of the labels. */
    readonly names: string[],
    readonly normalized: boolean,
  ) {}

  /** The heatmap figure (actual on y, predicted on x). */
  toFigure(): Figure {
    return heatmap({
      z: this.matrix, x: this.names, y: this.names,
      title: t("evaluate:confusionTitle"), xLabel: t("evaluate:predictedAxis"), yLabel: t("evaluate:actualAxis"),
      ...(this.normalized ? { zmin: 0, zmax: 1 } : {}),
      ...(this.labels.length > 20 ? { annotate: false } : {}),
    });
  }

  /** A text table of the matrix. */
  toString(): string {
    const cell = (v: number) => (this.normalized ? formatNumber(v, { maximumFractionDigits: 3 }) : formatNumber(v));
    const rows = [["", ...this.names], ...this.matrix.map((r, i) => [this.names[i], ...r.map(cell)])];
    const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => displayWidth(r[j]))));
    const head = `${t("evaluate:confusionTitle")} (${t("evaluate:actualAxis")} \\ ${t("evaluate:predictedAxis")})`;
    return [head, ...rows.map((r) => r.map((c, j) => padText(c, widths[j], "right")).join("  "))].join("\n");
  }

  [DISPLAY](): MimeBundle {
    return { ...this.toFigure()[DISPLAY](), "text/plain": this.toString() };
  }
}

/**
 * The confusion matrix of predictions against true labels (scikit-learn's `confusion_matrix`).
 *
 * @example
 * ```ts
 * const cm = lepton.evaluate.confusionMatrix([0, 1, 2, 2], [0, 2, 2, 2], { classNames: ["cat", "dog", "bird"] });
 * cm.matrix; // [[1, 0, 0], [0, 0, 1], [0, 0, 2]]
 * cm         // shows a heatmap
 * ```
 */
export function confusionMatrix(yTrue: LabelsLike, yPred: LabelsLike, options: ConfusionMatrixOptions = {}): ConfusionMatrix {
  const t0 = toLabels(yTrue, "yTrue"), p0 = toLabels(yPred, "yPred");
  sameLength("yTrue", t0.length, "yPred", p0.length);
  const classes = classesOf(t0, p0, options.numClasses ?? options.classNames?.length);
  let m = countPairs(t0, p0, classes);
  if (options.normalize === "true") m = m.map((r) => { const s = sum(r); return r.map((v) => (s ? v / s : 0)); });
  else if (options.normalize === "pred") {
    const cols = classes.map((_, j) => sum(m.map((r) => r[j])));
    m = m.map((r) => r.map((v, j) => (cols[j] ? v / cols[j] : 0)));
  } else if (options.normalize === "all") {
    const total = sum(m.map(sum));
    m = m.map((r) => r.map((v) => v / total));
  }
  const names = classes.map((c) => options.classNames?.[c] ?? String(c));
  return new ConfusionMatrix(m, classes, names, options.normalize !== undefined);
}

function sum(values: number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}
