/**
 * `Figure`: a plotly chart (data + layout) that displays itself in a notebook.
 *
 * Its MIME bundle holds `application/vnd.plotly.v1+json` (JupyterLab's plotly renderer, VS Code),
 * `text/html` that draws offline, a static `image/svg+xml` (or `image/png`) for nbconvert and
 * GitHub, and a short `text/plain` summary. In a notebook the static picture is made
 * synchronously when the bundle is built (see renderer.ts) and cached until the figure changes;
 * `await fig.render()` makes it ahead of time without blocking.
 */
import { t } from "../i18n/index";
import { DISPLAY, currentHost, newDisplayId, show as showBundle, type Displayable, type MimeBundle } from "../runtime/host";
import { figureHTML, plotlyInjected, plotlyLoaderHTML } from "./html";
import { render, renderSync, type StaticImage } from "./renderer";
import { settings } from "./settings";

/** One plotly trace (`{type: "scatter", x, y, ...}`); see plotly.js's reference for the fields. */
export type Trace = Record<string, unknown>;
/** A plotly layout (`{title, xaxis, yaxis, ...}`). */
export type Layout = Record<string, unknown>;

export interface BundleOptions {
  /**
   * Add the static picture (default: in a notebook, as configured — "svg" unless changed; outside
   * one no picture, since plain Node shows only the text summary and should not start Chromium).
   */
  staticImage?: boolean;
  /** Put plotly.js into this output (default: only if no output of this process has carried it). */
  includePlotly?: boolean;
}

export interface UpdateOptions {
  /** Also render the static picture (slower; do it for the last update so saved notebooks show it). */
  staticImage?: boolean;
}

export class Figure implements Displayable {
  /** The plotly traces. Change them freely: the next display or update uses the new values. */
  data: Trace[];
  /** The plotly layout. */
  layout: Layout;
  /** What made the figure ("line", "heatmap", ...), for the text summary. */
  readonly kind: string;
  private image?: { key: string; image: StaticImage };
  private liveId?: string;

  constructor(data: Trace[] = [], layout: Layout = {}, kind = "figure") {
    this.data = data;
    this.layout = layout;
    this.kind = kind;
  }

  /** Width and height in pixels (from the layout, else the configured defaults). */
  get size(): { width: number; height: number } {
    const w = this.layout.width, h = this.layout.height;
    return {
      width: typeof w === "number" ? w : settings().width,
      height: typeof h === "number" ? h : settings().height,
    };
  }

  /** The plotly JSON (`{data, layout}`), as `application/vnd.plotly.v1+json` carries it. */
  toJSON(): { data: Trace[]; layout: Layout } {
    return { data: this.data, layout: this.layout };
  }

  /** The display id once `show()` has shown the figure as a live output. */
  get displayId(): string | undefined {
    return this.liveId;
  }

  /**
   * Renders the static picture now without blocking, and keeps it for the next display.
   * Rejects with `plot:staticUnavailable` when Chromium or playwright-core is missing.
   *
   * @example
   * ```ts
   * const fig = lepton.plot.line({ y: { loss: [1, 0.5, 0.3] } });
   * await fig.render();   // the picture is ready: displaying fig no longer waits for Chromium
   * fig
   * ```
   */
  async render(format: "svg" | "png" = settings().staticImage === "png" ? "png" : "svg"): Promise<StaticImage> {
    const key = this.cacheKey(format);
    if (this.image?.key === key) return this.image.image;
    const image = await render(this.toJSON(), { format, ...this.size });
    this.image = { key, image };
    return image;
  }

  /** The static picture, rendered now (blocking) if it is not cached; undefined when unavailable. */
  staticImage(): StaticImage | undefined {
    const format = settings().staticImage;
    if (format === "none") return undefined;
    const key = this.cacheKey(format);
    if (this.image?.key === key) return this.image.image;
    const image = renderSync(this.toJSON(), { format, ...this.size }, settings().renderTimeoutMs);
    if (image) this.image = { key, image };
    return image;
  }

  /** The picture made earlier (by render() or a display), if the figure has not changed since. */
  private cachedImage(): StaticImage | undefined {
    const image = this.image;
    return image && image.key === this.cacheKey(image.image.mime === "image/png" ? "png" : "svg") ? image.image : undefined;
  }

  /** The MIME bundle (what a notebook shows). */
  bundle(options: BundleOptions = {}): MimeBundle {
    const wanted = options.staticImage ?? (settings().staticImage !== "none" && currentHost() !== undefined);
    const image = wanted ? this.staticImage() : this.cachedImage();
    const bundle: MimeBundle = {
      "application/vnd.plotly.v1+json": this.toJSON(),
      "text/html": figureHTML(this.toJSON(), {
        includePlotly: options.includePlotly ?? !plotlyInjected(),
        fallback: image,
        width: typeof this.layout.width === "number" ? this.layout.width : undefined,
        height: this.size.height,
      }),
      "text/plain": this.toString(),
    };
    if (image) bundle[image.mime] = image.data;
    return bundle;
  }

  [DISPLAY](): MimeBundle {
    return this.bundle();
  }

  /**
   * Shows the figure as an output that `update()` later replaces in place (one chart, not many).
   * Returns the display id. Outside a notebook it prints the text summary.
   *
   * @example
   * ```ts
   * const fig = lepton.plot.line({ y: { loss: [] } });
   * fig.show();
   * for (const loss of [0.9, 0.5, 0.3]) { (fig.data[0].y as number[]).push(loss); fig.update(); }
   * fig.update(undefined, { staticImage: true }); // last update: keep a picture in the saved notebook
   * ```
   */
  show(options: { displayId?: string; staticImage?: boolean } = {}): string {
    this.liveId = options.displayId ?? this.liveId ?? newDisplayId("lepton-plot");
    const host = currentHost();
    // An output that will be replaced must not be the one carrying plotly.js, or the saved
    // notebook would lose it: plotly.js goes in an output of its own.
    if (host && !plotlyInjected()) host.display({ "text/html": plotlyLoaderHTML(), "text/plain": "" });
    showBundle(this.bundle({ staticImage: options.staticImage ?? false, includePlotly: false }), { displayId: this.liveId });
    return this.liveId;
  }

  /**
   * Replaces the shown output with the figure's current state, or with `next` (another figure, or
   * new data/layout). Cheap: no static picture unless asked for.
   */
  update(next?: Figure | { data?: Trace[]; layout?: Layout }, options: UpdateOptions = {}): void {
    if (next) {
      if (next.data) this.data = next.data;
      if (next.layout) this.layout = next.layout;
    }
    if (!this.liveId) {
      this.show({ staticImage: options.staticImage });
      return;
    }
    currentHost()?.display(this.bundle({ staticImage: options.staticImage ?? false, includePlotly: false }), {
      displayId: this.liveId,
      update: true,
    });
  }

  /** A one-line summary: kind, title and the traces with their sizes. */
  toString(): string {
    const title = titleOf(this.layout);
    const images = this.data.filter((d) => d.type === "image").length;
    const traces = this.data.filter((d) => d.type !== "image").map((d, i) =>
      t("plot:summaryTrace", { name: typeof d.name === "string" && d.name ? d.name : `#${i + 1}`, points: pointsOf(d) }),
    );
    if (images) traces.push(t("plot:summaryImages", { count: images }));
    return t("plot:summary", {
      kind: this.kind,
      title: title ? t("plot:summaryTitle", { title }) : "",
      traces: traces.length ? traces.join(", ") : t("plot:summaryNoTraces"),
    });
  }

  private cacheKey(format: string): string {
    return `${format}:${this.size.width}x${this.size.height}:${JSON.stringify(this.toJSON())}`;
  }
}

function titleOf(layout: Layout): string {
  const title = layout.title;
  if (typeof title === "string") return title;
  if (title && typeof title === "object" && typeof (title as { text?: unknown }).text === "string") return (title as { text: string }).text;
  return "";
}

function pointsOf(trace: Trace): number {
  for (const key of ["y", "x", "z", "values", "r"]) {
    const v = trace[key];
    if (Array.isArray(v)) return v.length;
  }
  return 0;
}

/**
 * A figure from raw plotly traces and layout, for any chart the other helpers do not make.
 *
 * @example
 * ```ts
 * lepton.plot.figure([{ type: "pie", labels: ["a", "b"], values: [3, 5] }], { title: "Share" });
 * ```
 */
export function figure(data: Trace[], layout: Layout = {}): Figure {
  return new Figure(data, layout, "figure");
}
