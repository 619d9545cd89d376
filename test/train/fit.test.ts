import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import * as zoo from "../../src/zoo/index";
import { fit } from "../../src/train/fit";
import { lrFind } from "../../src/train/lr-find";
import type { Callback } from "../../src/train/callbacks";
import { LeptonError } from "../../src/i18n/index";
import { seed } from "../../src/backend/random";
import { blobs, twins, weightsEqual } from "./helpers";
import { imageAugmenter, type Augment } from "../../src/data/augment";

const small = () => zoo.mlp({ inputShape: 4, numClasses: 2, hidden: [8] });

describe("fit", () => {
  let runs: string;
  before(async () => {
    await tf.setBackend("cpu");
    runs = fs.mkdtempSync(path.join(os.tmpdir(), "lepton-runs-"));
  });
  after(() => fs.rmSync(runs, { recursive: true, force: true }));

  it("decreases the loss and learns a separable problem, measuring validation over the whole set", async () => {
    const train = blobs(200, 4, 1);
    const val = blobs(101, 4, 2);
    const model = small();
    const h = await fit(model, train, { epochs: 8, batchSize: 16, lr: 0.01, validationData: val, verbose: false });
    const loss = h.series("loss");
    assert.equal(h.epochs.length, 8);
    assert.ok(loss[7] < loss[0] * 0.6, `loss ${loss[0]} -> ${loss[7]}`);
    assert.ok(h.last.val_accuracy > 0.9, `val_accuracy ${h.last.val_accuracy}`);
    // val accuracy is a fraction of 101 samples, not an average of batch accuracies.
    assert.ok(Math.abs(h.last.val_accuracy * 101 - Math.round(h.last.val_accuracy * 101)) < 1e-6);
    assert.equal(h.stopReason, "completed");
  });

  it("accepts arrays and an [x, y] pair, and one-hot labels", async () => {
    const { x, y } = blobs(40);
    const xs = x.arraySync() as number[][];
    const ys = Array.from(y.dataSync());
    const h1 = await fit(small(), [xs, ys], { epochs: 1, verbose: false });
    assert.equal(h1.epochs.length, 1);
    const h2 = await fit(small(), { x, y: tf.oneHot(y, 2) }, { epochs: 1, verbose: false });
    assert.ok(Number.isFinite(h2.last.loss));
  });

  it("trains a sigmoid (binary) head on integer 0/1 labels", async () => {
    // Seeded: the initial weights otherwise depend on which tests ran before.
    seed(11);
    let h;
    try {
      const model = zoo.mlp({ inputShape: 4, numClasses: 2, binary: true, hidden: [8] });
      h = await fit(model, blobs(120), { epochs: 12, lr: 0.01, validationData: blobs(60, 4, 9), verbose: false });
    } finally {
      seed(null);
    }
    assert.ok(h.last.val_accuracy > 0.9, `val_accuracy ${h.last.val_accuracy}`);
    assert.ok(h.last.val_loss < 0.5);
  });

  it("leaks no tensors: the count is flat across epochs and back to the start after fit", async () => {
    const data = blobs(64);
    const model = small();
    const counts: number[] = [];
    const probe: Callback = { onEpochEnd: () => { counts.push(tf.memory().numTensors); } };
    const val = blobs(20, 4, 3);
    const before = tf.memory().numTensors;
    await fit(model, data, { epochs: 4, batchSize: 8, validationData: val, callbacks: [probe], verbose: false });
    assert.equal(counts.length, 4);
    assert.equal(new Set(counts.slice(1)).size, 1, `per-epoch counts ${counts}`);
    assert.equal(tf.memory().numTensors, before, "tensors left behind after fit");
  });

  it("augments each training batch, reproducibly for a seed, and never the validation data", async () => {
    const images = tf.randomUniform([24, 6, 6, 1], 0, 1, "float32", 4);
    const labels = tf.tensor1d(Array.from({ length: 24 }, (_, i) => i % 2), "int32");
    // Linear conv with seeded weights: a ReLU conv can start dead on every input (it did once in
    // CI), and then only the dense bias learns and augmentation cannot change the weights.
    const build = () => tf.sequential({ layers: [
      tf.layers.conv2d({ inputShape: [6, 6, 1], filters: 2, kernelSize: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      tf.layers.flatten(), tf.layers.dense({ units: 2, activation: "softmax" }),
    ] });
    const seen: number[][] = [];
    const shift = imageAugmenter({ shift: 0.3 });
    const augment: Augment = (batch, shape, r) => { seen.push(shape); return shift(batch, shape, r); };
    const [a, b] = twins(build);
    const plain = build();
    plain.setWeights(a.getWeights());
    const data = { x: images, y: labels };
    const val = { x: images.slice(0, 10), y: labels.slice(0, 10) };
    await fit(a, data, { epochs: 2, batchSize: 8, seed: 3, augment, validationData: val, verbose: false });
    // 3 batches of 8 per epoch, 2 epochs; the 10 validation images never pass through it.
    assert.deepEqual(seen, Array.from({ length: 6 }, () => [8, 6, 6, 1]));
    await fit(b, data, { epochs: 2, batchSize: 8, seed: 3, augment, verbose: false });
    assert.ok(weightsEqual(a, b), "same seed, same augmentation, different weights");
    await fit(plain, data, { epochs: 2, batchSize: 8, seed: 3, verbose: false });
    assert.ok(!weightsEqual(a, plain), "augmentation had no effect on training");
  });

  it("stops at a batch boundary when the signal aborts, keeping weights and finished epochs", async () => {
    const data = blobs(64);
    const model = small();
    const ctrl = new AbortController();
    let batches = 0;
    const abortAt: Callback = {
      onBatchEnd(batch, ctx) {
        batches++;
        if (ctx.epoch === 1 && batch === 2) ctrl.abort();
      },
    };
    const h = await fit(model, data, { epochs: 5, batchSize: 16, callbacks: [abortAt], signal: ctrl.signal, verbose: false });
    assert.equal(h.stopReason, "interrupted");
    assert.equal(h.epochs.length, 1);
    assert.equal(batches, 4 + 3);
    assert.ok(Number.isFinite((model.predict(data.x) as tf.Tensor).sum().dataSync()[0]));
  });

  it("stops on a NaN loss with a clear reason", async () => {
    const x = tf.randomNormal([64, 3], 0, 1, "float32", 7).mul(1e3);
    const y = x.sum(1, true);
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [3] })] });
    const h = await fit(model, { x, y }, { epochs: 20, loss: "meanSquaredError", optimizer: "sgd", lr: 10, verbose: false });
    assert.equal(h.stopReason, "nanLoss");
    assert.ok(h.epochs.length < 20);
  });

  it("records a run folder: config, metrics JSONL and CSV, checkpoint", async () => {
    const h = await fit(small(), blobs(48), { epochs: 3, run: "rec", runsDir: runs, validationSplit: 0.25, verbose: false });
    const dir = path.join(runs, "rec");
    assert.equal(h.runDir, dir);
    const config = JSON.parse(fs.readFileSync(path.join(dir, "config.json"), "utf8"));
    assert.equal(config.epochs, 3);
    assert.equal(config.samples, 36);
    const lines = fs.readFileSync(path.join(dir, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => l.epoch), [0, 1, 2]);
    const csv = fs.readFileSync(path.join(dir, "metrics.csv"), "utf8").trim().split("\n");
    assert.equal(csv.length, 4);
    assert.match(csv[0], /val_loss/);
    for (const f of ["model.json", "weights.bin", "optimizer.bin", "optimizer.json", "state.json"]) {
      assert.ok(fs.existsSync(path.join(dir, "checkpoints", "last", f)), f);
    }
  });

  it("resume continues exactly: 2 + 2 epochs equal 4 epochs straight", async () => {
    const data = blobs(60);
    const [a, b] = twins(small);
    await fit(a, data, { epochs: 4, batchSize: 8, run: "straight", runsDir: runs, verbose: false });
    await fit(b, data, { epochs: 2, batchSize: 8, run: "split", runsDir: runs, verbose: false });
    const fresh = small(); // a new process would rebuild the model; resume loads weights + optimizer state
    const h = await fit(fresh, data, { epochs: 4, batchSize: 8, run: "split", runsDir: runs, resume: true, verbose: false });
    assert.equal(h.epochs.length, 4);
    assert.ok(weightsEqual(a, fresh), "weights after resume differ from the uninterrupted run");
  });

  it("resume continues exactly with dropout when lepton.seed is set", async () => {
    const data = blobs(48);
    const build = () => zoo.mlp({ inputShape: 4, numClasses: 2, hidden: [16], dropout: 0.5 });
    const [a, b] = twins(build);
    seed(11);
    await fit(a, data, { epochs: 3, batchSize: 8, run: "drop-straight", runsDir: runs, verbose: false });
    seed(11);
    await fit(b, data, { epochs: 1, batchSize: 8, run: "drop-split", runsDir: runs, verbose: false });
    seed(999); // a different session state: the checkpoint's seed must win
    const fresh = build();
    await fit(fresh, data, { epochs: 3, batchSize: 8, run: "drop-split", runsDir: runs, resume: true, verbose: false });
    seed(null);
    assert.ok(weightsEqual(a, fresh), "weights after resume differ from the uninterrupted run");
  });

  describe("bad input gives a clear LeptonError", () => {
    const code = (c: string) => (e: unknown) => e instanceof LeptonError && e.code === c;
    it("wrong input shape names expected and received", async () => {
      await assert.rejects(fit(small(), { x: tf.ones([10, 5]), y: tf.zeros([10], "int32") }, { verbose: false }), (e: unknown) =>
        code("train:shapeMismatch")(e) && /\[batch, 4\]/.test((e as Error).message) && /\[batch, 5\]/.test((e as Error).message));
    });
    it("labels out of range", async () => {
      await assert.rejects(fit(small(), { x: tf.ones([3, 4]), y: tf.tensor1d([0, 1, 2], "int32") }, { verbose: false }), code("train:labelOutOfRange"));
    });
    it("empty data", async () => {
      await assert.rejects(fit(small(), { x: tf.zeros([0, 4]), y: tf.zeros([0], "int32") }, { verbose: false }), code("train:emptyData"));
      await assert.rejects(fit(small(), { x: [], y: [] }, { verbose: false }), code("train:emptyData"));
    });
    it("x/y length mismatch", async () => {
      await assert.rejects(fit(small(), { x: tf.ones([4, 4]), y: tf.zeros([3], "int32") }, { verbose: false }), code("train:lengthMismatch"));
    });
    it("uncompiled regression model without a loss", async () => {
      const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [4] })] });
      await assert.rejects(fit(m, { x: tf.ones([4, 4]), y: tf.zeros([4]) }, { verbose: false }), code("train:notCompiled"));
    });
    it("disposed model", async () => {
      const m = small();
      m.dispose();
      await assert.rejects(fit(m, blobs(8), { verbose: false }), code("train:modelDisposed"));
    });
    it("validation data is checked like training data and named as such", async () => {
      await assert.rejects(fit(small(), blobs(8), { validationData: { x: tf.ones([4, 3]), y: tf.zeros([4], "int32") }, verbose: false }), (e: unknown) =>
        code("train:shapeMismatch")(e) && /validation data/.test((e as Error).message) && /\[batch, 3\]/.test((e as Error).message));
      await assert.rejects(fit(small(), blobs(8), { validationData: { x: tf.ones([2, 4]), y: tf.tensor1d([0, 5], "int32") }, verbose: false }), (e: unknown) =>
        code("train:labelOutOfRange")(e) && /validation data/.test((e as Error).message));
      await assert.rejects(fit(small(), blobs(8), { validationData: { x: tf.ones([3, 4]), y: tf.zeros([2], "int32") }, verbose: false }), code("train:lengthMismatch"));
    });
    it("images without the channel axis name the model's image shape", async () => {
      const cnn = zoo.leptonNet({ inputShape: [8, 8, 1], numClasses: 2, stages: [{ channels: 8, blocks: 1, stride: 2 }] });
      await assert.rejects(fit(cnn, { x: tf.ones([2, 8, 8]), y: tf.zeros([2], "int32") }, { verbose: false }), (e: unknown) =>
        code("train:shapeMismatch")(e) && (e as Error).message.includes("[batch, 8, 8, 1]") && (e as Error).message.includes("[batch, 8, 8]"));
    });
    it("lrFind checks the same things and leaves the weights unchanged", async () => {
      const m = small();
      const before = m.getWeights().map((w) => Array.from(w.dataSync()));
      await assert.rejects(lrFind(m, { x: tf.ones([10, 5]), y: tf.zeros([10], "int32") }), code("train:shapeMismatch"));
      await assert.rejects(lrFind(m, { x: tf.ones([3, 4]), y: tf.tensor1d([0, 1, 7], "int32") }), code("train:labelOutOfRange"));
      await assert.rejects(lrFind(m, { x: tf.zeros([0, 4]), y: tf.zeros([0], "int32") }), code("train:emptyData"));
      await assert.rejects(lrFind(m, { x: tf.ones([4, 4]), y: tf.zeros([5], "int32") }), code("train:lengthMismatch"));
      assert.deepEqual(m.getWeights().map((w) => Array.from(w.dataSync())), before);
      m.dispose();
      await assert.rejects(lrFind(m, blobs(8)), code("train:modelDisposed"));
    });
    it("resume without a run name", async () => {
      await assert.rejects(fit(small(), blobs(8), { resume: true, verbose: false, epochs: 1 }), code("train:resumeNeedsRun"));
    });
  });
});
