/**
 * Process-wide plot settings: which static image figures carry, how long to wait for it, and the
 * default size of a chart.
 */
import { LeptonError } from "../i18n/index";

export type StaticFormat = "svg" | "png" | "none";

export interface PlotSettings {
  /** The static picture added to every figure's MIME bundle ("none" skips Chromium entirely). */
  staticImage: StaticFormat;
  /** How long a display waits for the static picture before it goes without one. */
  renderTimeoutMs: number;
  /** Default chart size in pixels, used when the layout gives none. */
  width: number;
  height: number;
}

const current: PlotSettings = {
  staticImage: parseFormat(process.env.LEPTON_PLOT_STATIC ?? "svg"),
  renderTimeoutMs: 30_000,
  width: 700,
  height: 450,
};

function parseFormat(format: string): StaticFormat {
  if (format === "svg" || format === "png" || format === "none") return format;
  throw new LeptonError("plot:badStaticFormat", { format });
}

/**
 * Reads or changes the plot settings for this process.
 *
 * @example
 * ```ts
 * lepton.plot.configure({ staticImage: "png" }); // figures carry a PNG instead of an SVG
 * lepton.plot.configure({ staticImage: "none" }); // interactive charts only, no Chromium
 * ```
 */
export function configure(changes: Partial<PlotSettings> = {}): PlotSettings {
  if (changes.staticImage !== undefined) current.staticImage = parseFormat(changes.staticImage);
  if (changes.renderTimeoutMs !== undefined) current.renderTimeoutMs = changes.renderTimeoutMs;
  if (changes.width !== undefined) current.width = changes.width;
  if (changes.height !== undefined) current.height = changes.height;
  return { ...current };
}

/** The settings in force (read-only view for the module). */
export function settings(): Readonly<PlotSettings> {
  return current;
}
