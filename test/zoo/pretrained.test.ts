import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import * as zoo from "../../src/zoo/index";
import { load as loadDataset } from "../../src/data/datasets/index";
import { splitFingerprint } from "../../src/zoo/split-fingerprint";
import { weightsRoot } from "../../src/zoo/pretrained";

describe("zoo pretrained weights", () => {
  before(async () => { await tf.setBackend("cpu"); });

  it("lists the shipped models, each with a card", () => {
    const names = zoo.available();
    assert.ok(names.includes("breastcancer-mlp"), names.join(", "));
    for (const n of names) {
      const c = zoo.card(n);
      assert.equal(c.name, n);
      assert.ok(c.metrics.accuracy > 0.5, `${n} accuracy ${c.metrics.accuracy}`);
    }
  });

  it("loads breastcancer-mlp from the repository and reproduces the recorded test accuracy", async () => {
    const card = zoo.card("breastcancer-mlp");
    const model = await zoo.load("breastcancer-mlp");
    const ds = await loadDataset("breast-cancer", { seed: 42, testSize: 0.2, stratify: true });
    assert.equal(splitFingerprint(ds.test.labels, ds.test.features), card.testSplitFingerprint,
      "lepton.datasets.load no longer gives the test split the model was measured on: run `npm run zoo:train`");
    const { mean, std } = (card.preprocessing as { standardise: { mean: number[]; std: number[] } }).standardise;
    const acc = tf.tidy(() => {
      const x = ds.test.x.sub(tf.tensor1d(mean)).div(tf.tensor1d(std));
      return (model.predict(x) as tf.Tensor).argMax(-1).equal(ds.test.y).mean().dataSync()[0];
    });
    assert.ok(Math.abs(acc - card.metrics.accuracy) < 1e-6, `${acc} vs recorded ${card.metrics.accuracy}`);
    assert.ok(acc >= 0.95);
  });

  it("the language identifier works from its card's vocabulary", async () => {
    const card = zoo.card("textcnn-udhr-langid");
    const { vocabulary, sequenceLength } = card.preprocessing as { vocabulary: string[]; sequenceLength: number };
    const index = new Map(vocabulary.map((ch, i) => [ch, i + 2]));
    const sentences: [string, string][] = [
      ["Everyone has the right to freedom of thought and to an education.", "eng"],
      ["Toute personne a droit à la liberté de pensée et à l'éducation.", "fra"],
      ["Jeder hat das Recht auf Gedankenfreiheit und auf Bildung.", "deu"],
    ];
    const ids = sentences.map(([s]) => { const row = new Array<number>(sequenceLength).fill(0); [...s.toLowerCase()].slice(0, sequenceLength).forEach((ch, i) => { row[i] = index.get(ch) ?? 1; }); return row; });
    const model = await zoo.load("textcnn-udhr-langid");
    const pred = Array.from((model.predict(tf.tensor2d(ids, undefined, "int32")) as tf.Tensor).argMax(-1).dataSync());
    assert.deepEqual(pred.map((p) => card.labels![p]), sentences.map(([, l]) => l));
  });

  for (const name of ["leptonnet-mnist", "lenet5-mnist"]) {
    it(`${name} loads and reproduces its recorded MNIST test accuracy`, async () => {
      const card = zoo.card(name);
      const ds = await loadDataset("mnist", { seed: 42 });
      assert.equal(splitFingerprint(ds.test.labels, ds.test.features), card.testSplitFingerprint,
        "lepton.datasets.load no longer gives the MNIST test split the model was measured on: run `npm run zoo:train`");
      const model = await zoo.load(name);
      const acc = tf.tidy(() => (model.predict(ds.test.x, { batchSize: 500 }) as tf.Tensor).argMax(-1).equal(ds.test.y).mean().dataSync()[0]);
      assert.ok(Math.abs(acc - card.metrics.accuracy) < 1e-3, `${acc} vs recorded ${card.metrics.accuracy}`);
      ds.train.dispose();
      ds.test.dispose();
    });
  }

  it("LeptonNet has fewer parameters than LeNet-5, and results.json's accuracy comparison matches the shipped models", async () => {
    const ds = await loadDataset("mnist", { seed: 42 });
    const [lepton, lenet] = [await zoo.load("leptonnet-mnist"), await zoo.load("lenet5-mnist")];
    const acc = (m: tf.LayersModel) => tf.tidy(() => (m.predict(ds.test.x, { batchSize: 500 }) as tf.Tensor).argMax(-1).equal(ds.test.y).mean().dataSync()[0]);
    const results = JSON.parse(fs.readFileSync(path.join(weightsRoot(), "results.json"), "utf8"));
    const recorded = results["leptonnet-vs-lenet5"];
    assert.ok(lepton.countParams() < lenet.countParams(), `${lepton.countParams()} vs ${lenet.countParams()}`);
    assert.equal(recorded.fewerParams, true);
    assert.equal(recorded.leptonnet.paramsAsShipped, lepton.countParams());
    const [a, b] = [acc(lepton), acc(lenet)];
    assert.ok(Math.abs(a - recorded.leptonnet.accuracy) < 1e-3 && Math.abs(b - recorded.lenet5.accuracy) < 1e-3,
      `measured ${a} / ${b}, recorded ${recorded.leptonnet.accuracy} / ${recorded.lenet5.accuracy}: run \`npm run zoo:train -- --only speed\``);
    assert.equal(recorded.atLeastAsAccurate, a >= b);
    ds.train.dispose();
    ds.test.dispose();
  });

  it("leptonnet-mnist folds into the inference form that results.json times: no batch norm, same predictions", async () => {
    const model = await zoo.load("leptonnet-mnist");
    assert.ok(model.layers.some((l) => l.getClassName() === "BatchNormalization"), "ships trainable, with batch norm");
    const folded = await zoo.foldBatchNorm(model);
    assert.ok(!folded.layers.some((l) => l.getClassName() === "BatchNormalization"));
    assert.equal(folded.getLayer("stem/conv").getConfig().activation, "relu");
    const results = JSON.parse(fs.readFileSync(path.join(weightsRoot(), "results.json"), "utf8"));
    assert.equal(folded.countParams(), results["leptonnet-vs-lenet5"].leptonnet.params);
    const x = tf.randomUniform([16, 28, 28, 1], 0, 1, "float32", 3);
    const diff = tf.tidy(() => (model.predict(x) as tf.Tensor).sub(folded.predict(x) as tf.Tensor).abs().max().dataSync()[0]);
    assert.ok(diff < 1e-4, `max difference ${diff}`);
  });
});
