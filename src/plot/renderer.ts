/**
 * Static pictures of figures (SVG or PNG) drawn by plotly.js in headless Chromium.
 *
 * Design: one worker thread per process owns one Chromium, started lazily on the first picture
 * and closed when the process exits. A figure's MIME bundle is built synchronously (the display
 * protocol is synchronous), so `renderSync` posts the request and blocks on a shared flag
 * (Atomics.wait) until the worker answers; `render` is the same request awaited instead. When
 * playwright-core or Chromium is missing, a message says so once and figures carry no picture.
 */
import { existsSync } from "node:fs";
import * as path from "node:path";
import { MessageChannel, Worker, receiveMessageOnPort } from "node:worker_threads";
import { LeptonError, t } from "../i18n/index";
import type { RenderReply } from "./render-worker";
import { plotlyPath } from "./plotly-source";

/** A rendered picture: SVG text, or PNG as base64. */
export interface StaticImage {
  mime: "image/svg+xml" | "image/png";
  data: string;
}

export interface RenderSpec {
  data: unknown[];
  layout: Record<string, unknown>;
}

export interface RenderOptions {
  format: "svg" | "png";
  width: number;
  height: number;
  /** Pixel ratio for PNG (2 gives a sharp picture on high-density screens). */
  scale?: number;
}

/** The launch flags: no GPU, no sandbox (containers), and nothing that phones home. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  // The flags above still let Chromium look up accounts.google.com and update.googleapis.com (seen
  // with strace in test/privacy); no name resolves except this machine's, so nothing leaves it.
  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
];

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

/** The Chromium binary: LEPTON_CHROMIUM, else Debian's chromium and its usual neighbours. */
export function chromiumPath(): string | undefined {
  const fromEnv = process.env.LEPTON_CHROMIUM;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  return CANDIDATES.find((p) => existsSync(p));
}

function playwrightPath(): string | undefined {
  try {
    return require.resolve("playwright-core");
  } catch {
    return undefined;
  }
}

let worker: Worker | undefined;
/** Why static pictures cannot be made in this process, once known. */
let unavailable: { code: string; values: Record<string, unknown> } | undefined;
let warned = false;

/** Says once per process why figures carry no static picture. */
function warnOnce(): void {
  if (warned || !unavailable) return;
  warned = true;
  process.stderr.write(t(unavailable.code, unavailable.values) + "\n");
}

function startWorker(): Worker | undefined {
  if (worker) return worker;
  if (unavailable) return undefined;
  const pw = playwrightPath();
  const exe = chromiumPath();
  if (!pw) unavailable = { code: "plot:noPlaywright", values: {} };
  else if (!exe) unavailable = { code: "plot:noChromium", values: { path: process.env.LEPTON_CHROMIUM ?? CANDIDATES[0] } };
  if (unavailable) return undefined;
  const isTs = __filename.endsWith(".ts");
  const file = path.join(__dirname, `render-worker${isTs ? ".ts" : ".js"}`);
  // Under ts-node (tests, notebooks run from source) the worker needs the same TypeScript hook.
  worker = new Worker(`require(${JSON.stringify(file)})`, {
    eval: true,
    workerData: { playwrightPath: pw, executablePath: exe, plotlyPath: plotlyPath(), launchArgs: CHROMIUM_ARGS },
    execArgv: isTs ? ["--require", "ts-node/register/transpile-only"] : [],
    stdout: false,
    stderr: false,
  });
  // The renderer never keeps the process alive; Chromium dies with it (its pipe closes).
  worker.unref();
  worker.on("error", () => { worker = undefined; });
  worker.on("exit", () => { worker = undefined; });
  return worker;
}

let succeeded = false;

function request(spec: RenderSpec, options: RenderOptions) {
  const w = startWorker();
  if (!w) return undefined;
  const { port1, port2 } = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  w.postMessage(
    { type: "render", spec, format: options.format, width: options.width, height: options.height, scale: options.scale ?? 1, port: port2, flag },
    [port2],
  );
  return { port: port1, flag };
}

function accept(reply: RenderReply, format: "svg" | "png"): StaticImage | undefined {
  if (reply.ok) {
    succeeded = true;
    return { mime: format === "svg" ? "image/svg+xml" : "image/png", data: reply.data };
  }
  // A browser that never started will not start for the next figure either.
  if (!succeeded) unavailable = { code: "plot:renderFailed", values: { reason: reply.reason } };
  else process.stderr.write(t("plot:renderFailed", { reason: reply.reason }) + "\n");
  warnOnce();
  return undefined;
}

/**
 * Renders a picture, blocking the calling thread until it is ready (or `timeoutMs` passes).
 * Returns undefined, after saying why once, when no picture can be made.
 */
export function renderSync(spec: RenderSpec, options: RenderOptions, timeoutMs: number): StaticImage | undefined {
  const pending = request(spec, options);
  if (!pending) {
    warnOnce();
    return undefined;
  }
  const waited = Atomics.wait(pending.flag, 0, 0, timeoutMs);
  const message = receiveMessageOnPort(pending.port);
  pending.port.close();
  if (waited === "timed-out" && !message) {
    process.stderr.write(t("plot:renderTimeout", { seconds: Math.round(timeoutMs / 1000) }) + "\n");
    return undefined;
  }
  return message ? accept(message.message as RenderReply, options.format) : undefined;
}

/**
 * Renders a picture without blocking. Rejects with a LeptonError ("plot:staticUnavailable") when
 * no picture can be made in this process.
 */
export async function render(spec: RenderSpec, options: RenderOptions): Promise<StaticImage> {
  const pending = request(spec, options);
  if (!pending) throw unavailableError();
  const reply = await new Promise<RenderReply>((resolve) => pending.port.once("message", resolve));
  pending.port.close();
  const image = accept(reply, options.format);
  if (!image) throw unavailableError(reply.ok ? undefined : reply.reason);
  return image;
}

function unavailableError(reason?: string): LeptonError {
  const why = reason ?? (unavailable ? t(unavailable.code, unavailable.values) : "");
  return new LeptonError("plot:staticUnavailable", { reason: why });
}

/** True when static pictures can be attempted in this process (playwright-core and Chromium found). */
export function staticRenderingAvailable(): boolean {
  return unavailable === undefined && playwrightPath() !== undefined && chromiumPath() !== undefined;
}

/**
 * Closes the renderer's Chromium now (it also closes by itself when the process exits).
 *
 * @example
 * ```ts
 * await lepton.plot.closeRenderer(); // frees the browser's memory in a long-running script
 * ```
 */
export async function closeRenderer(): Promise<void> {
  const w = worker;
  if (!w) return;
  const { port1, port2 } = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  w.postMessage({ type: "close", port: port2, flag }, [port2]);
  await new Promise((resolve) => port1.once("message", resolve));
  port1.close();
  worker = undefined;
  await w.terminate();
}
