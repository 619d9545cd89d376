/**
 * Scatter plots, one trace per group when points carry labels (embeddings, decision regions).
 */
import { LeptonError } from "../i18n/index";
import { Figure, type Trace } from "./figure";
import { baseLayout, type ChartLabels } from "./layout";
import { toNumbers, type NumberLike } from "./values";

export interface ScatterOptions extends ChartLabels {
  x: NumberLike;
  y: NumberLike;
  /** A group per point (class labels, clusters): one colour and legend entry per group. */
  groups?: ArrayLike<string | number> | NumberLike;
  /** Hover text per point. */
  text?: string[];
  /** Marker size in pixels (default 7). */
  size?: number;
}

/**
 * A scatter plot of points (x[i], y[i]), coloured by group when `groups` is given.
 *
 * @example
 * ```ts
 * lepton.plot.scatter({ x: [1, 2, 3, 4], y: [2, 1, 4, 3], groups: ["a", "a", "b", "b"], title: "Embedding" });
 * ```
 */
export function scatter(options: ScatterOptions): Figure {
  const x = toNumbers(options.x, "x");
  const y = toNumbers(options.y, "y");
  if (y.length !== x.length) throw new LeptonError("plot:lengthMismatch", { name: "y", got: y.length, expected: x.length });
  const groups = options.groups === undefined ? undefined : groupValues(options.groups);
  if (groups && groups.length !== x.length) throw new LeptonError("plot:lengthMismatch", { name: "groups", got: groups.length, expected: x.length });
  const marker = { size: options.size ?? 7, opacity: 0.8 };
  const traces: Trace[] = [];
  if (!groups) traces.push({ type: "scatter", mode: "markers", name: "y", x, y, text: options.text, marker });
  else {
    const order = [...new Set(groups)];
    for (const g of order) {
      const idx = groups.map((v, i) => (v === g ? i : -1)).filter((i) => i >= 0);
      traces.push({
        type: "scatter", mode: "markers", name: String(g), marker,
        x: idx.map((i) => x[i]), y: idx.map((i) => y[i]),
        text: options.text ? idx.map((i) => options.text![i]) : undefined,
      });
    }
  }
  return new Figure(traces, baseLayout(options, { showlegend: traces.length > 1 }), "scatter");
}

function groupValues(groups: ScatterOptions["groups"]): (string | number)[] {
  const first = (groups as ArrayLike<unknown>)[0];
  if (typeof first === "string") return Array.from(groups as ArrayLike<string>);
  return toNumbers(groups as NumberLike, "groups");
}
