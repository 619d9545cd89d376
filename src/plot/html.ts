/**
 * The `text/html` form of a figure: a div, plotly.js inline the first time a figure is shown in
 * this process, and a small script that draws into the div with whatever `window.Plotly` the page
 * already has. No CDN and no require.js: an exported notebook draws every chart from the copy
 * carried by its first chart, with the network off.
 */
import { t } from "../i18n/index";
import { jsonForScript, plotlyScriptBody, plotlyVersion } from "./plotly-source";
import type { StaticImage } from "./renderer";
import { escapeHtml } from "../runtime/tables";

let injected = false;

/** Whether an output of this process already carried plotly.js to the frontend. */
export function plotlyInjected(): boolean {
  return injected;
}

/** Forgets that plotly.js was sent (a new frontend page, or tests). */
export function resetPlotlyInjection(): void {
  injected = false;
}

/** The inline `<script>` holding plotly.js, marking it as sent. */
export function plotlyScriptTag(): string {
  injected = true;
  return `<script type="text/javascript">/* plotly.js ${plotlyVersion()} (offline copy) */\n${plotlyScriptBody()}\n</script>`;
}

/** An output of its own that only loads plotly.js, for charts that will be replaced in place. */
export function plotlyLoaderHTML(): string {
  return `${plotlyScriptTag()}<div class="lepton-plotly-loader" style="display:none">${escapeHtml(t("plot:plotlyLoaded", { version: plotlyVersion() }))}</div>`;
}

let counter = 0;

export interface FigureHTMLOptions {
  /** Put plotly.js itself into this output (the first chart of a notebook). */
  includePlotly: boolean;
  /** A static picture shown until (or instead of, with scripts off) the interactive chart. */
  fallback?: StaticImage;
  width?: number;
  height: number;
}

/** The HTML fragment for one chart. */
export function figureHTML(spec: { data: unknown[]; layout: Record<string, unknown> }, options: FigureHTMLOptions): string {
  counter += 1;
  const id = `lepton-plot-${process.pid}-${Date.now().toString(36)}-${counter}`;
  const size = `width:100%;${options.width ? `max-width:${options.width}px;` : ""}height:${options.height}px;`;
  const fallback = options.fallback
    ? `<img alt="" style="max-width:100%" src="data:${options.fallback.mime};base64,${
        options.fallback.mime === "image/png" ? options.fallback.data : Buffer.from(options.fallback.data, "utf8").toString("base64")
      }">`
    : "";
  const payload = jsonForScript({ data: spec.data, layout: spec.layout, config: { responsive: true, displaylogo: false } });
  const missing = jsonForScript(t("plot:plotlyMissing"));
  // The draw script waits a little for plotly.js (it may still be loading) and finds its div by
  // id, which works both in a live notebook and in an exported page.
  const draw = `(function(){var id=${JSON.stringify(id)},spec=${payload},tries=0;
function draw(){var el=document.getElementById(id);if(!el||!window.Plotly)return false;el.innerHTML="";
window.Plotly.newPlot(el,spec.data,spec.layout,spec.config);return true;}
if(draw())return;var timer=setInterval(function(){if(draw()){clearInterval(timer);return;}
if(++tries>200){clearInterval(timer);var el=document.getElementById(id);if(el&&!el.firstChild)el.textContent=${missing};}},50);})();`;
  return `${options.includePlotly ? plotlyScriptTag() : ""}<div class="lepton-plot" id="${id}" style="${size}">${fallback}</div>\n<script type="text/javascript">${draw}</script>`;
}

/** A whole HTML page holding one chart and its own copy of plotly.js (for `save(fig, "x.html")`). */
export function standaloneHTML(spec: { data: unknown[]; layout: Record<string, unknown> }, title: string, height: number): string {
  const body = figureHTML(spec, { includePlotly: false, height });
  return `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>\n<script type="text/javascript">${plotlyScriptBody()}</script>\n</head><body>\n${body}\n</body></html>\n`;
}

/** Escapes text for HTML (the one implementation, in runtime/tables.ts). */
export { escapeHtml };
