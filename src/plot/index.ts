/**
 * lepton.plot: charts as plotly figures that display themselves in a notebook, draw offline, and
 * carry a static picture for exported notebooks.
 *
 * Every helper returns a {@link Figure} synchronously. Showing it (last expression of a cell,
 * `display(fig)`, `fig.show()`) builds its MIME bundle; the static SVG is rendered then, in
 * headless Chromium, and cached (`await fig.render()` renders it ahead of time without blocking).
 * Live charts: `fig.show()` once, then `fig.update()` replaces that output in place.
 */
export { Figure, figure } from "./figure";
export type { Trace, Layout, BundleOptions, UpdateOptions } from "./figure";
export { line } from "./line";
export type { LineOptions } from "./line";
export { scatter } from "./scatter";
export type { ScatterOptions } from "./scatter";
export { bar } from "./bar";
export type { BarOptions } from "./bar";
export { histogram, box } from "./distribution";
export type { HistogramOptions, BoxOptions } from "./distribution";
export { heatmap } from "./heatmap";
export type { HeatmapOptions } from "./heatmap";
export { imageGrid } from "./image-grid";
export type { ImageGridOptions } from "./image-grid";
export { roc, precisionRecall } from "./curves";
export type { RocCurveData, PrCurveData } from "./curves";
export { save } from "./save";
export type { ChartLabels } from "./layout";
export { configure } from "./settings";
export type { PlotSettings, StaticFormat } from "./settings";
export { closeRenderer } from "./renderer";
export type { StaticImage } from "./renderer";
export type { NumberLike, MatrixLike } from "./values";
// Importing it also gives every tf.Tensor its notebook display (installed on the prototype).
export { tensorBundle } from "./tensor-display";
