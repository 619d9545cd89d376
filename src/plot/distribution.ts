/**
 * Distributions: histograms and box plots of one or more named samples.
 */
import { LeptonError } from "../i18n/index";
import { Figure, type Trace } from "./figure";
import { baseLayout, type ChartLabels } from "./layout";
import { namedSeries } from "./line";
import { columnLabels, seriesOf, splitByGroup, type ColumnSource } from "./frame-columns";
import type { NumberLike } from "./values";

export interface HistogramOptions extends ChartLabels {
  /** A DataFrame: `values` and `groups` may then name its columns. */
  data?: ColumnSource;
  /** One sample, several named samples overlaid, or columns of `data`. */
  values: Record<string, NumberLike> | NumberLike | string | string[];
  /** Splits one sample into one per group (a column of `data`, or one label per value), overlaid. */
  groups?: string | ArrayLike<string | number>;
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
 * lepton.plot.histogram({ data: df, values: "worst radius", groups: "diagnosis", bins: 30 });
 * ```
 */
export function histogram(options: HistogramOptions): Figure {
  const samples = samplesOf(options);
  const traces: Trace[] = samples.map(([name, x]) => ({
    type: "histogram", name, x,
    opacity: samples.length > 1 ? 0.6 : 1,
    // overlaid samples share one set of bins, so their bars compare bin by bin
    ...(samples.length > 1 ? { bingroup: "samples" } : {}),
    ...(options.bins ? { nbinsx: options.bins } : {}),
    ...(options.density ? { histnorm: "probability density" } : {}),
  }));
  const labels = { ...options, xLabel: options.xLabel ?? (typeof options.values === "string" ? options.values : undefined) };
  return new Figure(traces, baseLayout(labels, { barmode: "overlay", showlegend: traces.length > 1 }), "histogram");
}

export interface BoxOptions extends ChartLabels {
  /** A DataFrame: `values` and `groups` may then name its columns. */
  data?: ColumnSource;
  /** One sample, several named samples side by side, or columns of `data`. */
  values: Record<string, NumberLike> | NumberLike | string | string[];
  /** Splits one sample into one box per group (a column of `data`, or one label per value). */
  groups?: string | ArrayLike<string | number>;
  /** Draw every point beside its box (small samples). */
  points?: boolean;
}

/**
 * Box plots of one or more samples (median, quartiles, whiskers, outliers).
 *
 * @example
 * ```ts
 * lepton.plot.box({ values: { fold1: [0.91, 0.93, 0.9], fold2: [0.88, 0.95, 0.92] }, yLabel: "accuracy" });
 * lepton.plot.box({ data: df, values: "price", groups: "city" });
 * ```
 */
export function box(options: BoxOptions): Figure {
  const traces: Trace[] = samplesOf(options).map(([name, y]) => ({
    type: "box", name, y, boxpoints: options.points ? "all" : "outliers",
  }));
  const labels = { ...options, yLabel: options.yLabel ?? (typeof options.values === "string" ? options.values : undefined) };
  return new Figure(traces, baseLayout(labels, { showlegend: false }), "box");
}

/** The named samples of a histogram or box plot, split by `groups` when given. */
function samplesOf(options: HistogramOptions | BoxOptions): [string, number[]][] {
  const samples = seriesOf(options.values, options.data, "values", (v) => namedSeries(v, "values"));
  if (options.groups === undefined) return samples;
  if (samples.length !== 1) throw new LeptonError("plot:groupsNeedOneSample", { count: samples.length });
  const groups = typeof options.groups === "string" ? columnLabels(options.data, options.groups, "groups") : Array.from(options.groups);
  return splitByGroup(samples[0][1], groups, "groups");
}
