/**
 * Sweep: one gradient step of every layer kind the zoo uses, on wasm, compared with the cpu
 * backend from identical weights (tolerance 1e-3 relative to the largest gradient: deeper models
 * accumulate float32 rounding differences). A kernel missing on wasm fails here with tfjs's
 * "not registered" error. Dropout is random, so models with dropout are checked for finite
 * gradients only.
 */
import { strict as assert } from "node:assert";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../../src/backend/resolve";
import * as zoo from "../../src/zoo/index";

interface SweepCase {
  name: string;
  build: () => tf.LayersModel;
  input: (batch: number) => tf.Tensor;
  deterministic: boolean;
}

function seededUniform(shape: number[], seed: number): tf.Tensor {
  return tf.randomUniform(shape, -1, 1, "float32", seed);
}

function seq(vocab: number, len: number) {
  return (b: number) => tf.randomUniform([b, len], 0, vocab, "int32", 5);
}

function sequential(inputShape: number[], layers: tf.layers.Layer[]): () => tf.LayersModel {
  return () => {
    const m = tf.sequential();
    m.add(tf.layers.inputLayer({ inputShape }));
    for (const l of layers) m.add(l);
    return m;
  };
}

const cases: SweepCase[] = [
  {
    name: "dense + batchNorm",
    build: sequential([12], [tf.layers.dense({ units: 8 }), tf.layers.batchNormalization(), tf.layers.dense({ units: 3 })]),
    input: (b) => seededUniform([b, 12], 1),
    deterministic: true,
  },
  {
    name: "conv2d same/valid, stride 2, maxPool, avgPool, batchNorm",
    build: () => {
      const m = tf.sequential();
      m.add(tf.layers.conv2d({ inputShape: [12, 12, 2], filters: 4, kernelSize: 3, padding: "same", activation: "relu" }));
      m.add(tf.layers.batchNormalization());
      m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
      m.add(tf.layers.conv2d({ filters: 5, kernelSize: 3, strides: 2, padding: "valid" }));
      m.add(tf.layers.averagePooling2d({ poolSize: 2, padding: "same" }));
      m.add(tf.layers.globalAveragePooling2d({}));
      m.add(tf.layers.dense({ units: 3 }));
      return m;
    },
    input: (b) => seededUniform([b, 12, 12, 2], 2),
    deterministic: true,
  },
  {
    name: "depthwiseConv2d (multiplier 2) + separableConv2d + globalMaxPool",
    build: () => {
      const m = tf.sequential();
      m.add(tf.layers.depthwiseConv2d({ inputShape: [10, 10, 3], kernelSize: 3, depthMultiplier: 2, strides: 2, padding: "same" }));
      m.add(tf.layers.separableConv2d({ filters: 4, kernelSize: 3, padding: "same", depthMultiplier: 1 }));
      m.add(tf.layers.globalMaxPooling2d({}));
      return m;
    },
    input: (b) => seededUniform([b, 10, 10, 3], 3),
    deterministic: true,
  },
  {
    name: "embedding + conv1d + GRU + LSTM + layerNormalization",
    build: () => {
      const m = tf.sequential();
      m.add(tf.layers.embedding({ inputDim: 20, outputDim: 6, inputLength: 7 }));
      m.add(tf.layers.conv1d({ filters: 6, kernelSize: 3, padding: "same" }));
      m.add(tf.layers.layerNormalization());
      m.add(tf.layers.gru({ units: 5, returnSequences: true }));
      m.add(tf.layers.lstm({ units: 4 }));
      m.add(tf.layers.dense({ units: 2, activation: "softmax" }));
      return m;
    },
    input: seq(20, 7),
    deterministic: true,
  },
  {
    name: "dense + dropout",
    build: sequential([8], [tf.layers.dense({ units: 16, activation: "relu" }), tf.layers.dropout({ rate: 0.5 }), tf.layers.dense({ units: 2 })]),
    input: (b) => seededUniform([b, 8], 4),
    deterministic: false,
  },
  { name: "zoo.mlp (batchNorm)", build: () => zoo.mlp({ inputShape: 10, numClasses: 3, hidden: [8], batchNorm: true }), input: (b) => seededUniform([b, 10], 6), deterministic: true },
  { name: "zoo.lenet5", build: () => zoo.lenet5({ inputShape: [28, 28, 1], numClasses: 10, dropout: 0 }), input: (b) => seededUniform([b, 28, 28, 1], 7), deterministic: true },
  { name: "zoo.leptonNet", build: () => zoo.leptonNet({ inputShape: [16, 16, 1], numClasses: 4, dropout: 0 }), input: (b) => seededUniform([b, 16, 16, 1], 8), deterministic: true },
  { name: "zoo.mobileNetTiny", build: () => zoo.mobileNetTiny({ inputShape: [24, 24, 3], numClasses: 4, dropout: 0 }), input: (b) => seededUniform([b, 24, 24, 3], 9), deterministic: true },
  { name: "zoo.textCNN", build: () => zoo.textCNN({ vocabSize: 30, sequenceLength: 10, numClasses: 2, dropout: 0 }), input: seq(30, 10), deterministic: true },
  { name: "zoo.rnnClassifier gru bidirectional", build: () => zoo.rnnClassifier({ vocabSize: 30, sequenceLength: 8, numClasses: 2, cell: "gru", bidirectional: true, dropout: 0 }), input: seq(30, 8), deterministic: true },
  { name: "zoo.rnnClassifier lstm", build: () => zoo.rnnClassifier({ vocabSize: 30, sequenceLength: 8, numClasses: 3, cell: "lstm", dropout: 0 }), input: seq(30, 8), deterministic: true },
  { name: "zoo.transformerEncoder", build: () => zoo.transformerEncoder({ vocabSize: 30, sequenceLength: 8, numClasses: 2, dModel: 16, numHeads: 2, numLayers: 1, ffDim: 16, dropout: 0 }), input: seq(30, 8), deterministic: true },
  { name: "zoo.autoencoder", build: () => zoo.autoencoder({ inputShape: 12, latentDim: 3, hidden: [8] }), input: (b) => tf.sigmoid(seededUniform([b, 12], 10)), deterministic: true },
];

/** Gradients of a fixed random projection of the training-mode output w.r.t. every trainable weight. */
function grads(model: tf.LayersModel, x: tf.Tensor): Float32Array[] {
  return tf.tidy(() => {
    const f = () => {
      const y = model.apply(x, { training: true }) as tf.Tensor;
      return tf.sum(tf.mul(y, tf.randomUniform(y.shape, -1, 1, "float32", 11))) as tf.Scalar;
    };
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const { grads: g } = tf.variableGrads(f, vars);
    return vars.map((v) => g[v.name]?.dataSync() as Float32Array);
  });
}

describe("backend: wasm training sweep (one gradient step per layer kind)", function () {
  this.timeout(60000);
  before(async () => {
    await ready({ backend: "wasm" });
  });
  after(async () => {
    await tf.setBackend("wasm");
  });

  for (const c of cases) {
    it(`trains on wasm like on cpu: ${c.name}`, async () => {
      await tf.setBackend("cpu");
      const model = c.build();
      const x = c.input(4);
      const weights = model.getWeights().map((w) => w.clone());
      const ref = grads(model, x);
      await tf.setBackend("wasm");
      model.setWeights(weights); // undo batch-norm statistic updates
      const before = tf.memory().numTensors;
      const got = grads(model, x);
      assert.equal(tf.memory().numTensors, before, "tensors leaked");
      assert.equal(got.length, ref.length);
      got.forEach((g, i) => {
        assert.ok(g, `no gradient for weight ${i}`);
        assert.ok(g.every(Number.isFinite), `non-finite gradient for weight ${i}`);
        if (!c.deterministic) return;
        const maxRef = ref[i].reduce((m, v) => Math.max(m, Math.abs(v)), 0);
        const maxDiff = g.reduce((m, v, k) => Math.max(m, Math.abs(v - ref[i][k])), 0);
        assert.ok(maxDiff <= 1e-3 * (1 + maxRef), `${model.trainableWeights[i].name}: max diff ${maxDiff}, max |ref| ${maxRef}`);
      });
      tf.dispose([x, ...weights]);
      model.dispose();
    });
  }
});
