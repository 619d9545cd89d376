/**
 * plotly.js as shipped by the npm package plotly.js-dist-min: its path for the renderer and its
 * text for inlining into notebook outputs (charts must draw with no internet access).
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";

/** The path of plotly.min.js in node_modules. */
export function plotlyPath(): string {
  return path.join(path.dirname(require.resolve("plotly.js-dist-min/package.json")), "plotly.min.js");
}

/** plotly.js's version (from its package.json). */
export function plotlyVersion(): string {
  return (require("plotly.js-dist-min/package.json") as { version: string }).version;
}

let source: string | undefined;

/**
 * plotly.min.js as the body of an inline `<script>`: read once, with any `</script` or `<!--`
 * escaped so the HTML parser cannot end the element early.
 */
export function plotlyScriptBody(): string {
  source ??= readFileSync(plotlyPath(), "utf8").replace(/<\/script/gi, "<\\/script").replace(/<!--/g, "<\\!--");
  return source;
}

/** Makes JSON safe inside an inline `<script>` (no `</script>`, no line separators). */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}
