/**
 * Distributions: histograms and box plots of one or more named samples.
 */
import { Figure, type Trace } from "./figure";
import { baseLayout, type ChartLabels } from "./layout";
import { namedSeries } from "./line";
import type { NumberLike } from "./values";

export interface HistogramOptions extends ChartLabels {
  /** One sample, or several named samples overlaid. */
  values: Record<string, NumberLike> | NumberLike;
  /** Number of bins (default: plotly's choice). */
  bins?: number;
  /** Show a probability density instead of counts (compare samples of different sizes). */
  density?: boolean;
}

/**
 * A histogram of one or more samples (several are overlaid, half transparent).
 *
 * @example
 * ```ts
 * lepton.plot.histogram({ values: { train: [1, 2, 2, 3], test: [2, 3, 3, 4] }, bins: 4, xLabel: "value" });
 * ```
 */
export function histogram(options: HistogramOptions): Figure {
  const samples = namedSeries(options.values, "values");
  const traces: Trace[] = samples.map(([name, x]) => ({
    type: "histogram", name, x,
    opacity: samples.length > 1 ? 0.6 : 1,
    ...(options.bins ? { nbinsx: options.bins } : {}),
    ...(options.density ? { histnorm: "probability density" } : {}),
  }));
  return new Figure(traces, baseLayout(options, { barmode: "overlay", showlegend: traces.length > 1 }), "histogram");
}

export interface BoxOptions extends ChartLabels {
  /** One sample, or several named samples side by side. */
  values: Record<string, NumberLike> | NumberLike;
  /** Draw every point beside its box (small samples). */
  points?: boolean;
}

/**
 * Box plots of one or more samples (median, quartiles, whiskers, outliers).
 *
 * @example
 * ```ts
 * lepton.plot.box({ values: { fold1: [0.91, 0.93, 0.9], fold2: [0.88, 0.95, 0.92] }, yLabel: "accuracy" });
 * ```
 */
export function box(options: BoxOptions): Figure {
  const traces: Trace[] = namedSeries(options.values, "values").map(([name, y]) => ({
    type: "box", name, y, boxpoints: options.points ? "all" : "outliers",
  }));
  return new Figure(traces, baseLayout(options, { showlegend: false }), "box");
}
