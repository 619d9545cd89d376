/**
 * Classifier curves: ROC (with the chance diagonal) and precision-recall, one trace per curve.
 * The points come from lepton.evaluate (rocCurve, precisionRecallCurve) or any other source.
 */
import { LeptonError, formatNumber, t } from "../i18n/index";
import { Figure, type Trace } from "./figure";
import { baseLayout, type ChartLabels } from "./layout";

/** One ROC curve: false and true positive rates at decreasing thresholds. */
export interface RocCurveData {
  name?: string;
  fpr: ArrayLike<number>;
  tpr: ArrayLike<number>;
  /** Area under the curve, written in the legend. */
  auc?: number;
}

/** One precision-recall curve. */
export interface PrCurveData {
  name?: string;
  precision: ArrayLike<number>;
  recall: ArrayLike<number>;
  /** Average precision, written in the legend. */
  averagePrecision?: number;
}

function score(v: number): string {
  return formatNumber(v, { minimumFractionDigits: 3, maximumFractionDigits: 3 });
}

function checked(name: string, x: ArrayLike<number>, y: ArrayLike<number>): [number[], number[]] {
  if (x.length !== y.length) throw new LeptonError("plot:curveLengths", { name, x: x.length, y: y.length });
  return [Array.from(x), Array.from(y)];
}

/**
 * ROC curves (one per class for one-vs-rest) with the chance diagonal.
 *
 * @example
 * ```ts
 * lepton.plot.roc({ name: "model", fpr: [0, 0.1, 1], tpr: [0, 0.8, 1], auc: 0.85 });
 * ```
 */
export function roc(curves: RocCurveData | RocCurveData[], labels: ChartLabels = {}): Figure {
  const list = Array.isArray(curves) ? curves : [curves];
  const traces: Trace[] = list.map((c, i) => {
    const name = c.name ?? (list.length > 1 ? `#${i + 1}` : "ROC");
    const [x, y] = checked(name, c.fpr, c.tpr);
    return { type: "scatter", mode: "lines", name: c.auc === undefined ? name : t("plot:curveWithAuc", { name, auc: score(c.auc) }), x, y };
  });
  traces.push({ type: "scatter", mode: "lines", name: t("plot:chanceLine"), x: [0, 1], y: [0, 1], line: { dash: "dash", color: "#999" } });
  const layout = baseLayout({
    title: t("plot:rocTitle"), xLabel: t("plot:falsePositiveRate"), yLabel: t("plot:truePositiveRate"), ...labels,
  }, { showlegend: true, legend: { x: 0.98, y: 0.02, xanchor: "right", yanchor: "bottom" } });
  Object.assign(layout.xaxis as object, { range: [-0.01, 1.01] });
  Object.assign(layout.yaxis as object, { range: [-0.01, 1.01] });
  return new Figure(traces, layout, "roc");
}

/**
 * Precision-recall curves, drawn as steps like scikit-learn's PrecisionRecallDisplay.
 *
 * @example
 * ```ts
 * lepton.plot.precisionRecall({ precision: [0.5, 0.8, 1], recall: [1, 0.5, 0], averagePrecision: 0.8 });
 * ```
 */
export function precisionRecall(curves: PrCurveData | PrCurveData[], labels: ChartLabels = {}): Figure {
  const list = Array.isArray(curves) ? curves : [curves];
  const traces: Trace[] = list.map((c, i) => {
    const name = c.name ?? (list.length > 1 ? `#${i + 1}` : "PR");
    const [x, y] = checked(name, c.recall, c.precision);
    const label = c.averagePrecision === undefined ? name : t("plot:curveWithAp", { name, ap: score(c.averagePrecision) });
    return { type: "scatter", mode: "lines", line: { shape: "hv" }, name: label, x, y };
  });
  const layout = baseLayout({ title: t("plot:prTitle"), xLabel: t("plot:recall"), yLabel: t("plot:precision"), ...labels }, {
    showlegend: true, legend: { x: 0.02, y: 0.02, xanchor: "left", yanchor: "bottom" },
  });
  Object.assign(layout.xaxis as object, { range: [-0.01, 1.01] });
  Object.assign(layout.yaxis as object, { range: [-0.01, 1.05] });
  return new Figure(traces, layout, "precisionRecall");
}
