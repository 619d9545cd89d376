/**
 * The layout every lepton chart starts from: title, axis titles and size in plotly 3's form
 * (titles are `{text}` objects), with a plain white template that reads well in light and dark
 * notebook themes alike once rendered to a static picture.
 */
import type { Layout } from "./figure";

/** The labels and size shared by every chart helper. */
export interface ChartLabels {
  /** Chart title. */
  title?: string;
  /** x-axis title. */
  xLabel?: string;
  /** y-axis title. */
  yLabel?: string;
  /** Width in pixels (default: the notebook's width in the live chart, 700 in pictures). */
  width?: number;
  /** Height in pixels (default 450). */
  height?: number;
}

/** A plotly layout with the given labels. */
export function baseLayout(labels: ChartLabels, extra: Layout = {}): Layout {
  const layout: Layout = {
    margin: { l: 60, r: 20, t: labels.title ? 50 : 20, b: 50 },
    paper_bgcolor: "white",
    plot_bgcolor: "white",
    xaxis: { title: { text: labels.xLabel ?? "" }, showgrid: true, gridcolor: "#e5e5e5", zeroline: false },
    yaxis: { title: { text: labels.yLabel ?? "" }, showgrid: true, gridcolor: "#e5e5e5", zeroline: false },
    ...extra,
  };
  if (labels.title) layout.title = { text: labels.title };
  if (labels.width) layout.width = labels.width;
  if (labels.height) layout.height = labels.height;
  return layout;
}

/** Merges axis settings into a layout's axis without losing the title. */
export function withAxis(layout: Layout, axis: "xaxis" | "yaxis", settings: Record<string, unknown>): Layout {
  layout[axis] = { ...(layout[axis] as Record<string, unknown>), ...settings };
  return layout;
}
