import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { save, load } from "../../src/deploy/bundle";
import { fileIO } from "../../src/deploy/file-io";
import { registerPreprocessor } from "../../src/deploy/preprocessing";
import { hashData } from "../../src/deploy/provenance";
import { LeptonError } from "../../src/i18n/index";
import { FEATURES, LABELS, accuracyOf, tempDir, trainClassifier } from "./fixtures";

describe("deploy: model bundle save/load", function () {
  let trained: Awaited<ReturnType<typeof trainClassifier>>;
  let root: string;
  before(async () => {
    trained = await trainClassifier();
    root = tempDir();
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it("writes integer version folders with model.json, weights and lepton.json", async () => {
    const first = await save(trained.model, root, { name: "blobs", labels: LABELS, preprocessing: trained.scaler, metrics: { accuracy: 0.9 }, seed: 7, data: trained.test.rows });
    const second = await save(trained.model, root, { name: "blobs", labels: LABELS, preprocessing: trained.scaler });
    assert.equal(first.dir, path.join(root, "blobs", "1"));
    assert.equal(second.version, 2);
    assert.deepEqual(fs.readdirSync(first.dir).sort(), ["lepton.json", "model.json", "weights.bin"]);
    const manifest = JSON.parse(fs.readFileSync(path.join(first.dir, "lepton.json"), "utf8"));
    assert.equal(manifest.task, "classification");
    assert.deepEqual(manifest.labels, LABELS);
    assert.deepEqual(manifest.signature.inputs[0].shape, [-1, 4]);
    assert.deepEqual(manifest.signature.features, FEATURES, "features come from the preprocessing");
    assert.equal(manifest.preprocessing.kind, "test-standardise");
    assert.equal(manifest.provenance.seed, 7);
    assert.equal(manifest.provenance.dataHash, hashData(trained.test.rows));
    assert.match(manifest.provenance.tfjs, /^4\./);
    assert.equal(manifest.provenance.lepton, "0.1.0");
    assert.ok(!Number.isNaN(Date.parse(manifest.provenance.created)));
    // no staging folders left behind
    assert.deepEqual(fs.readdirSync(path.join(root, "blobs")).sort(), ["1", "2"]);
  });

  it("is loadable by stock tf.loadLayersModel through the file IO handler, with identical outputs", async () => {
    const dir = path.join(root, "blobs", "1");
    const stock = await tf.loadLayersModel(fileIO(dir));
    const x = tf.tensor2d(trained.scaler.transform(trained.test.rows.slice(0, 20)));
    const a = (trained.model.predict(x) as tf.Tensor).arraySync() as number[][];
    const b = (stock.predict(x) as tf.Tensor).arraySync() as number[][];
    assert.deepEqual(b, a);
  });

  it("load restores model, preprocessing, labels and predicts labels from raw feature objects", async () => {
    const bundle = await load(root, { name: "blobs", version: 1 });
    assert.equal(bundle.version, 1);
    assert.deepEqual(bundle.labels, LABELS);
    assert.deepEqual(bundle.manifest.metrics, { accuracy: 0.9 });
    const rows = trained.test.rows.map((r) => Object.fromEntries(FEATURES.map((f, j) => [f, r[j]])));
    const preds = (await bundle.predict(rows)) as { label: string; probabilities: number[] }[];
    assert.equal(preds.length, rows.length);
    const acc = accuracyOf(preds.map((p) => p.label), trained.test.classes);
    assert.ok(acc > 0.9, `accuracy ${acc}`);
    for (const p of preds.slice(0, 5)) assert.ok(Math.abs(p.probabilities.reduce((s, v) => s + v, 0) - 1) < 1e-4);
    // the model folder alone means its highest version
    assert.equal((await load(path.join(root, "blobs"))).version, 2);
  });

  it("accepts a plain {kind} JSON preprocessing and fails clearly on unknown kinds", async () => {
    registerPreprocessor("test-double", () => ({ transform: (rows) => (rows as number[][]).map((r) => r.map((v) => v * 2)) }));
    const saved = await save(trained.model, root, { name: "plain", preprocessing: { kind: "test-double" } });
    const bundle = await load(saved.dir);
    const out = await bundle.predict([[0, 0, 0, 0]]);
    assert.equal(out.length, 1);
    const other = await save(trained.model, root, { name: "unknown", preprocessing: { kind: "nobody-registered-this" } });
    await assert.rejects(load(other.dir), (e: unknown) => e instanceof LeptonError && e.code === "deploy:unknownPreprocessor" && /registerPreprocessor/.test(e.message));
    await assert.rejects(save(trained.model, root, { preprocessing: 42 as unknown }), (e: unknown) => e instanceof LeptonError && e.code === "deploy:preprocessingNotSerialisable");
  });

  it("rejects bad names, missing folders and existing versions", async () => {
    await assert.rejects(save(trained.model, root, { name: "../escape" }), (e: unknown) => e instanceof LeptonError && e.code === "deploy:badModelName");
    await assert.rejects(save(trained.model, root, { name: "blobs", version: 1 }), (e: unknown) => e instanceof LeptonError && e.code === "deploy:versionExists");
    await assert.rejects(load(path.join(root, "nothing-here")), (e: unknown) => e instanceof LeptonError && e.code === "deploy:folderMissing");
    await assert.rejects(load(root), (e: unknown) => e instanceof LeptonError && e.code === "deploy:whichModel");
  });
});

describe("deploy: lepton.data transforms as saved preprocessing", function () {
  it("saves a fitted StandardScaler and applies it to raw feature rows at load time", async function () {
    let data: { StandardScaler: new (cols?: string[]) => { fit(df: unknown): unknown }; DataFrame: { fromRecords(r: object[]): unknown } };
    try {
      data = { ...require("../../src/data/transforms"), ...require("../../src/data/frame") };
    } catch {
      return this.skip(); // the data module's transforms are not there yet
    }
    const { model, test } = await trainClassifier(5);
    const records = test.rows.map((r) => Object.fromEntries(FEATURES.map((f, j) => [f, r[j]])));
    const scaler = new data.StandardScaler(FEATURES);
    scaler.fit(data.DataFrame.fromRecords(records));
    const root = tempDir();
    try {
      const saved = await save(model, root, { name: "frame", labels: LABELS, preprocessing: scaler, features: FEATURES });
      const manifest = JSON.parse(fs.readFileSync(path.join(saved.dir, "lepton.json"), "utf8"));
      assert.equal(manifest.preprocessing.kind, "lepton.data.transform");
      assert.equal(manifest.preprocessing.transform.type, "StandardScaler");
      const bundle = await load(saved.dir);
      const preds = (await bundle.predict(records)) as { label: string }[];
      assert.ok(accuracyOf(preds.map((p) => p.label), test.classes) > 0.85);
      const fromArrays = (await bundle.predict(test.rows.slice(0, 3))) as { label: string }[];
      assert.deepEqual(fromArrays.map((p) => p.label), preds.slice(0, 3).map((p) => p.label));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
