import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { LeptonError, locale } from "../../src/i18n/index";
import { DataFrame } from "../../src/data/index";
import * as plot from "../../src/plot/index";
import { resetPlotlyInjection } from "../../src/plot/html";
import { DISPLAY, installHost, type DisplayOptions, type MimeBundle } from "../../src/runtime/host";

const PLOTLY_MIME = "application/vnd.plotly.v1+json";

function sample(): Record<string, plot.Figure> {
  return {
    line: plot.line({ y: { loss: [0.9, 0.5, 0.3], val_loss: [1, 0.7, 0.6] }, title: "Loss", xLabel: "epoch" }),
    scatter: plot.scatter({ x: [1, 2, 3, 4], y: [2, 1, 4, 3], groups: ["a", "a", "b", "c"] }),
    bar: plot.bar({ x: ["cat", "dog"], y: { precision: [0.9, 0.8], recall: [0.7, 0.6] } }),
    histogram: plot.histogram({ values: [1, 2, 2, 3, 3, 3], bins: 3 }),
    box: plot.box({ values: { a: [1, 2, 3, 4], b: [2, 3, 4, 9] } }),
    heatmap: plot.heatmap({ z: [[5, 1], [2, 7]], x: ["cat", "dog"], y: ["cat", "dog"] }),
    imageGrid: plot.imageGrid({ images: tf.zeros([3, 4, 4]), captions: ["a", "b", "c"] }),
    roc: plot.roc([{ name: "A", fpr: [0, 0.5, 1], tpr: [0, 0.9, 1], auc: 0.7 }]),
    precisionRecall: plot.precisionRecall({ precision: [0.5, 1, 1], recall: [1, 0.5, 0] }),
    figure: plot.figure([{ type: "pie", labels: ["a", "b"], values: [1, 2] }]),
  };
}

describe("plot figures", function () {
  this.timeout(60_000);
  before(() => { plot.configure({ staticImage: "svg" }); });
  after(async () => { await plot.closeRenderer(); });

  it("every helper's bundle has plotly JSON, offline HTML, a static SVG and a text summary", () => {
    for (const [name, fig] of Object.entries(sample())) {
      const bundle = fig.bundle({ staticImage: true });
      assert.deepEqual(Object.keys(bundle).sort(), [PLOTLY_MIME, "image/svg+xml", "text/html", "text/plain"].sort(), name);
      const json = bundle[PLOTLY_MIME] as { data: unknown[]; layout: unknown };
      assert.equal(json.data.length, fig.data.length, name);
      const svg = String(bundle["image/svg+xml"]);
      assert.match(svg, /^<svg[^>]*class="main-svg"/, name);
      assert.ok(!/<script[^>]+src=/i.test(String(bundle["text/html"])), `${name}: no external script`);
      assert.ok(String(bundle["text/plain"]).length > 0, name);
    }
  });

  it("the static SVG shows the figure's traces", () => {
    const fig = plot.line({ y: { a: [1, 2, 3], b: [3, 2, 1], c: [2, 2, 2] } });
    const svg = String(fig.bundle({ staticImage: true })["image/svg+xml"]);
    assert.equal((svg.match(/class="trace scatter/g) ?? []).length, 3);
  });

  it("draws the picture in a notebook, not in plain Node, unless it was rendered already", async () => {
    const fig = plot.scatter({ x: [1, 2], y: [3, 4] });
    assert.equal(fig[DISPLAY]()["image/svg+xml"], undefined, "plain Node: text only, no Chromium");
    installHost({ name: "test", display: () => undefined, clearOutput: () => undefined, signal: () => undefined });
    try {
      assert.match(String(fig[DISPLAY]()["image/svg+xml"]), /^<svg/);
    } finally {
      installHost(undefined);
    }
    const other = plot.bar({ x: ["a"], y: [1] });
    const image = await other.render();
    assert.equal(other[DISPLAY]()["image/svg+xml"], image.data, "a rendered picture is kept");
    other.layout.title = { text: "changed" };
    assert.equal(other[DISPLAY]()["image/svg+xml"], undefined, "but not once the figure changed");
  });

  it("inlines plotly.js in the first output only; later outputs reuse window.Plotly", () => {
    resetPlotlyInjection();
    const first = String(plot.line({ y: [1, 2] })[DISPLAY]()["text/html"]);
    const second = String(plot.line({ y: [2, 1] })[DISPLAY]()["text/html"]);
    assert.ok(first.length > 3_000_000, `first output carries plotly.js (${first.length} chars)`);
    assert.ok(first.includes("window.Plotly = Plotly"));
    assert.ok(second.length < 50_000, `second output is small (${second.length} chars)`);
    assert.ok(!second.includes("window.Plotly = Plotly"));
    assert.ok(second.includes("window.Plotly.newPlot"));
  });

  it("the text summary names kind, title and traces, in the current locale", () => {
    const fig = plot.line({ y: { loss: [1, 0.5, 0.2] }, title: "Loss" });
    assert.equal(fig.toString(), 'Figure (line) "Loss": loss (3 points)');
    locale("zh-CN");
    try {
      assert.equal(fig.toString(), "图表（line）“Loss”：loss（3 个点）");
    } finally {
      locale("en");
    }
  });

  it("a live figure shows once and then updates the same output in place", () => {
    const sent: [MimeBundle, DisplayOptions | undefined][] = [];
    installHost({ name: "test", display: (b, o) => sent.push([b, o]), clearOutput: () => undefined, signal: () => undefined });
    try {
      resetPlotlyInjection();
      const fig = plot.line({ y: { loss: [1] } });
      const id = fig.show();
      (fig.data[0].y as number[]).push(0.5);
      fig.update();
      fig.update(plot.line({ y: { loss: [1, 0.5, 0.25] } }), { staticImage: true });
      // plotly.js travels in an output of its own, never in one that updates replace.
      assert.equal(sent.length, 4);
      assert.ok(String(sent[0][0]["text/html"]).includes("window.Plotly = Plotly"));
      assert.equal(sent[0][1]?.displayId, undefined);
      for (const [bundle, options] of sent.slice(1)) {
        assert.equal(options?.displayId, id);
        assert.ok(!String(bundle["text/html"]).includes("window.Plotly = Plotly"));
      }
      assert.equal(sent[1][1]?.update, undefined);
      assert.equal(sent[2][1]?.update, true);
      assert.equal(sent[3][1]?.update, true);
      assert.deepEqual(((sent[2][0][PLOTLY_MIME] as { data: { y: number[] }[] }).data[0].y), [1, 0.5]);
      assert.equal(sent[2][0]["image/svg+xml"], undefined, "plain updates skip the picture");
      assert.match(String(sent[3][0]["image/svg+xml"]), /<svg/, "the last update carries the picture");
    } finally {
      installHost(undefined);
    }
  });

  it("saves figures as HTML, SVG and PNG", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "lepton-plot-"));
    const fig = plot.bar({ x: ["a", "b"], y: [1, 2], title: "Saved" });
    const html = readFileSync(await plot.save(fig, path.join(dir, "f.html")), "utf8");
    assert.match(html, /^<!doctype html>/);
    assert.ok(html.includes("window.Plotly = Plotly") && html.includes("<title>Saved</title>"));
    assert.match(readFileSync(await plot.save(fig, path.join(dir, "f.svg")), "utf8"), /^<svg/);
    const png = readFileSync(await plot.save(fig, path.join(dir, "sub", "f.png")));
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(png.readUInt32BE(16), 1400, "PNG at twice the 700 px width");
    await assert.rejects(plot.save(fig, path.join(dir, "f.jpg")), (e: LeptonError) => e.code === "plot:badSaveExtension");
  });

  it("charts from a DataFrame by column name equal the same charts from arrays, axes titled by column", () => {
    const df = DataFrame.fromColumns({
      length: [1.4, 4.7, 5.1, 1.3, null], width: [0.2, 1.4, 1.8, 0.2, 0.5], species: ["setosa", "versicolor", "virginica", "setosa", "virginica"],
    });
    const same = (a: plot.Figure, b: plot.Figure, what: string) => assert.deepEqual(a.toJSON().data, b.toJSON().data, what);
    const len = [1.4, 4.7, 5.1, 1.3, NaN], wid = [0.2, 1.4, 1.8, 0.2, 0.5];
    const species = ["setosa", "versicolor", "virginica", "setosa", "virginica"];
    const sc = plot.scatter({ data: df, x: "length", y: "width", groups: "species", text: "species" });
    same(sc, plot.scatter({ x: len, y: wid, groups: species, text: species }), "scatter");
    assert.equal(sc.toJSON().data.length, 3, "one trace per species");
    assert.deepEqual([(sc.toJSON().layout.xaxis as any).title.text, (sc.toJSON().layout.yaxis as any).title.text], ["length", "width"]);
    same(plot.line({ data: df, x: "width", y: ["length", "width"] }), plot.line({ x: wid, y: { length: len, width: wid } }), "line");
    const counts = df.valueCounts("species");
    const b = plot.bar({ data: counts, x: "species", y: "count" });
    same(b, plot.bar({ x: ["setosa", "virginica", "versicolor"], y: { count: [2, 2, 1] } }), "bar from valueCounts");
    assert.equal((b.toJSON().layout.yaxis as any).title.text, "count");
    const h = plot.histogram({ data: df, values: "width", groups: "species", bins: 4 });
    same(h, plot.histogram({ values: { setosa: [0.2, 0.2], versicolor: [1.4], virginica: [1.8, 0.5] }, bins: 4 }), "histogram by group");
    assert.deepEqual(new Set(h.toJSON().data.map((t) => t.bingroup)).size, 1, "overlaid samples share their bins");
    assert.equal(plot.histogram({ values: [1, 2] }).toJSON().data[0].bingroup, undefined);
    same(plot.box({ data: df, values: "width", groups: species }), plot.box({ values: { setosa: [0.2, 0.2], versicolor: [1.4], virginica: [1.8, 0.5] } }), "box by group");
    // a date column on x becomes ISO timestamps (plotly draws a date axis), not milliseconds
    const days = df.withColumn("day", { kind: "number", dtype: "date", values: Float64Array.from([0, 1, 2, 3, 4], (d) => Date.UTC(2026, 0, 1 + d)) });
    const trend = plot.line({ data: days, x: "day", y: "width" }).toJSON().data[0];
    assert.deepEqual((trend.x as string[]).slice(0, 2), ["2026-01-01T00:00:00.000Z", "2026-01-02T00:00:00.000Z"]);
    assert.equal((plot.scatter({ data: days, x: "day", y: "width" }).toJSON().data[0].x as string[])[4], "2026-01-05T00:00:00.000Z");
    // bad input names the option and the column
    assert.throws(() => plot.scatter({ x: "length", y: "width" }), (e: LeptonError) => e.code === "plot:columnWithoutData" && /length/.test(e.message) && /data: df/.test(e.message));
    assert.throws(() => plot.scatter({ data: df, x: "species", y: "width" }), (e: LeptonError) => e.code === "plot:columnNotNumbers" && /setosa/.test(e.message));
    assert.throws(() => plot.scatter({ data: df, x: "lenght", y: "width" }), (e: LeptonError) => e.code === "data:unknownColumn" && /length/.test(e.message));
    assert.throws(() => plot.histogram({ data: df, values: ["length", "width"], groups: "species" }), (e: LeptonError) => e.code === "plot:groupsNeedOneSample");
  });

  it("an image grid makes its cells wide enough for their captions", () => {
    const images = tf.zeros([4, 28, 28]);
    const width = (captions?: string[]) => plot.imageGrid({ images, captions }).toJSON().layout.width as number;
    const long = ["8 / 9 / 2.28 / 10%", "7 / 3 / 2.12 / 12%", "2 / 7 / 2 / 14%", "8 / 0 / 1.59 / 20%"];
    const perCell = (w: number) => (w - 20) / 4 - 8;
    assert.ok(perCell(width(long)) >= 18 * 6.5, `cell ${perCell(width(long))} px for 18 characters`);
    assert.equal(width(["1", "2", "3", "4"]), width(), "short captions keep the image's own size");
    images.dispose();
  });

  it("rejects bad input with clear errors", () => {
    assert.throws(() => plot.line({ x: [1, 2], y: { loss: [1, 2, 3] } }), (e: LeptonError) => e.code === "plot:lengthMismatch" && /loss/.test(e.message));
    assert.throws(() => plot.line({ y: {} }), (e: LeptonError) => e.code === "plot:noSeries");
    assert.throws(() => plot.line({ y: ["a"] as unknown as number[] }), (e: LeptonError) => e.code === "plot:notNumbers");
    assert.throws(() => plot.heatmap({ z: [[1, 2], [3]] }), (e: LeptonError) => e.code === "plot:notMatrix");
    assert.throws(() => plot.heatmap({ z: [[1, 2]], x: ["a"] }), (e: LeptonError) => e.code === "plot:labelsMismatch");
    assert.throws(() => plot.imageGrid({ images: tf.zeros([2, 4, 4, 2]) }), (e: LeptonError) => e.code === "plot:imageShape");
    assert.throws(() => plot.imageGrid({ images: tf.zeros([2, 4, 4]), captions: ["a"] }), (e: LeptonError) => e.code === "plot:captionsLength");
    assert.throws(() => plot.roc({ fpr: [0, 1], tpr: [1] }), (e: LeptonError) => e.code === "plot:curveLengths");
  });

  it("without Chromium says so once, clearly, and figures carry no static image", () => {
    const script = `
      const plot = require(${JSON.stringify(path.resolve(__dirname, "../../src/plot/index.ts"))});
      const a = plot.line({ y: [1, 2] }).bundle({ staticImage: true });
      const b = plot.line({ y: [2, 1] }).bundle({ staticImage: true });
      console.log(JSON.stringify([Object.keys(a).sort(), Object.keys(b).sort()]));`;
    const run = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], {
      cwd: path.resolve(__dirname, "../.."),
      env: { ...process.env, LEPTON_CHROMIUM: "/nonexistent/chromium", LEPTON_LOCALE: "en" },
      encoding: "utf8",
    });
    assert.equal(run.status, 0, run.stderr);
    const keys = JSON.parse(run.stdout.trim().split("\n").pop()!) as string[][];
    const warnings = run.stderr.split("\n").filter((l) => l.includes("no Chromium found at /nonexistent/chromium"));
    assert.equal(warnings.length, 1, run.stderr);
    assert.match(warnings[0], /apt-get install chromium/);
    assert.deepEqual(keys[0], [PLOTLY_MIME, "text/html", "text/plain"]);
    assert.deepEqual(keys[1], [PLOTLY_MIME, "text/html", "text/plain"]);
  });
});
