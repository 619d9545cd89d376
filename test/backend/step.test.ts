/** The lean training step: learns, matches tfjs-layers' trainOnBatch, leaks nothing. */
import { strict as assert } from "node:assert";
import * as tf from "@tensorflow/tfjs";
import { LeptonError } from "../../src/i18n/index";
import { makeTrainStep, ready, seed, softmaxCrossEntropy } from "../../src/backend/index";

function cnn(): tf.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, activation: "relu" }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.batchNormalization());
  m.add(tf.layers.flatten());
  m.add(tf.layers.dropout({ rate: 0.1 }));
  m.add(tf.layers.dense({ units: 3, activation: "softmax", kernelRegularizer: tf.regularizers.l2({ l2: 1e-3 }) }));
  return m;
}

/** A learnable synthetic task: the class is which third of the image is brightest. */
function data(n: number): { x: tf.Tensor4D; y: tf.Tensor2D } {
  return tf.tidy(() => {
    const labels = tf.randomUniform([n], 0, 3, "int32");
    const base = tf.randomUniform([n, 8, 8, 1], 0, 0.5);
    const cols = tf.reshape(tf.range(0, 8), [1, 1, 8, 1]);
    const band = tf.reshape(tf.cast(labels, "float32"), [n, 1, 1, 1]);
    const mask = tf.cast(tf.equal(tf.floor(tf.div(cols, 8 / 3)), band), "float32");
    return { x: tf.add(base, mask) as tf.Tensor4D, y: tf.oneHot(labels, 3) as tf.Tensor2D };
  });
}

describe("backend: lean training step", function () {
  this.timeout(60000);
  after(() => seed(null));

  for (const backend of ["wasm", "cpu"] as const) {
    it(`decreases the loss without leaking tensors on ${backend}`, async () => {
      await ready({ backend });
      seed(1);
      const model = cnn();
      const { x, y } = data(96);
      const step = makeTrainStep(model, { optimizer: tf.train.adam(0.01), loss: "categoricalCrossentropy" });
      const epochLoss: number[] = [];
      const counts: number[] = [];
      for (let epoch = 0; epoch < 6; epoch++) {
        let sum = 0;
        for (let b = 0; b < 96; b += 32) {
          const xb = tf.slice(x, [b, 0, 0, 0], [32, 8, 8, 1]);
          const yb = tf.slice(y, [b, 0], [32, 3]);
          const loss = step(xb, yb);
          sum += (await loss.data())[0];
          tf.dispose([xb, yb, loss]);
        }
        epochLoss.push(sum / 3);
        counts.push(tf.memory().numTensors);
      }
      // The optimizer creates its slots during the first epoch; from then on the count is flat.
      assert.deepEqual(counts.slice(1), counts.slice(1).map(() => counts[1]), `tensor counts ${counts}`);
      assert.ok(epochLoss[5] < epochLoss[0] * 0.7, `loss did not decrease: ${epochLoss.map((l) => l.toFixed(3))}`);
      tf.dispose([x, y]);
      model.dispose();
    });
  }

  it("takes the same SGD step as tfjs-layers' trainOnBatch", async () => {
    await ready({ backend: "wasm" });
    seed(3);
    const a = tf.sequential({ layers: [tf.layers.dense({ inputShape: [5], units: 4, activation: "relu" }), tf.layers.dense({ units: 2, activation: "softmax" })] });
    const b = tf.sequential({ layers: [tf.layers.dense({ inputShape: [5], units: 4, activation: "relu" }), tf.layers.dense({ units: 2, activation: "softmax" })] });
    b.setWeights(a.getWeights());
    a.compile({ optimizer: tf.train.sgd(0.5), loss: "categoricalCrossentropy" });
    const x = tf.randomUniform([8, 5]);
    const y = tf.oneHot(tf.tensor1d([0, 1, 1, 0, 1, 0, 0, 1], "int32"), 2);
    const expected = (await a.trainOnBatch(x, y)) as number;
    const loss = makeTrainStep(b, { optimizer: tf.train.sgd(0.5), loss: "categoricalCrossentropy" })(x, y);
    assert.ok(Math.abs(loss.dataSync()[0] - expected) < 1e-5);
    const wa = a.getWeights().map((w) => w.dataSync() as Float32Array);
    b.getWeights().forEach((w, i) => {
      const d = (w.dataSync() as Float32Array).reduce((m, v, k) => Math.max(m, Math.abs(v - wa[i][k])), 0);
      assert.ok(d < 1e-5, `weight ${i} differs by ${d}`);
    });
    tf.dispose([x, y, loss]);
  });

  it("skips the input gradient of a linear first convolution and still takes trainOnBatch's step", async () => {
    await ready({ backend: "wasm" });
    seed(4);
    const build = () => tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [6, 6, 2], filters: 4, kernelSize: 3, strides: 2, padding: "same" }),
        tf.layers.reLU(),
        tf.layers.flatten(),
        tf.layers.dense({ units: 3, activation: "softmax" }),
      ],
    });
    const a = build();
    const b = build();
    b.setWeights(a.getWeights());
    a.compile({ optimizer: tf.train.sgd(0.3), loss: "categoricalCrossentropy" });
    const x = tf.randomUniform([5, 6, 6, 2], -1, 1);
    const y = tf.oneHot(tf.tensor1d([0, 2, 1, 1, 0], "int32"), 3);
    const expected = (await a.trainOnBatch(x, y)) as number;
    const step = makeTrainStep(b, { optimizer: tf.train.sgd(0.3), loss: "categoricalCrossentropy" });
    let loss: tf.Scalar | undefined;
    const profile = await tf.profile(() => {
      loss = step(x, y);
    });
    assert.deepEqual(profile.kernels.filter((k) => k.name === "Conv2DBackpropInput").map((k) => k.name), [], "the input gradient was computed");
    assert.ok(Math.abs((loss as tf.Scalar).dataSync()[0] - expected) < 1e-5);
    const wa = a.getWeights().map((w) => w.dataSync() as Float32Array);
    b.getWeights().forEach((w, i) => {
      const d = (w.dataSync() as Float32Array).reduce((m, v, k) => Math.max(m, Math.abs(v - wa[i][k])), 0);
      assert.ok(d < 1e-5, `weight ${i} differs by ${d}`);
    });
    assert.ok(!Object.prototype.hasOwnProperty.call(b.layers[0], "call"), "the layer's own call was not restored");
    tf.dispose([x, y, loss as tf.Scalar]);
  });

  it("trains a softmax Dense head on its logits (no softmax, no clipping) and leaves predict as it was", async () => {
    await ready({ backend: "wasm" });
    seed(5);
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3, activation: "softmax" })] });
    const x = tf.randomUniform([6, 4], -2, 2);
    const labels = tf.tensor1d([0, 2, 1, 1, 0, 2], "int32");
    const step = makeTrainStep(model, { optimizer: tf.train.sgd(0.1), loss: "sparseCategoricalCrossentropy" });
    let loss: tf.Scalar | undefined;
    const profile = await tf.profile(() => {
      loss = step(x, labels);
    });
    const names = profile.kernels.map((k) => k.name);
    assert.ok(!names.includes("Softmax") && !names.includes("ClipByValue"), `kernels: ${names.join(" ")}`);
    const probs = model.predict(x) as tf.Tensor;
    const rowSums = tf.sum(probs, -1).dataSync();
    rowSums.forEach((v) => assert.ok(Math.abs(v - 1) < 1e-5, "predict no longer ends in a softmax"));
    tf.dispose([x, labels, loss as tf.Scalar, probs]);
  });

  it("softmaxCrossEntropy equals tfjs's logits loss in value and gradient, one-hot and sparse", async () => {
    await ready({ backend: "wasm" });
    const logits = tf.tensor2d([[2, -1, 0.5, 30], [0, 0, 0, 0], [-3, 4, 1, -50]]);
    const ids = tf.tensor1d([3, 1, 0], "int32");
    const oneHot = tf.oneHot(ids, 4);
    const ref = tf.valueAndGrad((z: tf.Tensor) => tf.losses.softmaxCrossEntropy(oneHot, z) as tf.Scalar)(logits);
    for (const [labels, sparse] of [[oneHot, false], [ids, true]] as const) {
      const got = tf.valueAndGrad((z: tf.Tensor) => softmaxCrossEntropy(labels, z, sparse))(logits);
      assert.ok(Math.abs(got.value.dataSync()[0] - ref.value.dataSync()[0]) < 1e-5, `value (sparse ${sparse})`);
      const d = tf.max(tf.abs(tf.sub(got.grad, ref.grad))).dataSync()[0];
      assert.ok(d < 1e-6, `gradient differs by ${d} (sparse ${sparse})`);
      tf.dispose([got.value, got.grad]);
    }
    tf.dispose([logits, ids, oneHot, ref.value, ref.grad]);
  });

  it("softmaxCrossEntropy runs as one lepton kernel on wasm, soft labels included, and keeps a NaN logit as a NaN loss", async () => {
    await ready({ backend: "wasm" });
    const logits = tf.tensor2d([[0.2, -1, 3], [1, 1, -2]]);
    const soft = tf.tensor2d([[0.7, 0.2, 0.1], [0, 0.5, 0.5]]);
    const profile = await tf.profile(() => tf.dispose(softmaxCrossEntropy(soft, logits)));
    assert.ok(profile.kernels.some((k) => k.name === "LeptonSoftmaxCrossEntropy"), profile.kernels.map((k) => k.name).join(" "));
    // Soft labels: the loss -Σ y·log softmax(z), averaged over rows, as tfjs computes it.
    const expected = tf.losses.softmaxCrossEntropy(soft, logits).dataSync()[0];
    const got = softmaxCrossEntropy(soft, logits);
    assert.ok(Math.abs(got.dataSync()[0] - expected) < 1e-5, `${got.dataSync()[0]} vs ${expected}`);
    const poisoned = tf.tensor2d([[NaN, 0, 1], [1, 1, -2]]);
    const nan = softmaxCrossEntropy(soft, poisoned);
    assert.ok(Number.isNaN(nan.dataSync()[0]), "a NaN logit gives a NaN loss (fit stops on it)");
    tf.dispose([logits, soft, got, poisoned, nan]);
  });

  it("batch norm in one fused op takes trainOnBatch's step: weights, moving mean and variance, no leaks", async () => {
    await ready({ backend: "wasm" });
    seed(6);
    const build = () => tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [6, 6, 2], filters: 4, kernelSize: 3, padding: "same", useBias: false }),
        tf.layers.batchNormalization({ momentum: 0.8 }),
        tf.layers.reLU(),
        tf.layers.flatten(),
        tf.layers.batchNormalization({ epsilon: 0.01 }),
        tf.layers.dense({ units: 3, activation: "softmax" }),
      ],
    });
    const a = build();
    const b = build();
    b.setWeights(a.getWeights());
    a.compile({ optimizer: tf.train.sgd(0.2), loss: "categoricalCrossentropy" });
    const x = tf.randomUniform([5, 6, 6, 2], -1, 1);
    const y = tf.oneHot(tf.tensor1d([0, 2, 1, 1, 0], "int32"), 3);
    const step = makeTrainStep(b, { optimizer: tf.train.sgd(0.2), loss: "categoricalCrossentropy" });
    for (let i = 0; i < 3; i++) {
      const expected = (await a.trainOnBatch(x, y)) as number;
      const before = tf.memory().numTensors;
      let loss: tf.Scalar | undefined;
      const profile = await tf.profile(() => {
        loss = step(x, y);
      });
      assert.ok(!profile.kernels.some((k) => k.name === "FusedBatchNorm"), "tfjs's batch norm ran");
      assert.equal(tf.memory().numTensors, before + 1, "tensors leaked");
      assert.ok(Math.abs((loss as tf.Scalar).dataSync()[0] - expected) < 1e-4, `step ${i}: loss ${(loss as tf.Scalar).dataSync()[0]} vs ${expected}`);
      (loss as tf.Scalar).dispose();
    }
    // Every weight, the moving statistics included.
    const wa = a.getWeights().map((w) => w.dataSync() as Float32Array);
    b.getWeights().forEach((w, i) => {
      const d = (w.dataSync() as Float32Array).reduce((m, v, k) => Math.max(m, Math.abs(v - wa[i][k])), 0);
      assert.ok(d < 1e-4, `${b.weights[i].name} differs by ${d}`);
    });
    tf.dispose([x, y]);
  });

  for (const [name, make] of [["Adam", () => tf.train.adam(0.05)], ["momentum", () => tf.train.momentum(0.1, 0.9)], ["RMSProp", () => tf.train.rmsprop(0.01)]] as const) {
    it(`keeps each weight's ${name} state with it when layers are frozen and unfrozen between steps (wasm as cpu)`, async () => {
      // tfjs's optimizers index their state by position in the gradient list: freezing the first
      // layer used to hand the dense layer the conv layer's moments (cpu: a shape error; wasm: NaN).
      const run = async (backend: string) => {
        await ready({ backend: backend as "wasm" | "cpu" });
        seed(3);
        const m = tf.sequential({ layers: [
          tf.layers.conv2d({ inputShape: [6, 6, 2], filters: 4, kernelSize: 3, activation: "relu" }), tf.layers.flatten(), tf.layers.dense({ units: 3, activation: "softmax" }),
        ] });
        const x = tf.randomNormal([9, 6, 6, 2], 0, 1, "float32", 5);
        const y = tf.oneHot(tf.tensor1d([0, 1, 2, 2, 1, 0, 1, 1, 2], "int32"), 3);
        const step = makeTrainStep(m, { optimizer: make(), loss: "categoricalCrossentropy" });
        const losses: number[] = [];
        for (let i = 0; i < 6; i++) {
          if (i === 2) m.layers[0].trainable = false;
          if (i === 4) m.layers[0].trainable = true;
          const l = step(x, y);
          losses.push(l.dataSync()[0]);
          l.dispose();
        }
        const weights = m.layers.flatMap((layer) => layer.getWeights().map((w) => Array.from(w.dataSync())));
        tf.dispose([x, y]);
        return { losses, weights };
      };
      const cpu = await run("cpu");
      const wasm = await run("wasm");
      cpu.losses.forEach((l, i) => {
        assert.ok(Number.isFinite(wasm.losses[i]), `step ${i}: wasm loss ${wasm.losses[i]}`);
        assert.ok(Math.abs(l - wasm.losses[i]) < 1e-4, `step ${i}: cpu ${l} vs wasm ${wasm.losses[i]}`);
      });
      const d = Math.max(...cpu.weights.flatMap((w, i) => w.map((v, j) => Math.abs(v - wasm.weights[i][j]))));
      assert.ok(d < 1e-4, `weights differ by ${d}`);
    });
  }

  it("rejects unknown losses and optimizers, and non-scalar custom losses", async () => {
    await ready({ backend: "wasm" });
    const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 1 })] });
    assert.throws(() => makeTrainStep(m, { optimizer: "adam", loss: "hinge-ish" }), (e: unknown) => e instanceof LeptonError && e.code === "backend:stepUnknownLoss");
    assert.throws(() => makeTrainStep(m, { optimizer: "nadamx", loss: "mse" }), (e: unknown) => e instanceof LeptonError && e.code === "backend:stepUnknownOptimizer");
    let scalarLoss = true;
    const step = makeTrainStep(m, { optimizer: "sgd", loss: (t, p) => (scalarLoss ? tf.mean(tf.sub(t, p)) : tf.sub(t, p)) });
    const x = tf.ones([3, 2]);
    const y = tf.ones([3, 1]);
    const loss = step(x, y);
    assert.equal(loss.rank, 0);
    scalarLoss = false;
    assert.throws(() => step(x, y), (e: unknown) => e instanceof LeptonError && e.code === "backend:stepLossNotScalar");
    tf.dispose([x, y, loss]);
  });
});
