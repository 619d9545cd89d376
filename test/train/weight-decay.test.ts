import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { fit } from "../../src/train/fit";
import { oneCycle } from "../../src/train/schedules";
import { LeptonError } from "../../src/i18n/index";
import { makeTrainStep, ready } from "../../src/backend/index";
import { blobs, twins } from "./helpers";

/** Dense kernels, biases, a batch norm's scale and offset, a conv kernel: each kind of weight decay must tell apart. */
function net(): tf.LayersModel {
  const input = tf.input({ shape: [4, 4, 1] });
  let x = tf.layers.conv2d({ filters: 2, kernelSize: 3, name: "conv" }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
  x = tf.layers.dense({ units: 5, name: "hidden" }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ name: "bn" }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU().apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 3, activation: "softmax", name: "head" }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

const byName = (m: tf.LayersModel) => new Map(m.trainableWeights.map((w) => [w.originalName, w.read().dataSync() as Float32Array]));

describe("weight decay (decoupled, AdamW's)", function () {
  this.timeout(120000);
  let runs: string;
  before(() => { runs = fs.mkdtempSync(path.join(os.tmpdir(), "lepton-wd-")); });
  after(() => fs.rmSync(runs, { recursive: true, force: true }));

  for (const backend of ["cpu", "wasm"] as const) {
    for (const optimizer of ["sgd", "adam"] as const) {
      it(`one step shrinks each kernel by lr * weightDecay of itself and leaves biases and batch-norm weights to the optimizer (${optimizer}, ${backend})`, async () => {
        await ready({ backend });
        const [plain, decayed] = twins(net);
        const before = byName(plain);
        const x = tf.randomNormal([6, 4, 4, 1], 0, 1, "float32", 5);
        const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2], "int32"), 3);
        const make = () => (optimizer === "sgd" ? tf.train.sgd(0.1) : tf.train.adam(0.1));
        const lr = 0.1;
        const rate = 0.5;
        tf.dispose([makeTrainStep(plain, { optimizer: make(), loss: "categoricalCrossentropy" })(x, y),
          makeTrainStep(decayed, { optimizer: make(), loss: "categoricalCrossentropy", weightDecay: rate })(x, y)]);
        const [p, d] = [byName(plain), byName(decayed)];
        const kinds = { decayed: [] as string[], kept: [] as string[] };
        for (const [name, w0] of before) {
          const rank = decayed.trainableWeights.find((w) => w.originalName === name)!.shape.length;
          // AdamW: w1 = w0 * (1 - lr * wd) - lr * update(gradient at w0), so decayed - plain = -lr * wd * w0.
          const expected = (i: number) => (rank >= 2 ? -lr * rate * w0[i] : 0);
          const worst = Math.max(...Array.from(w0, (_, i) => Math.abs(d.get(name)![i] - p.get(name)![i] - expected(i))));
          assert.ok(worst < 1e-5, `${name}: off by ${worst}`);
          (rank >= 2 ? kinds.decayed : kinds.kept).push(name);
        }
        assert.deepEqual(kinds.decayed.sort(), ["conv/kernel", "head/kernel", "hidden/kernel"]);
        assert.deepEqual(kinds.kept.sort(), ["bn/beta", "bn/gamma", "conv/bias", "head/bias", "hidden/bias"]);
        tf.dispose([x, y]);
      });
    }
  }

  it("fit: the decay follows the schedule's learning rate step by step, decays only kernels, and weightDecay 0 is no decay", async () => {
    await ready({ backend: "cpu" });
    const data = blobs(32);
    // A loss with zero gradient everywhere: only the decay can move the weights.
    const flat = (_y: tf.Tensor, p: tf.Tensor) => tf.mul(tf.sum(p), 0) as tf.Scalar;
    const dense = () => tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 2, activation: "softmax", biasInitializer: "ones" })] });
    const [a, b] = twins(dense);
    const [k0, b0] = a.getWeights().map((w) => Array.from(w.dataSync()));
    const rates: number[] = [];
    const record = { onBatchBegin: (_i: number, ctx: { learningRate: number }) => { rates.push(ctx.learningRate); } };
    await fit(a, data, { epochs: 2, batchSize: 8, optimizer: "sgd", lr: 0.1, loss: flat, weightDecay: 0.3, verbose: false, callbacks: [oneCycle({ maxLr: 0.2 }), record] });
    assert.equal(rates.length, 8);
    assert.ok(new Set(rates).size > 4, `the schedule moved the rate: ${rates}`);
    const shrink = rates.reduce((f, lr) => f * (1 - lr * 0.3), 1);
    const [k1, b1] = a.getWeights().map((w) => Array.from(w.dataSync()));
    k1.forEach((v, i) => assert.ok(Math.abs(v - k0[i] * shrink) < 1e-6, `kernel ${i}: ${v} against ${k0[i] * shrink}`));
    assert.deepEqual(b1, b0, "the bias is not decayed");
    await fit(b, data, { epochs: 2, batchSize: 8, optimizer: "sgd", lr: 0.1, loss: flat, weightDecay: 0, verbose: false });
    assert.deepEqual(Array.from(b.getWeights()[0].dataSync()), k0, "weightDecay 0: nothing moves");
    tf.dispose(data);
  });

  it("fit records weightDecay in the run's config.json", async () => {
    await ready({ backend: "cpu" });
    const data = blobs(16);
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 2, activation: "softmax" })] });
    await fit(model, data, { epochs: 1, batchSize: 8, weightDecay: 0.01, run: "wd", runsDir: runs, verbose: false });
    const config = JSON.parse(fs.readFileSync(path.join(runs, "wd", "config.json"), "utf8"));
    assert.equal(config.weightDecay, 0.01);
    tf.dispose(data);
  });

  it("on two threads (workers: 2), every replica decays alike: the same weights as one thread", async () => {
    await ready({ backend: "wasm" });
    const data = blobs(32, 4, 3);
    const [a, b] = twins(() => tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 6, activation: "relu" }), tf.layers.dense({ units: 2, activation: "softmax" })] }));
    const start = a.getWeights().map((w) => w.dataSync().slice());
    await fit(a, data, { epochs: 3, batchSize: 8, optimizer: "sgd", lr: 0.1, weightDecay: 0.2, verbose: false });
    await fit(b, data, { epochs: 3, batchSize: 8, optimizer: "sgd", lr: 0.1, weightDecay: 0.2, verbose: false, workers: 2 });
    const wb = b.getWeights();
    const diff = Math.max(...a.getWeights().map((w, i) => tf.tidy(() => tf.max(tf.abs(tf.sub(w, wb[i]))).dataSync()[0])));
    // A replica that did not decay would compute its rows' gradients at other weights from the second step on.
    assert.ok(diff < 1e-5, `weights differ by ${diff}`);
    const moved = Math.max(...a.getWeights().map((w, i) => Math.max(...Array.from(w.dataSync(), (v, j) => Math.abs(v - start[i][j])))));
    assert.ok(moved > 1e-3, "the weights did change");
    tf.dispose(data);
  });

  it("bad input: a negative, NaN or infinite weightDecay says what to give", async () => {
    await ready({ backend: "cpu" });
    const data = blobs(8);
    for (const value of [-0.1, NaN, Infinity]) {
      const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 2, activation: "softmax" })] });
      await assert.rejects(fit(model, data, { epochs: 1, weightDecay: value, verbose: false }), (e: unknown) =>
        e instanceof LeptonError && e.code === "backend:badWeightDecay" && e.message.includes(String(value)) && /at least 0/.test(e.message));
    }
    tf.dispose(data);
  });
});
