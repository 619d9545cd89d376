/**
 * Bar charts: per-class counts and scores, several series side by side or stacked.
 */
import { LeptonError } from "../i18n/index";
import { Figure, type Trace } from "./figure";
import { baseLayout, type ChartLabels } from "./layout";
import { namedSeries } from "./line";
import { columnLabels, seriesOf, type ColumnSource } from "./frame-columns";
import type { NumberLike } from "./values";

export interface BarOptions extends ChartLabels {
  /** A DataFrame (a `valueCounts` or `groupBy` result): `x` and `y` may then name its columns. */
  data?: ColumnSource;
  /** The categories (class names, ...), or a column of `data`. */
  x: ArrayLike<string | number> | string;
  /** One value per category, several named series, or columns of `data`. */
  y: Record<string, NumberLike> | NumberLike | string | string[];
  /** Horizontal bars (long category names). */
  horizontal?: boolean;
  /** Stack series instead of grouping them side by side. */
  stacked?: boolean;
}

/**
 * A bar chart with one bar per category and series.
 *
 * @example
 * ```ts
 * lepton.plot.bar({ x: ["cat", "dog"], y: { precision: [0.9, 0.8], recall: [0.85, 0.88] }, title: "Per class" });
 * lepton.plot.bar({ data: df.valueCounts("city"), x: "city", y: "count" });
 * ```
 */
export function bar(options: BarOptions): Figure {
  const categories = typeof options.x === "string" ? columnLabels(options.data, options.x, "x") : Array.from(options.x);
  const traces: Trace[] = seriesOf(options.y, options.data, "y", (y) => namedSeries(y)).map(([name, values]) => {
    if (values.length !== categories.length) throw new LeptonError("plot:lengthMismatch", { name, got: values.length, expected: categories.length });
    return options.horizontal
      ? { type: "bar", orientation: "h", name, x: values, y: categories }
      : { type: "bar", name, x: categories, y: values };
  });
  const xName = typeof options.x === "string" ? options.x : undefined;
  const yName = typeof options.y === "string" ? options.y : undefined;
  const labels = options.horizontal
    ? { ...options, xLabel: options.xLabel ?? yName, yLabel: options.yLabel ?? xName }
    : { ...options, xLabel: options.xLabel ?? xName, yLabel: options.yLabel ?? yName };
  const layout = baseLayout(labels, { barmode: options.stacked ? "stack" : "group", showlegend: traces.length > 1 });
  return new Figure(traces, layout, "bar");
}
