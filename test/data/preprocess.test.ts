import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as jpeg from "jpeg-js";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import {
  batches, charNoise, clean, DataFrame, decodePng, encodePng, imageAugmenter, kFold, LabelEncoder, MinMaxScaler,
  OneHotEncoder, parseCSV, Pipeline, readImage, readImageFolder, rng, StandardScaler, stratifiedKFold, streamBatches, toTensor,
  transformFromJSON, trainTestSplit, trainValTestSplit,
} from "../../src/data/index";
import { LeptonError } from "../../src/i18n/index";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lepton-data-prep-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("data: cleaning", () => {
  it("drops and fills per column, de-duplicates and clips, and reports each change", () => {
    const df = parseCSV("age,city,income,label\n30,Paris,100,a\n,Lima,200,b\n40,,300,\n30,Paris,100,a\n50,Lima,100000,b\n");
    const { frame, report } = clean(df, {
      missing: { age: "median", city: "mode", label: "drop" },
      dropDuplicates: true,
      clip: { income: [0, 1000] },
    });
    assert.equal(report.rowsBefore, 5);
    assert.equal(frame.length, 3); // one row without label, one duplicate
    assert.deepEqual(frame.values("age"), [30, 30, 50]); // median of the rows kept (30, 30, 50)
    assert.deepEqual(frame.values("income"), [100, 200, 1000]);
    const actions = Object.fromEntries(report.actions.map((a) => [`${a.column}/${a.action}`, a.count]));
    assert.deepEqual(actions, { "label/dropMissing": 1, "age/fill": 1, "*/dropDuplicates": 1, "income/clip": 1 });
    assert.equal(frame.missingCounts().city, 0);
  });
});

describe("data: transforms fitted on train only, serialisable", () => {
  const train = DataFrame.fromColumns({ x: [0, 10, 20], y: [1, 1, 4], city: ["Lima", "Paris", "Lima"] });
  const test = DataFrame.fromColumns({ x: [30], y: [2], city: ["Paris"] });

  it("StandardScaler and MinMaxScaler use training statistics on test data", () => {
    const s = new StandardScaler(["x"]).fit(train);
    const std = Math.sqrt(200 / 3);
    assert.ok(Math.abs((s.transform(test).values("x")[0] as number) - (30 - 10) / std) < 1e-9);
    const m = new MinMaxScaler(["x", "y"]).fit(train);
    assert.deepEqual(m.transform(test).toRecords()[0], { x: 1.5, y: 1 / 3, city: "Paris" });
    assert.throws(() => new StandardScaler().transform(test), (e: LeptonError) => e.code === "data:notFitted");
  });

  it("one-hot and label encoding; unknown categories are errors unless ignored", () => {
    const oh = new OneHotEncoder(["city"]).fit(train);
    assert.deepEqual(oh.transform(test).columns, ["x", "y", "city=Lima", "city=Paris"]);
    assert.deepEqual(oh.transform(test).toRecords()[0], { x: 30, y: 2, "city=Lima": 0, "city=Paris": 1 });
    const le = new LabelEncoder(["city"]).fit(train);
    assert.deepEqual(le.transform(train).values("city"), [0, 1, 0]);
    const other = DataFrame.fromColumns({ x: [1], y: [1], city: ["Oslo"] });
    assert.throws(() => le.transform(other), (e: LeptonError) => e.code === "data:unknownLabel" && /Oslo/.test(e.message));
    // a missing value is not an unseen label: it gets its own message, naming the column
    const gap = DataFrame.fromColumns({ city: ["Paris", null], x: [1, 2], y: [3, 4] });
    assert.throws(() => new OneHotEncoder(["city"]).fit(gap).transform(gap), (e: LeptonError) =>
      e.code === "data:encodeMissing" && /"city"/.test(e.message) && /row 2/.test(e.message) && /lepton\.data\.clean/.test(e.message));
    assert.deepEqual(new OneHotEncoder(["city"], "ignore").fit(gap).transform(gap).values("city=Paris"), [1, 0]);
    assert.deepEqual(new OneHotEncoder(["city"], "ignore").fit(train).transform(other).toRecords()[0], { x: 1, y: 1, "city=Lima": 0, "city=Paris": 0 });
  });

  it("a Pipeline round-trips through JSON and gives identical output", () => {
    const p = new Pipeline([new OneHotEncoder(["city"]), new StandardScaler(["x", "y"])]).fit(train);
    const restored = transformFromJSON(JSON.parse(JSON.stringify(p)));
    assert.deepEqual(restored.transform(test).toRecords(), p.transform(test).toRecords());
    assert.deepEqual(Array.from(p.transform(test).toTensor().shape), [1, 4]);
  });
});

describe("data: splits", () => {
  const labels = Int32Array.from({ length: 100 }, (_, i) => (i < 80 ? 0 : 1));

  it("train/val/test are disjoint, cover everything, stratified, seeded", () => {
    const s = trainValTestSplit(100, { valSize: 0.1, testSize: 0.2, labels, seed: 3 });
    const all = [...s.train, ...s.val, ...s.test].sort((a, b) => a - b);
    assert.deepEqual(all, Array.from({ length: 100 }, (_, i) => i));
    assert.equal(s.test.length, 20);
    assert.equal(Array.from(s.test).filter((i) => labels[i] === 1).length, 4);
    assert.equal(Array.from(s.val).filter((i) => labels[i] === 1).length, 2);
    assert.deepEqual(trainValTestSplit(100, { labels, seed: 3 }).test, s.test);
    assert.throws(() => trainTestSplit(10, { testSize: 1.5 }), (e: LeptonError) => e.code === "data:badSplitSize");
  });

  it("k-fold and stratified k-fold put each sample in exactly one validation fold", () => {
    for (const folds of [kFold(100, 5, { seed: 1 }), stratifiedKFold(labels, 5, { seed: 1 })]) {
      const seen = new Int32Array(100);
      for (const f of folds) { for (const i of f.val) seen[i]++; assert.equal(f.train.length + f.val.length, 100); }
      assert.ok(seen.every((c) => c === 1));
    }
    for (const f of stratifiedKFold(labels, 5)) assert.equal(Array.from(f.val).filter((i) => labels[i] === 1).length, 4);
    assert.throws(() => stratifiedKFold(Int32Array.from([0, 0, 0, 1]), 2), (e: LeptonError) => e.code === "data:classTooSmallForFolds");
  });
});

describe("data: batching and augmentation", () => {
  const features = Float32Array.from({ length: 10 * 2 }, (_, i) => i);
  const labels = Int32Array.from({ length: 10 }, (_, i) => i);
  const src = { features, labels, sampleShape: [2] };

  it("batches cover every sample once per epoch, seeded, different per epoch", () => {
    const order = (epoch: number) => [...batches(src, { batchSize: 4, seed: 5, epoch })].flatMap((b) => {
      assert.deepEqual(Array.from(b.x.dataSync()), Array.from(b.indices).flatMap((i) => [2 * i, 2 * i + 1]));
      assert.deepEqual(Array.from(b.y.dataSync()), Array.from(b.indices));
      return Array.from(b.indices);
    });
    assert.deepEqual([...order(0)].sort((a, b) => a - b), Array.from(labels));
    assert.deepEqual(order(0), order(0));
    assert.notDeepEqual(order(0), order(1));
    assert.equal([...batches(src, { batchSize: 4, dropRemainder: true })].length, 2);
  });

  it("streams batches from a CSV larger than one block, labels consistent across blocks", async () => {
    const file = path.join(tmp, "stream.csv");
    fs.writeFileSync(file, ["a,b,y", ...Array.from({ length: 1000 }, (_, i) => `${i},${-i},${i % 2 ? "odd" : "even"}`)].join("\n"));
    let rows = 0;
    for await (const b of streamBatches(file, { features: ["a", "b"], label: "y", classes: ["even", "odd"], batchSize: 64, shuffleRows: 300, seed: 1 })) {
      const x = b.x.dataSync(), y = b.y.dataSync();
      for (let i = 0; i < y.length; i++) { assert.equal(x[2 * i + 1] + x[2 * i], 0); assert.equal(y[i], x[2 * i] % 2); }
      rows += y.length;
    }
    assert.equal(rows, 1000);
  });

  it("image augmentation is seeded; flip mirrors, noise changes values, shapes are checked", () => {
    const img = Float32Array.from({ length: 2 * 4 * 4 }, (_, i) => (i % 4) / 3); // horizontal ramp
    const flip = imageAugmenter({ flip: true });
    let flipped = 0;
    const r = rng(1);
    for (let k = 0; k < 10; k++) {
      const out = flip(img, [2, 4, 4, 1], r);
      if (Math.abs(out[0] - 1) < 1e-6) flipped++;
      else assert.ok(Math.abs(out[0]) < 1e-6);
    }
    assert.ok(flipped > 0 && flipped < 10);
    const all = imageAugmenter({ rotate: 15, shift: 0.1, zoom: 0.1, crop: 0.2, noise: 0.05 });
    assert.deepEqual(all(img, [2, 4, 4, 1], rng(7)), all(img, [2, 4, 4, 1], rng(7)));
    assert.notDeepEqual(all(img, [2, 4, 4, 1], rng(7)), img);
    assert.throws(() => all(img, [32], rng(1)), (e: LeptonError) => e.code === "data:shapeMismatch");
  });

  it("elastic distortion bends strokes smoothly, is seeded, and bad settings are named", () => {
    // a vertical stroke down the middle of a 28x28 image
    const img = new Float32Array(28 * 28);
    for (let y = 4; y < 24; y++) img[y * 28 + 14] = 1;
    const elastic = imageAugmenter({ elastic: { alpha: 34, sigma: 4 } });
    const out = elastic(img, [1, 28, 28, 1], rng(3));
    assert.deepEqual(out, elastic(img, [1, 28, 28, 1], rng(3)));
    assert.notDeepEqual(out, img);
    // alpha 0 moves nothing: the image comes back unchanged
    assert.deepEqual(imageAugmenter({ elastic: { alpha: 0, sigma: 4 } })(img, [1, 28, 28, 1], rng(3)), img);
    // The stroke stays one connected, bent line: in each row its centre of mass moves by less than
    // a pixel from the row above (a smooth field), while over the rows it wanders off column 14.
    const centres: number[] = [];
    for (let y = 6; y < 22; y++) {
      let mass = 0, moment = 0;
      for (let x = 0; x < 28; x++) { mass += out[y * 28 + x]; moment += x * out[y * 28 + x]; }
      assert.ok(mass > 0.5, `row ${y} lost the stroke`);
      centres.push(moment / mass);
    }
    for (let i = 1; i < centres.length; i++) assert.ok(Math.abs(centres[i] - centres[i - 1]) < 1, `jump at row ${i}: ${centres}`);
    assert.ok(centres.some((c) => Math.abs(c - 14) > 0.3), `stroke not moved: ${centres}`);
    const named = (option: string) => (e: LeptonError) => e.code === "data:badAugmentOption" && e.message.includes(option);
    assert.throws(() => imageAugmenter({ elastic: { alpha: 34, sigma: 0 } }), named("elastic.sigma"));
    assert.throws(() => imageAugmenter({ elastic: { alpha: -1, sigma: 4 } }), named("elastic.alpha"));
    assert.throws(() => imageAugmenter({ shift: 10 }), named("shift"));
    assert.throws(() => imageAugmenter({ rotate: Number.NaN }), named("rotate"));
  });

  it("character noise works on grapheme clusters and is seeded", () => {
    const text = "人人生而自由 👩‍👩‍👧 नमस्ते";
    const a = charNoise(text, { rate: 0.5, seed: 3 });
    assert.equal(a, charNoise(text, { rate: 0.5, seed: 3 }));
    assert.notEqual(a, text);
    assert.ok(!/\uFFFD/.test(a) && !/[\uD800-\uDFFF]/.test(a.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, "")));
    if (a.includes("👩")) assert.ok(a.includes("👩‍👩‍👧"));
  });
});

describe("data: images and tensors", () => {
  it("decodes PNG (grey, RGB, RGBA) that we encode, and reads image folders with resizing", () => {
    const rgb = { width: 3, height: 2, channels: 3, data: Uint8Array.from({ length: 18 }, (_, i) => i * 10) };
    assert.deepEqual(decodePng(encodePng(rgb)), rgb);
    const rgba = { width: 2, height: 2, channels: 4, data: Uint8Array.from({ length: 16 }, (_, i) => 255 - i) };
    assert.deepEqual(decodePng(encodePng(rgba)), rgba);
    for (const [label, value] of [["cat", 0], ["dog", 255]] as const) {
      fs.mkdirSync(path.join(tmp, "imgs", label), { recursive: true });
      for (let k = 0; k < 2; k++) {
        fs.writeFileSync(path.join(tmp, "imgs", label, `${k}.png`), encodePng({ width: 8, height: 8, channels: 1, data: new Uint8Array(64).fill(value) }));
      }
    }
    const split = readImageFolder(path.join(tmp, "imgs"), { size: [4, 4], channels: 1 });
    assert.deepEqual(split.classes, ["cat", "dog"]);
    assert.deepEqual(split.x.shape, [4, 4, 4, 1]);
    assert.deepEqual(Array.from(split.labels), [0, 0, 1, 1]);
    assert.equal(split.features[63], 1);
    // JPEG (jpeg-js encodes a real one): decoded and resized with the PNGs.
    const grey = new Uint8Array(8 * 8 * 4).fill(255);
    fs.writeFileSync(path.join(tmp, "imgs", "dog", "2.jpg"), jpeg.encode({ width: 8, height: 8, data: grey }, 95).data);
    const mixed = readImageFolder(path.join(tmp, "imgs"), { size: [4, 4], channels: 1 });
    assert.deepEqual(mixed.x.shape, [5, 4, 4, 1]);
    assert.ok(Math.abs(mixed.features[4 * 16 + 5] - 1) < 0.02, "a white JPEG decodes to ~1.0");
    fs.writeFileSync(path.join(tmp, "imgs", "cat", "x.jpg"), "not really");
    assert.throws(() => readImageFolder(path.join(tmp, "imgs")), (e: LeptonError) => e.code === "data:imageCorrupt" && /x\.jpg/.test(e.message));
    fs.rmSync(path.join(tmp, "imgs", "cat", "x.jpg"));
    fs.writeFileSync(path.join(tmp, "imgs", "cat", "x.gif"), "GIF89a");
    assert.deepEqual(readImageFolder(path.join(tmp, "imgs"), { size: [4, 4] }).x.shape[0], 5, "other files are not images of the set");
    assert.throws(() => readImage(path.join(tmp, "imgs", "cat", "x.gif")), (e: LeptonError) => e.code === "data:imageUnsupported");
    assert.throws(() => readImageFolder(path.join(tmp, "none")), (e: LeptonError) => e.code === "data:fileNotFound");
  });

  it("toTensor checks sizes, ragged rows and non-finite values", () => {
    assert.deepEqual(toTensor([[1, 2], [3, 4]]).shape, [2, 2]);
    assert.equal(toTensor([1, 2], undefined, { dtype: "int32" }).dtype, "int32");
    assert.throws(() => toTensor([1, 2, 3], [2, 2]), (e: LeptonError) => e.code === "data:sizeMismatch");
    assert.throws(() => toTensor([[1, 2], [3]]), (e: LeptonError) => e.code === "data:raggedRows" && e.values.row === 1);
    assert.throws(() => toTensor([[1, 2], [Infinity, 4]], undefined, { columns: ["a", "b"] }), (e: LeptonError) =>
      e.code === "data:nonFinite" && e.values.row === 1 && e.values.column === "a");
    assert.ok(Number.isNaN(toTensor([NaN], undefined, { allowNonFinite: true }).dataSync()[0]));
    tf.disposeVariables();
  });
});
