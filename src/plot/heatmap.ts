/**
 * Heatmaps: confusion matrices, correlation matrices, attention weights.
 */
import { LeptonError, formatNumber } from "../i18n/index";
import { Figure } from "./figure";
import { baseLayout, type ChartLabels } from "./layout";
import { toMatrix, type MatrixLike } from "./values";

/** White for 0 to dark blue for the maximum (plotly's own "Blues" runs the other way). */
const LIGHT_TO_BLUE: [number, string][] = [[0, "#f7fbff"], [0.25, "#c6dbef"], [0.5, "#6baed6"], [0.75, "#2171b5"], [1, "#08306b"]];

export interface HeatmapOptions extends ChartLabels {
  /** The matrix, row by row (row 0 is drawn at the top). */
  z: MatrixLike;
  /** Column labels (x axis). */
  x?: ArrayLike<string | number>;
  /** Row labels (y axis). */
  y?: ArrayLike<string | number>;
  /** A plotly colour scale name ("Viridis", "RdBu", ...) or stops; default white to dark blue. */
  colorscale?: string | [number, string][];
  /** Write each cell's value in it (default: when the matrix has at most 400 cells). */
  annotate?: boolean;
  /** How annotated values are written (default: integers as they are, others with 2 decimals). */
  format?: (value: number) => string;
  zmin?: number;
  zmax?: number;
}

/**
 * A heatmap of a matrix, with optional row and column labels and the values written in the cells.
 *
 * @example
 * ```ts
 * lepton.plot.heatmap({ z: [[50, 2], [5, 43]], x: ["cat", "dog"], y: ["cat", "dog"],
 *   xLabel: "predicted", yLabel: "actual", title: "Confusion matrix" });
 * ```
 */
export function heatmap(options: HeatmapOptions): Figure {
  const z = toMatrix(options.z, "z");
  const rows = z.length, cols = z[0].length;
  const x = labels(options.x, cols, "x");
  const y = labels(options.y, rows, "y");
  const annotate = options.annotate ?? rows * cols <= 400;
  const integers = z.every((r) => r.every((v) => Number.isInteger(v)));
  const format = options.format ?? ((v: number) => (integers ? formatNumber(v) : formatNumber(v, { minimumFractionDigits: 2, maximumFractionDigits: 2 })));
  const trace: Record<string, unknown> = {
    type: "heatmap", z, x, y,
    colorscale: options.colorscale ?? LIGHT_TO_BLUE,
    hovertemplate: "%{y} / %{x}: %{z}<extra></extra>",
  };
  if (options.zmin !== undefined) trace.zmin = options.zmin;
  if (options.zmax !== undefined) trace.zmax = options.zmax;
  if (annotate) {
    trace.text = z.map((r) => r.map((v) => format(v)));
    trace.texttemplate = "%{text}";
  }
  const layout = baseLayout(options);
  layout.xaxis = { ...(layout.xaxis as object), type: "category", showgrid: false, side: "bottom" };
  layout.yaxis = { ...(layout.yaxis as object), type: "category", showgrid: false, autorange: "reversed" };
  return new Figure([trace], layout, "heatmap");
}

function labels(given: ArrayLike<string | number> | undefined, count: number, what: string): string[] {
  if (given === undefined) return Array.from({ length: count }, (_, i) => String(i));
  if (given.length !== count) throw new LeptonError("plot:labelsMismatch", { what, got: given.length, expected: count });
  return Array.from(given, String);
}
