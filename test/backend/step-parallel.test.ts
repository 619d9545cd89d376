import { strict as assert } from "node:assert";
import * as tf from "@tensorflow/tfjs";
import { LeptonError } from "../../src/i18n/index";
import { makeParallelTrainStep, makeTrainStep, ready, seed } from "../../src/backend/index";

/** A small conv net: conv gradients, a dense head trained on logits (softmax cross-entropy). */
function convNet(dropout = 0): tf.Sequential {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [6, 6, 2], filters: 4, kernelSize: 3, activation: "relu" }));
  m.add(tf.layers.flatten());
  if (dropout) m.add(tf.layers.dropout({ rate: dropout }));
  m.add(tf.layers.dense({ units: 3, activation: "softmax" }));
  return m;
}

/** Largest difference between two models' weights, layer by layer (an order freezing does not change). */
function maxDiff(a: tf.LayersModel, b: tf.LayersModel): number {
  const values = (m: tf.LayersModel) => m.layers.flatMap((layer) => layer.weights.map((w) => w.read()));
  const wb = values(b);
  return Math.max(...values(a).map((w, i) => tf.tidy(() => tf.max(tf.abs(tf.sub(w, wb[i]))).dataSync()[0])));
}

describe("backend: data-parallel training on worker threads", function () {
  this.timeout(120000);
  before(async () => {
    await ready({ backend: "wasm" });
  });

  for (const [name, make] of [["SGD", () => tf.train.sgd(0.2)], ["Adam", () => tf.train.adam(0.05)]] as const) {
    it(`two replicas take the steps one thread takes on the whole batch (${name}, 9 rows split 5/4, a layer frozen midway)`, async () => {
      seed(3);
      const one = convNet();
      const two = convNet();
      two.setWeights(one.getWeights());
      const x = tf.randomNormal([9, 6, 6, 2]);
      const y = tf.oneHot(tf.tensor1d([0, 1, 2, 2, 1, 0, 1, 1, 2], "int32"), 3);
      const step1 = makeTrainStep(one, { optimizer: make(), loss: "categoricalCrossentropy" });
      const step2 = await makeParallelTrainStep(two, { optimizer: make(), loss: "categoricalCrossentropy", replicas: 2, maxBatch: 16 });
      let before = tf.memory().numTensors;
      try {
        for (let i = 0; i < 4; i++) {
          if (i === 1) before = tf.memory().numTensors; // after the optimizers made their state
          if (i === 2) [one, two].forEach((m) => (m.layers[0].trainable = false)); // freezing reaches the replica
          const [l1, l2] = [step1(x, y), step2(x, y)];
          assert.ok(Math.abs(l1.dataSync()[0] - l2.dataSync()[0]) < 1e-5, `step ${i}: loss ${l1.dataSync()[0]} vs ${l2.dataSync()[0]}`);
          tf.dispose([l1, l2]);
        }
        // A replica out of step would have given other gradients for its rows from step 2 on.
        assert.equal(tf.memory().numTensors, before, "no tensor left behind by the steps");
        const d = maxDiff(one, two);
        assert.ok(d < 1e-5, `weights differ by ${d}`);
        const fresh = convNet();
        assert.ok(maxDiff(fresh, two) > 1e-3, "the weights did change");
        fresh.dispose();
      } finally {
        await step2.dispose();
        tf.dispose([x, y]);
      }
    });
  }

  it("starts replicas of a model with batch norm (non-trainable weights between trainable ones) and trains it", async () => {
    seed(9);
    const m = tf.sequential({ layers: [
      tf.layers.conv2d({ inputShape: [6, 6, 2], filters: 4, kernelSize: 3, useBias: false }),
      tf.layers.batchNormalization(), tf.layers.reLU(), tf.layers.flatten(), tf.layers.dense({ units: 3, activation: "softmax" }),
    ] });
    const step = await makeParallelTrainStep(m, { optimizer: "adam", loss: "categoricalCrossentropy", replicas: 2, maxBatch: 8 });
    const x = tf.randomNormal([8, 6, 6, 2]);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 2, 1, 0, 1, 1], "int32"), 3);
    const losses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const l = step(x, y);
      losses.push(l.dataSync()[0]);
      l.dispose();
    }
    await step.dispose();
    assert.ok(losses.every(Number.isFinite) && losses[5] < losses[0], `losses ${losses.join(", ")}`);
    const movingMean = m.layers[1].getWeights()[2].dataSync();
    assert.ok(movingMean.some((v) => v !== 0), "this thread's batch-norm statistics moved");
    tf.dispose([x, y]);
  });

  it("a batch smaller than the thread count: the empty replica sits the step out", async () => {
    seed(8);
    const one = convNet();
    const two = convNet();
    two.setWeights(one.getWeights());
    const step1 = makeTrainStep(one, { optimizer: tf.train.sgd(0.3), loss: "categoricalCrossentropy" });
    const step2 = await makeParallelTrainStep(two, { optimizer: tf.train.sgd(0.3), loss: "categoricalCrossentropy", replicas: 2, maxBatch: 4 });
    const x = tf.randomNormal([1, 6, 6, 2]);
    const y = tf.oneHot(tf.tensor1d([2], "int32"), 3);
    for (let i = 0; i < 2; i++) {
      const [l1, l2] = [step1(x, y), step2(x, y)];
      assert.ok(Number.isFinite(l2.dataSync()[0]) && Math.abs(l1.dataSync()[0] - l2.dataSync()[0]) < 1e-6);
      tf.dispose([l1, l2]);
    }
    await step2.dispose();
    assert.ok(maxDiff(one, two) < 1e-6);
    tf.dispose([x, y]);
  });

  it("repeats exactly from a seed with dropout (each replica's stream seeded from the caller's)", async () => {
    const run = async () => {
      seed(11);
      const m = convNet(0.5);
      const step = await makeParallelTrainStep(m, { optimizer: "adam", loss: "categoricalCrossentropy", replicas: 2, maxBatch: 8 });
      const x = tf.randomNormal([8, 6, 6, 2]);
      const y = tf.oneHot(tf.tensor1d([0, 1, 2, 2, 1, 0, 1, 1], "int32"), 3);
      for (let i = 0; i < 3; i++) step(x, y).dispose();
      await step.dispose();
      tf.dispose([x, y]);
      return m;
    };
    const a = await run();
    const b = await run();
    assert.equal(maxDiff(a, b), 0);
  });

  it("sends integer inputs and sparse labels as they are (an embedding model)", async () => {
    seed(4);
    const build = () => tf.sequential({ layers: [
      tf.layers.embedding({ inputDim: 20, outputDim: 4, inputLength: 5 }), tf.layers.flatten(), tf.layers.dense({ units: 3, activation: "softmax" }),
    ] });
    const one = build();
    const two = build();
    two.setWeights(one.getWeights());
    const x = tf.tensor2d([[1, 2, 3, 4, 5], [6, 7, 8, 9, 10], [11, 12, 13, 14, 15], [16, 17, 18, 19, 0], [3, 3, 3, 3, 3]], undefined, "int32");
    const y = tf.tensor1d([0, 1, 2, 1, 0], "int32");
    const step1 = makeTrainStep(one, { optimizer: tf.train.sgd(0.5), loss: "sparseCategoricalCrossentropy" });
    const step2 = await makeParallelTrainStep(two, { optimizer: tf.train.sgd(0.5), loss: "sparseCategoricalCrossentropy", replicas: 2, maxBatch: 5 });
    for (let i = 0; i < 3; i++) tf.dispose([step1(x, y), step2(x, y)]);
    await step2.dispose();
    assert.ok(maxDiff(one, two) < 1e-5, `weights differ by ${maxDiff(one, two)}`);
    tf.dispose([x, y]);
  });

  it("bad input: thread counts, batches above maxBatch, several inputs, unknown losses, a disposed step", async () => {
    const code = (c: string) => (e: unknown) => e instanceof LeptonError && e.code === c;
    const m = convNet();
    await assert.rejects(makeParallelTrainStep(m, { optimizer: "sgd", loss: "categoricalCrossentropy", replicas: 1, maxBatch: 8 }), code("backend:parallelReplicas"));
    await assert.rejects(makeParallelTrainStep(m, { optimizer: "sgd", loss: "categoricalCrossentropy", replicas: 2, maxBatch: 0 }), code("backend:parallelMaxBatch"));
    await assert.rejects(makeParallelTrainStep(m, { optimizer: "sgd", loss: "hinge", replicas: 2, maxBatch: 8 }), code("backend:stepUnknownLoss"));
    const a = tf.input({ shape: [3] });
    const b = tf.input({ shape: [3] });
    const twoInputs = tf.model({ inputs: [a, b], outputs: tf.layers.dense({ units: 1 }).apply(tf.layers.concatenate().apply([a, b])) as tf.SymbolicTensor });
    await assert.rejects(makeParallelTrainStep(twoInputs, { optimizer: "sgd", loss: "mse", replicas: 2, maxBatch: 8 }), code("backend:parallelSingleIO"));
    const step = await makeParallelTrainStep(m, { optimizer: "sgd", loss: "categoricalCrossentropy", replicas: 2, maxBatch: 4 });
    const x = tf.zeros([5, 6, 6, 2]);
    const y = tf.zeros([5, 3]);
    assert.throws(() => step(x, y), code("backend:parallelBatchTooLarge"));
    await step.dispose();
    assert.throws(() => step(x.slice(0, 4), y.slice(0, 4)), code("backend:parallelDisposed"));
    tf.dispose([x, y]);
  });

  it("a replica that cannot rebuild the model fails the setup with its reason (a layer class only this thread knows)", async () => {
    class OnlyHere extends tf.layers.Layer {
      static className = "OnlyHereForTheTest";
      call(inputs: tf.Tensor | tf.Tensor[]) {
        return Array.isArray(inputs) ? inputs[0] : inputs;
      }
    }
    tf.serialization.registerClass(OnlyHere);
    const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2 }), new OnlyHere({})] });
    await assert.rejects(makeParallelTrainStep(m, { optimizer: "sgd", loss: "mse", replicas: 2, maxBatch: 4 }), (e: unknown) => {
      assert.ok(e instanceof LeptonError);
      assert.equal(e.code, "backend:parallelReplicaFailed");
      assert.match(e.message, /OnlyHereForTheTest/);
      return true;
    });
  });
});
