/**
 * Scatter plots, one trace per group when points carry labels (embeddings, decision regions).
 */
import { LeptonError } from "../i18n/index";
import { Figure, type Trace } from "./figure";
import { baseLayout, type ChartLabels } from "./layout";
import { axisValuesOf, columnLabels, numbersOf, type ColumnSource } from "./frame-columns";
import { toNumbers, type NumberLike } from "./values";

export interface ScatterOptions extends ChartLabels {
  /** A DataFrame: `x`, `y`, `groups` and `text` may then name its columns. */
  data?: ColumnSource;
  /** x values, or a column of `data`. */
  x: NumberLike | string;
  /** y values, or a column of `data`. */
  y: NumberLike | string;
  /** A group per point (class labels, clusters), or a column: one colour and legend entry per group. */
  groups?: ArrayLike<string | number> | NumberLike | string;
  /** Hover text per point, or a column. */
  text?: string[] | string;
  /** Marker size in pixels (default 7). */
  size?: number;
}

/**
 * A scatter plot of points (x[i], y[i]), coloured by group when `groups` is given.
 *
 * @example
 * ```ts
 * lepton.plot.scatter({ x: [1, 2, 3, 4], y: [2, 1, 4, 3], groups: ["a", "a", "b", "b"], title: "Embedding" });
 * lepton.plot.scatter({ data: df, x: "petal length", y: "petal width", groups: "species" });
 * ```
 */
export function scatter(options: ScatterOptions): Figure {
  const data = options.data;
  const x: (number | string)[] = axisValuesOf(options.x, data, "x");
  const y = numbersOf(options.y, data, "y");
  if (y.length !== x.length) throw new LeptonError("plot:lengthMismatch", { name: "y", got: y.length, expected: x.length });
  const groups = options.groups === undefined ? undefined
    : typeof options.groups === "string" ? columnLabels(data, options.groups, "groups") : groupValues(options.groups);
  const text = typeof options.text === "string" ? columnLabels(data, options.text, "text").map(String) : options.text;
  if (groups && groups.length !== x.length) throw new LeptonError("plot:lengthMismatch", { name: "groups", got: groups.length, expected: x.length });
  const marker = { size: options.size ?? 7, opacity: 0.8 };
  const traces: Trace[] = [];
  if (!groups) traces.push({ type: "scatter", mode: "markers", name: "y", x, y, text, marker });
  else {
    const order = [...new Set(groups)];
    for (const g of order) {
      const idx = groups.map((v, i) => (v === g ? i : -1)).filter((i) => i >= 0);
      traces.push({
        type: "scatter", mode: "markers", name: String(g), marker,
        x: idx.map((i) => x[i]), y: idx.map((i) => y[i]),
        text: text ? idx.map((i) => text[i]) : undefined,
      });
    }
  }
  const labels = { ...options, xLabel: options.xLabel ?? columnName(options.x), yLabel: options.yLabel ?? columnName(options.y) };
  return new Figure(traces, baseLayout(labels, { showlegend: traces.length > 1 }), "scatter");
}

/** The column a chart option names (for a default axis title). */
function columnName(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function groupValues(groups: ArrayLike<string | number> | NumberLike): (string | number)[] {
  const first = (groups as ArrayLike<unknown>)[0];
  if (typeof first === "string") return Array.from(groups as ArrayLike<string>);
  return toNumbers(groups as NumberLike, "groups");
}
