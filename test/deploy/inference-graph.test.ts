import { strict as assert } from "node:assert";
import * as tf from "@tensorflow/tfjs";
import { inferenceModel } from "../../src/deploy/inference-graph";
import { serve } from "../../src/deploy/server";
import { call } from "./http-client";
import { rand } from "./fixtures";

/** Gives every weight (batch-norm statistics included) seeded random values, variances positive. */
function randomise(model: tf.LayersModel, seed: number): void {
  const r = rand(seed);
  for (const layer of model.layers) {
    layer.setWeights(layer.getWeights().map((w, i) => {
      const values = Float32Array.from({ length: w.size }, () => r() - 0.5);
      if (layer.getClassName() === "BatchNormalization" && i === 3) values.forEach((v, k) => (values[k] = 0.2 + Math.abs(v)));
      return tf.tensor(values, w.shape);
    }));
  }
}

/** conv -> bn -> relu, depthwise -> bn, a residual add, dense -> bn, and a batch norm that cannot fold. */
function convNet(): tf.LayersModel {
  const input = tf.input({ shape: [8, 8, 2] });
  let x = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: "same", useBias: false, name: "c1" }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ name: "bn1" }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU({ name: "r1" }).apply(x) as tf.SymbolicTensor;
  let y = tf.layers.depthwiseConv2d({ kernelSize: 3, padding: "same", depthMultiplier: 2, name: "dw" }).apply(x) as tf.SymbolicTensor;
  y = tf.layers.batchNormalization({ name: "bn2" }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.conv2d({ filters: 4, kernelSize: 1, name: "pw" }).apply(y) as tf.SymbolicTensor;
  x = tf.layers.add({ name: "add" }).apply([x, y]) as tf.SymbolicTensor;
  // A relu conv: its batch norm must stay (the activation sits between them).
  x = tf.layers.conv2d({ filters: 4, kernelSize: 1, activation: "relu", name: "c2" }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ name: "bn3" }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.globalAveragePooling2d({ name: "gap" }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dense({ units: 5, name: "d1" }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ name: "bn4" }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 3, activation: "softmax", name: "head" }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

describe("deploy: the inference graph (batch norm folded, ReLU fused)", function () {
  it("folds batch norms into the layer before them, fuses the ReLU, and predicts the same", async () => {
    const model = convNet();
    randomise(model, 3);
    const x = tf.randomNormal([6, 8, 8, 2], 0, 1, "float32", 5);
    const before = (model.predict(x) as tf.Tensor).arraySync();
    const fast = await inferenceModel(model);
    assert.ok(fast, "something folds");
    const names = fast.layers.map((l) => l.name);
    for (const gone of ["bn1", "bn2", "bn4", "r1"]) assert.ok(!names.includes(gone), `${gone} folded: ${names.join(", ")}`);
    assert.ok(names.includes("bn3"), "the batch norm after a relu conv stays");
    assert.equal((fast.getLayer("c1").getConfig() as { activation: string }).activation, "relu");
    assert.equal((fast.getLayer("c1").getConfig() as { useBias: boolean }).useBias, true);
    const diff = tf.tidy(() => (fast.predict(x) as tf.Tensor).sub(model.predict(x) as tf.Tensor).abs().max().dataSync()[0]);
    assert.ok(diff < 1e-5, `max difference ${diff}`);
    // The original is untouched.
    assert.deepEqual((model.predict(x) as tf.Tensor).arraySync(), before);
    assert.ok(model.layers.some((l) => l.name === "bn1"));
    fast.dispose();
    x.dispose();
  });

  it("folds Sequential models too; leaves models with nothing to fold, or a shared producer, as they are (undefined)", async () => {
    const seq = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2 }), tf.layers.batchNormalization()] });
    randomise(seq, 4);
    const folded = await inferenceModel(seq);
    assert.ok(folded && !folded.layers.some((l) => l.getClassName() === "BatchNormalization"), "the Sequential's batch norm folds");
    const probe = tf.randomNormal([4, 3], 0, 1, "float32", 9);
    const diff = tf.tidy(() => (folded.predict(probe) as tf.Tensor).sub(seq.predict(probe) as tf.Tensor).abs().max().dataSync()[0]);
    assert.ok(diff < 1e-5, `max difference ${diff}`);
    const plain = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2, activation: "sigmoid" })] });
    assert.equal(await inferenceModel(plain), undefined, "nothing to fold");
    const input = tf.input({ shape: [4] });
    const d = tf.layers.dense({ units: 4, name: "shared" }).apply(input) as tf.SymbolicTensor;
    const bn = tf.layers.batchNormalization({ name: "bn" }).apply(d) as tf.SymbolicTensor;
    const both = tf.layers.add().apply([bn, d]) as tf.SymbolicTensor; // the dense output is read twice
    assert.equal(await inferenceModel(tf.model({ inputs: input, outputs: both })), undefined);
  });

  it("the server runs the folded graph by default and answers as the saved one does", async () => {
    const model = convNet();
    randomise(model, 9);
    const rows = (tf.randomNormal([3, 8, 8, 2], 0, 1, "float32", 2).arraySync() as number[][][][]).map((r) => r);
    const answers: number[][][] = [];
    for (const optimize of [true, false]) {
      const server = await serve(model, { name: "m", optimize, pollMs: 0 });
      try {
        const res = await call(server.url, "POST", "/v1/models/m:predict", { instances: rows });
        assert.equal(res.status, 200, res.text);
        answers.push(res.body.predictions.map((p: { probabilities: number[] }) => p.probabilities));
      } finally {
        await server.stop();
      }
    }
    answers[0].forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - answers[1][i][j]) < 1e-5, `${v} vs ${answers[1][i][j]}`)));
    assert.ok(model.layers.some((l) => l.name === "bn1"), "the caller's model is not changed");
  });
});
