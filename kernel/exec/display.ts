/**
 * The display protocol, global in every cell: `display(x, {displayId, update})`, `display.html`,
 * `display.markdown`, `display.svg`, `display.png`, `display.json`, `clearOutput({wait})`.
 * Any object with `[Symbol.for("Jupyter.display")]()` returning a MIME bundle renders richly
 * (the convention Deno's kernel uses); the last expression of a cell goes the same way.
 */
import { inspect } from "node:util";

export type MimeBundle = Record<string, unknown>;
export const DISPLAY_SYMBOL = Symbol.for("Jupyter.display");

export interface DisplayOptions { displayId?: string; update?: boolean; metadata?: Record<string, unknown> }
export type DisplaySink = (bundle: MimeBundle, options: DisplayOptions) => void;

/** The MIME bundle for any value: its own display method, else an inspected text form. */
export function bundleOf(value: unknown): MimeBundle {
  if (value !== null && (typeof value === "object" || typeof value === "function")) {
    const fn = (value as Record<symbol, unknown>)[DISPLAY_SYMBOL];
    if (typeof fn === "function") {
      const bundle = fn.call(value) as MimeBundle;
      if (bundle && typeof bundle === "object") {
        return bundle["text/plain"] === undefined ? { ...bundle, "text/plain": textOf(value) } : bundle;
      }
    }
  }
  return { "text/plain": textOf(value) };
}

function textOf(value: unknown): string {
  if (typeof value === "string") return inspect(value);
  return inspect(value, { depth: 4, colors: false, maxArrayLength: 100, maxStringLength: 10_000, breakLength: 100 });
}

/** Builds the global `display` function with its helpers. */
export function makeDisplay(sink: DisplaySink, clear: (wait: boolean) => void) {
  const display = (value: unknown, options: DisplayOptions = {}): void => {
    sink(bundleOf(value), options);
  };
  const raw = (bundle: MimeBundle) => (options: DisplayOptions = {}) => sink(bundle, options);
  return Object.assign(display, {
    /** Shows HTML. */
    html: (html: string, options?: DisplayOptions) => raw({ "text/html": html, "text/plain": stripTags(html) })(options),
    /** Shows Markdown. */
    markdown: (md: string, options?: DisplayOptions) => raw({ "text/markdown": md, "text/plain": md })(options),
    /** Shows an SVG image given as text. */
    svg: (svg: string, options?: DisplayOptions) => raw({ "image/svg+xml": svg, "text/plain": "<SVG image>" })(options),
    /** Shows a PNG image given as bytes. */
    png: (bytes: Uint8Array, options?: DisplayOptions) =>
      raw({ "image/png": Buffer.from(bytes).toString("base64"), "text/plain": "<PNG image>" })(options),
    /** Shows a JPEG image given as bytes. */
    jpeg: (bytes: Uint8Array, options?: DisplayOptions) =>
      raw({ "image/jpeg": Buffer.from(bytes).toString("base64"), "text/plain": "<JPEG image>" })(options),
    /** Shows JSON as an interactive tree (JupyterLab) with a text fallback. */
    json: (value: unknown, options?: DisplayOptions) =>
      raw({ "application/json": value, "text/plain": JSON.stringify(value, null, 2) })(options),
    /** Shows plain text. */
    text: (text: string, options?: DisplayOptions) => raw({ "text/plain": text })(options),
    /** Shows a MIME bundle as it is. */
    bundle: (bundle: MimeBundle, options?: DisplayOptions) => raw(bundle)(options),
    /** Clears this cell's output (after the next output arrives, with wait). */
    clear: (options: { wait?: boolean } = {}) => clear(!!options.wait),
  });
}

function stripTags(html: string): string {
  return html.replace(/<[^>]*>/g, "").slice(0, 2000);
}

/**
 * tslab's display API (`import * as tslab from "tslab"`), so tslab notebooks run unchanged.
 */
export function makeTslabModule(sink: DisplaySink) {
  const makeDisplayApi = (displayId?: string) => {
    let first = true;
    const send = (bundle: MimeBundle) => {
      sink(bundle, displayId ? { displayId, update: !first } : {});
      first = false;
    };
    return {
      javascript: (s: string) => send({ "application/javascript": s }),
      html: (s: string) => send({ "text/html": s }),
      markdown: (s: string) => send({ "text/markdown": s }),
      latex: (s: string) => send({ "text/latex": s }),
      svg: (s: string) => send({ "image/svg+xml": s }),
      png: (b: Uint8Array) => send({ "image/png": Buffer.from(b).toString("base64") }),
      jpeg: (b: Uint8Array) => send({ "image/jpeg": Buffer.from(b).toString("base64") }),
      gif: (b: Uint8Array) => send({ "image/gif": Buffer.from(b).toString("base64") }),
      pdf: (b: Uint8Array) => send({ "application/pdf": Buffer.from(b).toString("base64") }),
      text: (s: string) => send({ "text/plain": s }),
      raw: (bundle: MimeBundle) => send(bundle),
    };
  };
  let counter = 0;
  return {
    display: makeDisplayApi(),
    newDisplay: () => makeDisplayApi(`tslab-${process.pid}-${++counter}`),
    versions: { tslab: "1.0.22 (Lepton compatibility)", typescript: require("typescript").version, node: process.version },
    isBrowser: () => false,
    isNode: () => true,
  };
}
