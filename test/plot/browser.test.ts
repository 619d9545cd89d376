/**
 * The exported-notebook check: figures' text/html outputs, put one after another in a page the way
 * nbconvert exports a notebook, opened from disk in headless Chromium with every network request
 * refused, must draw as SVG charts with the right number of traces.
 */
import { strict as assert } from "node:assert";
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import * as tf from "@tensorflow/tfjs";
import { chromium, type Browser } from "playwright-core";
import * as plot from "../../src/plot/index";
import { resetPlotlyInjection } from "../../src/plot/html";
import { CHROMIUM_ARGS, chromiumPath } from "../../src/plot/renderer";
import { DISPLAY } from "../../src/runtime/host";

describe("plot in an exported notebook page (headless Chromium, network off)", function () {
  this.timeout(90_000);
  let browser: Browser;
  const dir = mkdtempSync(path.join(tmpdir(), "lepton-export-"));

  before(async function () {
    const exe = chromiumPath();
    if (!exe) throw new Error("Chromium is required for this test: apt-get install chromium");
    browser = await chromium.launch({ executablePath: exe, args: CHROMIUM_ARGS, headless: true });
  });
  after(async () => {
    await browser?.close();
    await plot.closeRenderer();
  });

  it("draws every figure from the plotly.js carried by the first output", async () => {
    plot.configure({ staticImage: "none" }); // what is counted is drawn by plotly.js in the page
    resetPlotlyInjection();
    const gradient = tf.tidy(() => tf.linspace(0, 1, 3 * 8 * 8).reshape([3, 8, 8]));
    const figures = [
      plot.line({ x: [1, 2, 3, 4, 5], y: { loss: [1.2, 0.8, 0.55, 0.42, 0.37], val_loss: [1.3, 0.9, 0.7, 0.66, 0.65] }, title: "Training", xLabel: "epoch", yLabel: "loss" }),
      plot.bar({ x: ["cat", "dog", "bird"], y: { precision: [0.9, 0.8, 0.7], recall: [0.85, 0.75, 0.9] }, title: "Per class" }),
      plot.heatmap({ z: [[50, 2, 1], [3, 40, 7], [0, 5, 45]], x: ["cat", "dog", "bird"], y: ["cat", "dog", "bird"], title: "Confusion matrix", xLabel: "predicted", yLabel: "actual" }),
      plot.imageGrid({ images: gradient, captions: ["first", "second", "third"], title: "Samples" }),
    ];
    const outputs = figures.map((f) => String(f[DISPLAY]()["text/html"]));
    gradient.dispose();
    plot.configure({ staticImage: "svg" });
    assert.ok(outputs[0].includes("window.Plotly = Plotly") && !outputs.slice(1).some((o) => o.includes("window.Plotly = Plotly")));
    const page = `<!doctype html><html><head><meta charset="utf-8"><title>export</title></head><body>
${outputs.map((o, i) => `<div class="jp-Cell"><div class="jp-OutputArea-output" data-cell="${i}">${o}</div></div>`).join("\n")}
</body></html>`;
    const file = path.join(dir, "notebook.html");
    writeFileSync(file, page);

    const tab = await browser.newPage({ viewport: { width: 900, height: 1900 } });
    const refused: string[] = [];
    await tab.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith("file:")) return route.continue();
      refused.push(url);
      return route.abort();
    });
    const errors: string[] = [];
    tab.on("pageerror", (e) => errors.push(e.message));
    await tab.goto(pathToFileURL(file).href);
    await tab.waitForFunction(() => document.querySelectorAll(".js-plotly-plot .main-svg").length >= 4, undefined, { timeout: 30_000 });
    const counts = await tab.evaluate(() => {
      const cells = Array.from(document.querySelectorAll("[data-cell]"));
      const n = (i: number, sel: string) => cells[i].querySelectorAll(sel).length;
      return {
        plots: document.querySelectorAll(".js-plotly-plot").length,
        lineTraces: n(0, ".scatterlayer .trace"),
        barTraces: n(1, ".barlayer .trace"),
        heatmaps: n(2, ".heatmaplayer .hm"),
        heatmapTexts: n(2, ".heatmaplayer text"),
        images: n(3, ".imagelayer image"),
        svgInEveryCell: cells.every((c) => c.querySelector("svg.main-svg") !== null),
      };
    });
    assert.deepEqual(errors, []);
    assert.deepEqual(refused, [], "the page asked for nothing over the network");
    assert.equal(counts.plots, 4);
    assert.ok(counts.svgInEveryCell);
    assert.equal(counts.lineTraces, 2);
    assert.equal(counts.barTraces, 2);
    assert.equal(counts.heatmaps, 1);
    assert.equal(counts.heatmapTexts, 9, "every confusion-matrix cell is annotated");
    assert.equal(counts.images, 3);

    // The image grid's PNGs decode to the pixels that went in (the encoder is ours).
    const pixels = await tab.evaluate(async () => {
      const img = document.querySelector("[data-cell='3'] .imagelayer image")!;
      const src = img.getAttribute("href") ?? img.getAttribute("xlink:href")!;
      const el = new Image();
      el.src = src;
      await el.decode();
      const canvas = document.createElement("canvas");
      canvas.width = el.width; canvas.height = el.height;
      const ctx = canvas.getContext("2d")!;
      ctx.drawImage(el, 0, 0);
      const data = ctx.getImageData(0, 0, el.width, el.height).data;
      return { width: el.width, height: el.height, first: data[0], last: data[data.length - 4] };
    });
    assert.deepEqual([pixels.width, pixels.height], [8, 8]);
    assert.equal(pixels.first, 0);
    assert.equal(pixels.last, Math.round((63 / 191) * 255));

    const shot = path.join(dir, "plot.png");
    await tab.screenshot({ path: shot, fullPage: true });
    await tab.close();
    if (process.env.LEPTON_SCREENSHOTS) {
      const docs = path.resolve(__dirname, "../../docs/screenshots");
      mkdirSync(docs, { recursive: true });
      copyFileSync(shot, path.join(docs, "plot.png"));
    }
  });
});
