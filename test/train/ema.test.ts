import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import * as zoo from "../../src/zoo/index";
import { fit } from "../../src/train/fit";
import { ema, emaDecay } from "../../src/train/ema";
import { labelSmoothingLoss } from "../../src/train/losses";
import type { Callback } from "../../src/train/callbacks";
import { LeptonError } from "../../src/i18n/index";
import { seed } from "../../src/backend/random";
import { blobs, maxDiff, trainable, twins, weightsEqual } from "./helpers";

const small = () => zoo.mlp({ inputShape: 4, numClasses: 2, hidden: [8] });
const code = (c: string) => (e: unknown) => e instanceof LeptonError && e.code === c;

/** Records the trainable weights before training and after every step (read before the EMA callback, which fit puts last). */
function recorder(): Callback & { initial: Float64Array[]; steps: Float64Array[][] } {
  const r = {
    initial: [] as Float64Array[],
    steps: [] as Float64Array[][],
    onTrainBegin(ctx: { model: tf.LayersModel }) { r.initial = ctx.model.trainableWeights.map((w) => Float64Array.from(w.read().dataSync())); },
    onBatchEnd(_b: number, ctx: { model: tf.LayersModel }) { r.steps.push(ctx.model.trainableWeights.map((w) => Float64Array.from(w.read().dataSync()))); },
  };
  return r;
}

/** The average computed by hand, in float64. */
function handAverage(initial: Float64Array[], steps: Float64Array[][], decay: number, warmup: boolean): Float64Array[] {
  const avg = initial.map((w) => Float64Array.from(w));
  steps.forEach((ws, n) => {
    const d = warmup ? Math.min(decay, (1 + n) / (10 + n)) : decay;
    ws.forEach((w, i) => { for (let j = 0; j < w.length; j++) avg[i][j] = d * avg[i][j] + (1 - d) * w[j]; });
  });
  return avg;
}

describe("weight averaging (ema) and label smoothing", () => {
  let runs: string;
  before(async () => {
    await tf.setBackend("cpu");
    runs = fs.mkdtempSync(path.join(os.tmpdir(), "lepton-ema-"));
  });
  after(() => fs.rmSync(runs, { recursive: true, force: true }));

  it("emaDecay ramps up from 0.1 and is capped by the decay", () => {
    assert.equal(emaDecay(0.999, 0), 0.1);
    assert.equal(emaDecay(0.999, 10), 11 / 20);
    assert.equal(emaDecay(0.9, 1000), 0.9);
    assert.equal(emaDecay(0.999, 0, false), 0.999);
  });

  it("fit's ema leaves in the model the hand-computed moving average of the weights after each step", async () => {
    seed(5);
    const model = small();
    seed(null);
    const rec = recorder();
    const h = await fit(model, blobs(40), { epochs: 3, batchSize: 8, lr: 0.05, ema: 0.9, callbacks: [rec], verbose: false });
    assert.equal(rec.steps.length, 15);
    assert.equal(h.ema, undefined, "no validation data, no ema metrics");
    const expected = handAverage(rec.initial, rec.steps, 0.9, true);
    const got = trainable(model);
    assert.ok(maxDiff(got, expected) < 1e-5, `differs from the hand-computed average by ${maxDiff(got, expected)}`);
    // Not the last weights: the average is a different point.
    const last = rec.steps[rec.steps.length - 1];
    assert.ok(maxDiff(got, last) > 1e-3, `the model holds the last weights (difference ${maxDiff(got, last)})`);
  });

  it("the ema callback without warm-up uses the plain decay from the first step", async () => {
    seed(6);
    const model = small();
    seed(null);
    const rec = recorder();
    const average = ema({ decay: 0.5, warmup: false });
    await fit(model, blobs(24), { epochs: 2, batchSize: 8, lr: 0.05, callbacks: [rec, average], verbose: false });
    assert.equal(average.updates, 6);
    const expected = handAverage(rec.initial, rec.steps, 0.5, false);
    assert.ok(maxDiff(trainable(model), expected) < 1e-5);
  });

  it("with apply: false the model keeps its last weights and the averages stay readable until dispose", async () => {
    const model = small();
    const rec = recorder();
    const average = ema({ decay: 0.8, apply: false });
    const data = blobs(24);
    const before = tf.memory().numTensors;
    await fit(model, data, { epochs: 2, batchSize: 8, lr: 0.05, callbacks: [rec, average], verbose: false });
    assert.ok(maxDiff(trainable(model), rec.steps[rec.steps.length - 1]) < 1e-7, "weights were replaced");
    const values = average.averages();
    assert.deepEqual(average.names, model.trainableWeights.map((w) => w.name));
    assert.ok(maxDiff(values.map((v) => v.dataSync()), handAverage(rec.initial, rec.steps, 0.8, true)) < 1e-5);
    tf.dispose(values);
    average.dispose();
    assert.equal(tf.memory().numTensors, before);
  });

  it("leaks no tensors", async () => {
    const model = small();
    const data = blobs(32);
    const val = blobs(16, 4, 3);
    const before = tf.memory().numTensors;
    await fit(model, data, { epochs: 2, batchSize: 8, ema: 0.99, validationData: val, verbose: false });
    assert.equal(tf.memory().numTensors, before, "tensors left behind after fit with ema");
  });

  it("with batch norm, the averaged model gets statistics measured on the training inputs, and history.ema its validation metrics", async () => {
    seed(7);
    const build = () => zoo.leptonNet({ inputShape: [8, 8, 1], numClasses: 2, stemFilters: 4, stemKernel: 3, stages: [{ channels: 8, blocks: 1, stride: 2 }], kernelSize: 3 });
    const model = build();
    seed(null);
    const x = tf.randomUniform([48, 8, 8, 1], 0, 1, "float32", 1);
    const y = tf.tensor1d(Array.from({ length: 48 }, (_, i) => i % 2), "int32");
    const val = { x: tf.randomUniform([20, 8, 8, 1], 0, 1, "float32", 2), y: tf.tensor1d(Array.from({ length: 20 }, (_, i) => i % 2), "int32") };
    const h = await fit(model, { x, y }, { epochs: 2, batchSize: 16, lr: 0.01, ema: 0.9, validationData: val, verbose: false });
    const stats = () => model.layers.filter((l) => l.getClassName() === "BatchNormalization").flatMap((l) => l.weights.filter((w) => /moving_(mean|variance)/.test(w.originalName)).map((w) => w.read().dataSync()));
    const after = stats().map((s) => Float64Array.from(s));
    zoo.calibrateBatchNorm(model, x);
    assert.ok(maxDiff(after, stats()) < 1e-5, "batch-norm statistics were not measured for the averaged weights");
    assert.ok(h.ema, "history.ema");
    const acc = tf.tidy(() => (model.predict(val.x) as tf.Tensor).argMax(-1).equal(val.y).mean().dataSync()[0]);
    assert.ok(Math.abs(h.ema!.val_accuracy - acc) < 1e-6, `${h.ema!.val_accuracy} vs ${acc}`);
    assert.ok(Number.isFinite(h.ema!.val_loss));
  });

  it("resume continues the average exactly: 2 + 2 epochs equal 4 epochs straight", async () => {
    const data = blobs(40);
    const [a, b] = twins(small);
    await fit(a, data, { epochs: 4, batchSize: 8, ema: 0.9, run: "ema-straight", runsDir: runs, verbose: false });
    await fit(b, data, { epochs: 2, batchSize: 8, ema: 0.9, run: "ema-split", runsDir: runs, verbose: false });
    const fresh = small();
    await fit(fresh, data, { epochs: 4, batchSize: 8, ema: 0.9, run: "ema-split", runsDir: runs, resume: true, verbose: false });
    assert.ok(weightsEqual(a, fresh), "weights after resume differ from the uninterrupted run");
  });

  it("rejects a decay outside (0, 1)", async () => {
    await assert.rejects(fit(small(), blobs(8), { ema: 1, epochs: 1, verbose: false }), code("train:badEmaDecay"));
    await assert.rejects(fit(small(), blobs(8), { ema: 0, epochs: 1, verbose: false }), code("train:badEmaDecay"));
    assert.throws(() => ema({ decay: Number.NaN }), code("train:badEmaDecay"));
  });

  it("labelSmoothingLoss is cross-entropy against the smoothed targets", () => {
    const p = tf.tensor2d([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]]);
    const targets = [[0.9 + 0.1 / 3, 0.1 / 3, 0.1 / 3], [0.1 / 3, 0.1 / 3, 0.9 + 0.1 / 3]];
    const probs = p.arraySync();
    const expected = targets.map((t, i) => -t.reduce((s, v, j) => s + v * Math.log(probs[i][j]), 0)).reduce((a, b) => a + b) / 2;
    const sparse = labelSmoothingLoss("sparse", 0.1)(tf.tensor1d([0, 2], "int32"), p).dataSync()[0];
    const onehot = labelSmoothingLoss("onehot", 0.1)(tf.tensor2d([[1, 0, 0], [0, 0, 1]]), p).dataSync()[0];
    assert.ok(Math.abs(sparse - expected) < 1e-5, `${sparse} vs ${expected}`);
    assert.ok(Math.abs(onehot - expected) < 1e-5, `${onehot} vs ${expected}`);
    const q = tf.tensor2d([[0.8]]);
    const binary = labelSmoothingLoss("binary", 0.2)(tf.tensor1d([1], "int32"), q).dataSync()[0];
    assert.ok(Math.abs(binary - -(0.9 * Math.log(0.8) + 0.1 * Math.log(0.2))) < 1e-5);
  });

  it("fit's labelSmoothing trains on the smoothed loss (same weights as that loss given by hand)", async () => {
    const data = blobs(32);
    const [a, b] = twins(small);
    const byHand = (y: tf.Tensor, p: tf.Tensor) => tf.tidy(() => {
      const t = tf.oneHot(y.toInt(), 2).mul(0.8).add(0.1);
      return tf.neg(tf.mean(tf.sum(t.mul(tf.log(tf.clipByValue(p, 1e-7, 1 - 1e-7))), -1))) as tf.Scalar;
    });
    const [c] = twins(small);
    c.setWeights(a.getWeights());
    await fit(a, data, { epochs: 2, batchSize: 8, lr: 0.05, labelSmoothing: 0.2, verbose: false });
    await fit(b, data, { epochs: 2, batchSize: 8, lr: 0.05, loss: byHand, verbose: false });
    await fit(c, data, { epochs: 2, batchSize: 8, lr: 0.05, verbose: false });
    assert.ok(maxDiff(trainable(a), trainable(b)) < 1e-5, `differs from the hand-written smoothed loss by ${maxDiff(trainable(a), trainable(b))}`);
    assert.ok(maxDiff(trainable(a), trainable(c)) > 1e-4, "label smoothing changed nothing");
  });

  it("labelSmoothing is checked", async () => {
    await assert.rejects(fit(small(), blobs(8), { labelSmoothing: 1, epochs: 1, verbose: false }), code("train:badLabelSmoothing"));
    await assert.rejects(fit(small(), blobs(8), { labelSmoothing: -0.1, epochs: 1, verbose: false }), code("train:badLabelSmoothing"));
    const reg = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [4] })] });
    await assert.rejects(fit(reg, { x: tf.ones([4, 4]), y: tf.zeros([4]) }, { loss: "meanSquaredError", labelSmoothing: 0.1, epochs: 1, verbose: false }), code("train:labelSmoothingNeedsClasses"));
  });
});
