/**
 * Bar charts: per-class counts and scores, several series side by side or stacked.
 */
import { LeptonError } from "../i18n/index";
import { Figure, type Trace } from "./figure";
import { baseLayout, type ChartLabels } from "./layout";
import { namedSeries } from "./line";
import type { NumberLike } from "./values";

export interface BarOptions extends ChartLabels {
  /** The categories (class names, ...). */
  x: ArrayLike<string | number>;
  /** One value per category, or several named series. */
  y: Record<string, NumberLike> | NumberLike;
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
 * ```
 */
export function bar(options: BarOptions): Figure {
  const categories = Array.from(options.x);
  const traces: Trace[] = namedSeries(options.y).map(([name, values]) => {
    if (values.length !== categories.length) throw new LeptonError("plot:lengthMismatch", { name, got: values.length, expected: categories.length });
    return options.horizontal
      ? { type: "bar", orientation: "h", name, x: values, y: categories }
      : { type: "bar", name, x: categories, y: values };
  });
  const layout = baseLayout(options, { barmode: options.stacked ? "stack" : "group", showlegend: traces.length > 1 });
  return new Figure(traces, layout, "bar");
}
