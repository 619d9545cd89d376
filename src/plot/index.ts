/**
 * lepton.plot: charts as plotly figures that display themselves in a notebook, draw offline, and
 * carry a static picture for exported notebooks.
 *
 * Every helper returns a {@link Figure} synchronously. Showing it (last expression of a cell,
 * `display(fig)`, `fig.show()`) builds its MIME bundle; the static SVG is rendered then, in
 * headless Chromium, and cached (`await fig.render()` renders it ahead of time without blocking).
 */
export { Figure, figure } from "./figure";
export type { Trace, Layout, BundleOptions, UpdateOptions } from "./figure";
export { line } from "./line";
export type { LineOptions } from "./line";
export type { ChartLabels } from "./layout";
export { configure } from "./settings";
export type { PlotSettings, StaticFormat } from "./settings";
export { closeRenderer } from "./renderer";
export type { StaticImage } from "./renderer";
