import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import * as tf from "@tensorflow/tfjs";
import { datasets } from "../../src/data/toplevel";
import { datasetsDir } from "../../src/data/datasets/location";
import { readMnistRaw } from "../../src/data/datasets/mnist";
import { DISPLAY } from "../../src/runtime/host";
import { LeptonError } from "../../src/i18n/index";

const md5 = (b: Buffer) => createHash("md5").update(b).digest("hex");
const counts = (labels: ArrayLike<number>, k: number) => {
  const c = new Array<number>(k).fill(0);
  for (let i = 0; i < labels.length; i++) c[labels[i]] += 1;
  return c;
};

describe("data: bundled data sets (SOURCES.md checks)", () => {
  it("MNIST files have the documented uncompressed MD5s", () => {
    const dir = datasetsDir();
    assert.equal(md5(zlib.gunzipSync(fs.readFileSync(path.join(dir, "mnist/t10k-images-idx3-ubyte.gz")))), "2646ac647ad5339dbf082846283269ea");
    assert.equal(md5(zlib.gunzipSync(fs.readFileSync(path.join(dir, "mnist/t10k-labels-idx1-ubyte.gz")))), "27ae3e4e09519cfbb04c329615203637");
  });

  it("MNIST labels per class match SOURCES.md and the split is 8,000 / 2,000, stratified", async () => {
    const raw = readMnistRaw();
    assert.deepEqual(counts(raw.labels, 10), [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    const { train, test, classes } = await datasets.load("mnist");
    assert.equal(train.length, 8000);
    assert.equal(test.length, 2000);
    assert.deepEqual(classes, ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
    const all = counts(train.labels, 10).map((c, i) => c + counts(test.labels, 10)[i]);
    assert.deepEqual(all, [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    // stratified: each class's test share is 20% within one sample
    counts(test.labels, 10).forEach((c, i) => assert.ok(Math.abs(c - all[i] * 0.2) <= 1, `class ${i}: ${c}`));
    assert.deepEqual(train.x.shape, [8000, 28, 28, 1]);
    assert.equal(train.x.dtype, "float32");
    assert.equal(train.y.dtype, "int32");
    const max = train.x.max().dataSync()[0], min = train.x.min().dataSync()[0];
    assert.ok(max <= 1 && max > 0.99 && min === 0);
    train.dispose(); test.dispose();
  });

  it("a split's cached tensors survive a first read inside tf.tidy", async () => {
    const { train } = await datasets.load("iris");
    const sum = tf.tidy(() => train.x.sum().arraySync() as number);
    assert.ok(sum > 0);
    assert.equal(train.x.isDisposed, false, "tidy did not dispose the cached tensor");
    assert.deepEqual(train.x.shape, [train.length, 4]);
    train.dispose();
  });

  it("splits are reproducible from the seed and differ between seeds", async () => {
    const a = await datasets.load("iris", { seed: 1 });
    const b = await datasets.load("iris", { seed: 1 });
    const c = await datasets.load("iris", { seed: 2 });
    assert.deepEqual(a.train.features, b.train.features);
    assert.notDeepEqual(a.train.features, c.train.features);
  });

  it("breast_cancer: 212 malignant (0), 357 benign (1), 30 features", async () => {
    const d = await datasets.load("breast-cancer");
    assert.deepEqual(d.classes, ["malignant", "benign"]);
    const all = counts(d.train.labels, 2).map((c, i) => c + counts(d.test.labels, 2)[i]);
    assert.deepEqual(all, [212, 357]);
    assert.deepEqual(d.train.x.shape, [d.train.length, 30]);
    assert.equal(d.train.featureNames!.length, 30);
    assert.equal(d.train.length + d.test.length, 569);
  });

  it("digits: 1797 rows, 64 features, about 180 per class", async () => {
    const d = await datasets.load("digits");
    assert.equal(d.train.length + d.test.length, 1797);
    assert.deepEqual(d.train.sampleShape, [8, 8, 1]);
    const all = counts(d.train.labels, 10).map((c, i) => c + counts(d.test.labels, 10)[i]);
    for (const c of all) assert.ok(c >= 170 && c <= 190, String(c));
  });

  it("iris: 50 per class", async () => {
    const d = await datasets.load("iris", { testSize: 30 });
    assert.equal(d.test.length, 30);
    assert.deepEqual(counts(d.test.labels, 3), [10, 10, 10]);
    const all = counts(d.train.labels, 3).map((c, i) => c + counts(d.test.labels, 3)[i]);
    assert.deepEqual(all, [50, 50, 50]);
  });

  it("udhr-langid: >= 10 languages incl. non-Latin scripts, sentences split into train/test", async () => {
    const d = await datasets.load("udhr-langid");
    assert.ok(d.classes.length >= 10);
    for (const c of ["eng", "rus", "cmn", "arb", "hin", "jpn", "kor", "ell"]) assert.ok(d.classes.includes(c), c);
    const hasScript = (re: RegExp, lang: string) =>
      d.train.texts.some((s, i) => d.classes[d.train.labels[i]] === lang && re.test(s));
    assert.ok(hasScript(/\p{Script=Han}/u, "cmn"));
    assert.ok(hasScript(/\p{Script=Arabic}/u, "arb"));
    assert.ok(hasScript(/\p{Script=Devanagari}/u, "hin"));
    assert.ok(hasScript(/\p{Script=Cyrillic}/u, "rus"));
    assert.ok(hasScript(/\p{Script=Hangul}/u, "kor"));
    for (const c of counts(d.test.labels, d.classes.length)) assert.ok(c >= 5);
    const trainSet = new Set(d.train.texts);
    const leaked = d.test.texts.filter((s) => trainSet.has(s)).length;
    assert.ok(leaked < d.test.length * 0.05, `sentences in both splits: ${leaked}`);
  });

  it("list() shows every data set with size, task and licence; unknown names say what exists", async () => {
    const table = datasets.list();
    assert.deepEqual(table.rows.map((r) => r.name), ["mnist", "breast-cancer", "digits", "iris", "udhr-langid"]);
    const html = String(table[DISPLAY]()["text/html"]);
    assert.match(html, /CC BY-SA 3\.0/);
    assert.match(String(table[DISPLAY]()["text/plain"]), /10,000/);
    assert.match(String(datasets.info("iris")[DISPLAY]()["text/plain"]), /Fisher/);
    await assert.rejects(datasets.load("cifar"), (e: LeptonError) => e.code === "data:unknownDataset" && /mnist/.test(e.message));
  });
});
