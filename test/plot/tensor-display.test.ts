/**
 * Tensors in a notebook: the display method installed on tf.Tensor.prototype gives a bounded text
 * preview, HTML tables for 0-2 dimensions and PNG pictures for image-like tensors, reads only what
 * it shows, leaks no tensors and never throws (disposed tensors included).
 */
import { strict as assert } from "node:assert";
import * as tf from "@tensorflow/tfjs";
import { decodePng } from "../../src/data/images/png";
import { locale } from "../../src/i18n/index";
import * as plot from "../../src/plot/index";
import { DISPLAY, toBundle } from "../../src/runtime/host";
import { bundleOf } from "../../kernel/exec/display";

const text = (x: tf.Tensor) => String(toBundle(x as never)["text/plain"]);
const html = (x: tf.Tensor) => String(toBundle(x as never)["text/html"]);
const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;

/** Data-URL PNGs in an HTML fragment, decoded. */
function pngsIn(fragment: string) {
  return [...fragment.matchAll(/src="data:image\/png;base64,([^"]+)"/g)].map((m) => decodePng(Buffer.from(m[1], "base64")));
}

/** The texts of the cells of each table row. */
function rowsOf(fragment: string): string[][] {
  return [...fragment.matchAll(/<tr>(.*?)<\/tr>/g)].map((m) => [...m[1].matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map((c) => c[1]));
}

/** Runs `fn`, recording the size of every tensor downloaded meanwhile (the values still come from tfjs). */
function recordingReads<T>(fn: () => T): { result: T; read: number[] } {
  const read: number[] = [];
  const original = tf.Tensor.prototype.dataSync;
  tf.Tensor.prototype.dataSync = function (this: tf.Tensor) {
    read.push(this.size);
    return original.call(this);
  } as typeof original;
  try {
    return { result: fn(), read };
  } finally {
    tf.Tensor.prototype.dataSync = original;
  }
}

describe("tensor display", function () {
  this.timeout(60_000);

  it("is installed on every tensor and variable when the library loads, and the kernel uses it", () => {
    const x = tf.tensor2d([[1, 2], [3, 4]], undefined, "int32");
    const v = tf.variable(tf.zeros([2]));
    assert.equal(typeof (x as unknown as Record<symbol, unknown>)[DISPLAY], "function");
    assert.equal(typeof (v as unknown as Record<symbol, unknown>)[DISPLAY], "function");
    const bundle = bundleOf(x); // what the kernel sends for a cell's last expression
    assert.equal(bundle["text/plain"], "Tensor int32 [2, 2]\n[[1, 2],\n [3, 4]]");
    assert.match(String(bundle["text/html"]), /<table class="lepton-tensor">/);
    assert.deepEqual(plot.tensorBundle(x), bundle);
    x.dispose();
    v.dispose();
  });

  it("previews small tensors whole, aligned, in every dtype", () => {
    const cases: [tf.Tensor, string][] = [
      [tf.scalar(3.5), "Tensor float32 []\n3.5000"],
      [tf.tensor1d([1, -20, 300]), "Tensor float32 [3]\n[  1, -20, 300]"],
      [tf.tensor1d([0.5, 0.25]), "Tensor float32 [2]\n[0.5000, 0.2500]"],
      [tf.tensor1d([1e-7, 3e8, NaN]), "Tensor float32 [3]\n[1.000e-7, 3.000e+8,      NaN]"],
      [tf.tensor3d([[[1], [2]], [[3], [4]]], undefined, "int32"), "Tensor int32 [2, 2, 1]\n[[[1],\n  [2]],\n\n [[3],\n  [4]]]"],
      [tf.tensor1d([true, false], "bool"), "Tensor bool [2]\n[ true, false]"],
      [tf.tensor1d(["a", "<b>"], "string"), 'Tensor string [2]\n[  "a", "<b>"]'],
    ];
    for (const [x, expected] of cases) {
      assert.equal(text(x), expected);
      x.dispose();
    }
    const s = tf.tensor1d(["a", "<b>"], "string");
    assert.ok(html(s).includes("&quot;&lt;b&gt;&quot;"), "strings are escaped in HTML");
    s.dispose();
  });

  it("cuts long axes to their edges, with the right values, reading only what it shows", () => {
    const x = tf.tidy(() => tf.range(0, 1000 * 1000, 1, "int32").reshape([1000, 1000]));
    const before = tf.memory().numTensors;
    const { result: [plain, table], read } = recordingReads(() => [text(x), html(x)]);
    assert.equal(tf.memory().numTensors, before, "no tensor leaked");
    assert.ok(Math.max(...read) <= 400, `at most 20x20 values read at once, read ${JSON.stringify(read)}`);
    const lines = plain.split("\n");
    assert.equal(lines[0], "Tensor int32 [1000, 1000]");
    assert.equal(lines[1], "[[     0,      1,      2, ...,    997,    998,    999],");
    assert.equal(lines[4], " ...,");
    assert.equal(lines[7], " [999000, 999001, 999002, ..., 999997, 999998, 999999]]");
    assert.equal(lines.length, 8);

    const rows = rowsOf(table);
    assert.equal(rows.length, 1 + 20 + 1, "header, 10 + 10 rows and one ⋮ row");
    assert.deepEqual(rows[0].slice(0, 2), ["", "0"]);
    assert.equal(rows[0][11], "…");
    assert.equal(rows[0][21], "999");
    assert.equal(rows[11][0], "⋮");
    assert.deepEqual([rows[1][0], rows[1][1], rows[1][21]], ["0", "0", "999"]);
    assert.deepEqual([rows[21][0], rows[21][1], rows[21][21]], ["999", "999000", "999999"]);
    x.dispose();
  });

  it("shows many-dimensional tensors as bounded text in HTML too", () => {
    const x = tf.zeros([30, 30, 30, 30]);
    const plain = text(x);
    assert.equal(count(plain, /\b0\b/g), 6 ** 4, "3 + 3 entries of each axis, not 810000 values");
    assert.ok(count(plain, /\.\.\./g) > 0);
    const h = html(x);
    assert.match(h, /<pre/);
    assert.ok(h.includes("Tensor float32 [30, 30, 30, 30]"));
    x.dispose();
  });

  it("draws image-like tensors as PNGs with the tensor's pixels", () => {
    const grey = tf.tidy(() => tf.linspace(0, 1, 16 * 12).reshape([16, 12]));
    const [img] = pngsIn(html(grey));
    assert.ok(img, "a [h, w] tensor in 0..1 is a picture");
    assert.deepEqual([img.width, img.height, img.channels], [12, 16, 1]);
    const want = Array.from(grey.dataSync(), (v) => Math.min(255, Math.round(v * 255)));
    assert.deepEqual(Array.from(img.data), want);
    assert.match(html(grey), /<details><summary[^>]*>values<\/summary><table class="lepton-tensor">/, "the table is still there, folded");

    const rgb = tf.tidy(() => tf.randomUniform([10, 9, 3], 0, 256, "int32"));
    const [colour] = pngsIn(html(rgb));
    assert.deepEqual([colour.width, colour.height, colour.channels], [9, 10, 3]);
    assert.deepEqual(Array.from(colour.data), Array.from(rgb.dataSync()));

    const batch = tf.tidy(() => tf.randomUniform([12, 8, 8, 1]));
    const shown = pngsIn(html(batch));
    assert.equal(shown.length, 8, "the first 8 of a batch");
    const first = tf.tidy(() => batch.slice([1, 0, 0, 0], [1, 8, 8, 1]).mul(255).round());
    assert.deepEqual(Array.from(shown[1].data), Array.from(first.dataSync()));
    assert.ok(html(batch).includes("The first 8 of 12 images."));

    // Large pictures: never more than about 4M values downloaded for a batch.
    const big = tf.zeros([10, 1000, 1000, 3]);
    const { result: bigHtml, read: bigRead } = recordingReads(() => html(big));
    assert.equal(pngsIn(bigHtml).length, 1, "one 1000x1000 RGB picture fits the budget");
    assert.ok(Math.max(...bigRead) <= 4 * 1024 * 1024, JSON.stringify(bigRead));
    assert.ok(bigHtml.includes("The first 1 of 10 images."));
    big.dispose();

    const notImages = [
      tf.randomNormal([16, 16], 0, 3), // outside 0..1
      tf.randomUniform([16, 16], 0, 300, "int32"), // outside 0..255
      tf.randomUniform([3, 4]), // a small matrix, not a picture
      tf.randomUniform([16, 16, 2]), // two channels
    ];
    for (const x of notImages) assert.equal(pngsIn(html(x)).length, 0, `[${x.shape}] ${x.dtype}`);
    tf.dispose([grey, rgb, batch, first, ...notImages]);
  });

  it("disposed and complex tensors display without throwing", () => {
    const x = tf.ones([2, 3]);
    x.dispose();
    const bundle = toBundle(x as never);
    assert.equal(bundle["text/plain"], "Tensor (disposed) float32 [2, 3]");
    assert.match(String(bundle["text/html"]), /disposed/);
    // complex64 exists on the cpu backend only (wasm has no Complex kernel).
    const previous = tf.getBackend();
    tf.setBackend("cpu");
    try {
      const c = tf.complex([1, 2], [3, 4]);
      assert.match(text(c), /^Tensor complex64 \[2\]\nValues not shown: .*tf\.real/);
      c.dispose();
    } finally {
      tf.setBackend(previous);
    }
  });

  it("speaks the notebook's language", () => {
    const x = tf.tensor1d([1, 2]);
    const d = tf.zeros([1]);
    d.dispose();
    locale("zh-CN");
    try {
      assert.ok(text(x).startsWith("张量 float32 [2]"));
      assert.ok(text(d).startsWith("张量（已释放）"));
    } finally {
      locale("en");
    }
    x.dispose();
  });
});
