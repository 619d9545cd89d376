/**
 * Line charts: loss and metric curves, any series over a shared x.
 */
import * as tf from "@tensorflow/tfjs";
import { LeptonError } from "../i18n/index";
import { Figure, type Trace } from "./figure";
import { baseLayout, withAxis, type ChartLabels } from "./layout";
import { axisValuesOf, seriesOf, type ColumnSource } from "./frame-columns";
import { toNumbers, type NumberLike } from "./values";

export interface LineOptions extends ChartLabels {
  /** A DataFrame: `x` and `y` may then name its columns. */
  data?: ColumnSource;
  /** Shared x values (default 1, 2, 3, ...: epochs), or a column of `data`. */
  x?: NumberLike | string;
  /** The series by name (`{loss: [...], val_loss: [...]}`), one unnamed series, or columns of `data`. */
  y: Record<string, NumberLike> | NumberLike | string | string[];
  /** Log scale on y (learning-rate finder, losses spanning decades). */
  logY?: boolean;
  /** Log scale on x (learning rates). */
  logX?: boolean;
  /** Draw a marker at each point too (default: only when a series has at most 30 points). */
  markers?: boolean;
}

/**
 * A line chart of one or more series sharing an x axis. Series may be shorter than x (a curve
 * still being recorded) but not longer.
 *
 * @example
 * ```ts
 * lepton.plot.line({ y: { loss: [0.9, 0.5, 0.3], val_loss: [1.0, 0.6, 0.45] }, title: "Loss", xLabel: "epoch" });
 * lepton.plot.line({ data: metrics, x: "epoch", y: ["loss", "val_loss"] });
 * ```
 */
export function line(options: LineOptions): Figure {
  const series = seriesOf(options.y, options.data, "y", (y) => namedSeries(y));
  const longest = Math.max(0, ...series.map(([, v]) => v.length));
  const x: (number | string)[] = options.x === undefined ? Array.from({ length: longest }, (_, i) => i + 1) : axisValuesOf(options.x, options.data, "x");
  const traces: Trace[] = series.map(([name, y]) => {
    if (y.length > x.length) throw new LeptonError("plot:lengthMismatch", { name, got: y.length, expected: x.length });
    const markers = options.markers ?? y.length <= 30;
    return { type: "scatter", mode: markers ? "lines+markers" : "lines", name, x: x.slice(0, y.length), y };
  });
  const layout = baseLayout({ ...options, xLabel: options.xLabel ?? (typeof options.x === "string" ? options.x : undefined) }, { showlegend: traces.length > 1 });
  if (options.logY) withAxis(layout, "yaxis", { type: "log" });
  if (options.logX) withAxis(layout, "xaxis", { type: "log" });
  return new Figure(traces, layout, "line");
}

/** `{name: values}` pairs from a record of series or a single series. */
export function namedSeries(y: Record<string, NumberLike> | NumberLike, what = "y"): [string, number[]][] {
  const single = y instanceof tf.Tensor || Array.isArray(y) || ArrayBuffer.isView(y);
  const pairs: [string, number[]][] = single
    ? [[what, toNumbers(y as NumberLike, what)]]
    : Object.entries(y as Record<string, NumberLike>).map(([name, v]) => [name, toNumbers(v, name)]);
  if (!pairs.length) throw new LeptonError("plot:noSeries", { example: "{ y: { loss: [0.9, 0.5] } }" });
  return pairs;
}
