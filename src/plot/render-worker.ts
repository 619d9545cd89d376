/**
 * The static-image renderer's thread: it owns the one headless Chromium of the process.
 *
 * It runs in a worker so that the main thread can wait for an image synchronously (Atomics.wait
 * on a shared flag) while Chromium and playwright do their async work here. Requests are served one
 * at a time on a single page that has plotly.js loaded once.
 */
import { parentPort, workerData, type MessagePort } from "node:worker_threads";
import { readFileSync } from "node:fs";

/** What the main thread asks for. */
export interface RenderRequest {
  type: "render";
  spec: { data: unknown[]; layout: Record<string, unknown> };
  format: "svg" | "png";
  width: number;
  height: number;
  scale: number;
  port: MessagePort;
  flag: Int32Array;
}

export interface CloseRequest {
  type: "close";
  port: MessagePort;
  flag: Int32Array;
}

/** The answer posted on the request's port; `data` is SVG text or PNG base64. */
export type RenderReply = { ok: true; data: string } | { ok: false; reason: string };

interface Config {
  playwrightPath: string;
  executablePath: string;
  plotlyPath: string;
  launchArgs: string[];
}

type Browser = { newPage(): Promise<Page>; close(): Promise<void> };
type Page = {
  route(url: string, handler: (route: { abort(): Promise<void> }) => Promise<void>): Promise<void>;
  setContent(html: string): Promise<void>;
  addScriptTag(options: { content: string }): Promise<unknown>;
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
};

const config = workerData as Config;
let browser: Browser | undefined;
let page: Promise<Page> | undefined;
let queue: Promise<unknown> = Promise.resolve();

async function openPage(): Promise<Page> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { chromium } = require(config.playwrightPath) as {
    chromium: { launch(o: { executablePath: string; args: string[]; headless: boolean }): Promise<Browser> };
  };
  browser = await chromium.launch({ executablePath: config.executablePath, args: config.launchArgs, headless: true });
  const p = await browser.newPage();
  // The renderer never needs the network: refuse every request (fonts, map tiles, MathJax).
  await p.route("**/*", (route) => route.abort());
  await p.setContent("<!doctype html><html><head><meta charset=\"utf-8\"></head><body></body></html>");
  await p.addScriptTag({ content: readFileSync(config.plotlyPath, "utf8") });
  return p;
}

async function render(req: RenderRequest): Promise<RenderReply> {
  page ??= openPage();
  const p = await page;
  const url = await p.evaluate(
    async (arg: { spec: RenderRequest["spec"]; format: string; width: number; height: number; scale: number }) => {
      const w = window as unknown as { Plotly: Record<string, (...a: unknown[]) => Promise<unknown>> };
      const div = document.createElement("div");
      document.body.appendChild(div);
      try {
        await w.Plotly.newPlot(div, arg.spec.data, { ...arg.spec.layout, width: arg.width, height: arg.height }, { staticPlot: true });
        return (await w.Plotly.toImage(div, { format: arg.format, width: arg.width, height: arg.height, scale: arg.scale })) as string;
      } finally {
        await w.Plotly.purge(div);
        div.remove();
      }
    },
    { spec: req.spec, format: req.format, width: req.width, height: req.height, scale: req.scale },
  );
  if (req.format === "svg") {
    const comma = url.indexOf(",");
    const body = url.slice(comma + 1);
    return { ok: true, data: url.slice(0, comma).endsWith(";base64") ? Buffer.from(body, "base64").toString("utf8") : decodeURIComponent(body) };
  }
  return { ok: true, data: url.slice(url.indexOf(",") + 1) };
}

function answer(req: { port: MessagePort; flag: Int32Array }, reply: RenderReply): void {
  req.port.postMessage(reply);
  req.port.close();
  Atomics.store(req.flag, 0, 1);
  Atomics.notify(req.flag, 0);
}

async function close(): Promise<void> {
  const b = browser;
  browser = undefined;
  page = undefined;
  if (b) await b.close().catch(() => undefined);
}

parentPort?.on("message", (req: RenderRequest | CloseRequest) => {
  queue = queue.then(async () => {
    if (req.type === "close") {
      await close();
      answer(req, { ok: true, data: "" });
      return;
    }
    try {
      answer(req, await render(req));
    } catch (e) {
      // Start afresh next time (a crashed page or browser); the main thread stops asking when
      // the very first launch fails.
      await close();
      answer(req, { ok: false, reason: String((e as Error)?.message ?? e).split("\n")[0] });
    }
  });
});
