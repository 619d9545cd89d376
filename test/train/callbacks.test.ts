import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import * as zoo from "../../src/zoo/index";
import { fit } from "../../src/train/fit";
import { lrFind, suggestRate } from "../../src/train/lr-find";
import { earlyStopping, modelCheckpoint, reduceLROnPlateau, type TrainContext } from "../../src/train/callbacks";
import { cosine, oneCycle, stepDecay } from "../../src/train/schedules";
import { loadModelFiles } from "../../src/zoo/model-files";
import { blobs } from "./helpers";

const small = () => zoo.mlp({ inputShape: 4, numClasses: 2, hidden: [8] });

function fakeContext(model: tf.LayersModel, lr = 0.1): TrainContext & { lrNow: number } {
  const c = {
    model, optimizer: tf.train.sgd(lr), epoch: 0, step: 0, epochs: 10, stepsPerEpoch: 10, totalSteps: 100,
    history: [], stopTraining: false, lrNow: lr,
    get learningRate() { return c.lrNow; },
    setLearningRate(v: number) { c.lrNow = v; },
  };
  return c as unknown as TrainContext & { lrNow: number };
}

describe("callbacks and schedules", () => {
  before(async () => { await tf.setBackend("cpu"); });

  it("earlyStopping stops after `patience` epochs without improvement and restores the best weights", async () => {
    const model = small();
    const ctx = fakeContext(model);
    const es = earlyStopping({ patience: 2 });
    const snapshots: tf.Tensor[][] = [];
    const losses = [1.0, 0.5, 0.7, 0.6];
    for (let e = 0; e < losses.length && !ctx.stopTraining; e++) {
      // Different weights each epoch, remembered to compare with what is restored.
      model.setWeights(model.getWeights().map((w) => tf.randomNormal(w.shape)));
      snapshots.push(model.getWeights().map((w) => w.clone()));
      await es.onEpochEnd!(e, { epoch: e, val_loss: losses[e] }, ctx);
    }
    assert.equal(ctx.stopTraining, true);
    assert.equal(es.stoppedEpoch, 3);
    assert.equal(es.bestEpoch, 1);
    await es.onTrainEnd!(ctx);
    const restored = model.getWeights();
    restored.forEach((w, i) => assert.deepEqual(Array.from(w.dataSync()), Array.from(snapshots[1][i].dataSync())));
  });

  it("earlyStopping inside fit ends the run early with its reason", async () => {
    let calls = 0;
    // A monitored metric that never improves after the first epoch.
    const worsen = { onEpochEnd: (_e: number, logs: Record<string, number>) => { logs.custom = ++calls; } };
    const h = await fit(small(), blobs(32), { epochs: 10, callbacks: [worsen, earlyStopping({ monitor: "custom", patience: 2, mode: "min" })], verbose: false });
    assert.equal(h.stopReason, "earlyStopping");
    assert.equal(h.epochs.length, 3);
  });

  it("reduceLROnPlateau lowers the rate after a plateau, respecting minLr", async () => {
    const ctx = fakeContext(small(), 0.1);
    const cb = reduceLROnPlateau({ factor: 0.5, patience: 2, minLr: 0.03 });
    const vals = [1, 1, 1, 1, 1, 1];
    const seen: number[] = [];
    for (let e = 0; e < vals.length; e++) { await cb.onEpochEnd!(e, { val_loss: vals[e] }, ctx); seen.push(ctx.lrNow); }
    assert.deepEqual(seen, [0.1, 0.1, 0.05, 0.05, 0.03, 0.03]);
  });

  it("modelCheckpoint writes the best model and it loads back", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lepton-ckpt-"));
    const model = small();
    const ckpt = modelCheckpoint({ dir, monitor: "val_loss" });
    const ctx = fakeContext(model);
    await ckpt.onEpochEnd!(0, { val_loss: 0.5 }, ctx);
    const best = model.getWeights().map((w) => w.clone());
    model.setWeights(model.getWeights().map((w) => tf.zerosLike(w)));
    await ckpt.onEpochEnd!(1, { val_loss: 0.9 }, ctx); // worse: not written
    assert.equal(ckpt.bestEpoch, 0);
    const loaded = await loadModelFiles(dir);
    loaded.getWeights().forEach((w, i) => assert.deepEqual(Array.from(w.dataSync()), Array.from(best[i].dataSync())));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("schedules give the documented values", () => {
    const cos = cosine({ lr: 1, minLr: 0.1 });
    assert.equal(cos.valueAt(0, 100), 1);
    assert.ok(Math.abs(cos.valueAt(50, 100) - 0.55) < 1e-12);
    assert.ok(Math.abs(cos.valueAt(100, 100) - 0.1) < 1e-12);
    const warm = cosine({ lr: 1, warmupSteps: 10 });
    assert.ok(Math.abs(warm.valueAt(4, 100) - 0.5) < 1e-12);
    const oc = oneCycle({ maxLr: 1, pctStart: 0.25, divFactor: 25, finalDivFactor: 1e4 });
    assert.ok(Math.abs(oc.valueAt(0, 100) - 0.04) < 1e-12);
    assert.ok(Math.abs(oc.valueAt(25, 100) - 1) < 1e-12);
    assert.ok(oc.valueAt(99, 100) < 1e-5);
    const steps = [0, 9, 10, 25].map((s) => stepDecay({ lr: 1, factor: 0.5, every: 1 }).valueAt(s, 100, 10));
    assert.deepEqual(steps, [1, 1, 0.5, 0.25]);
  });

  it("a schedule drives the optimizer's rate during fit", async () => {
    const h = await fit(small(), blobs(32), { epochs: 4, batchSize: 8, callbacks: [stepDecay({ lr: 0.1, factor: 0.1, every: 2 })], verbose: false });
    const lrs = h.series("lr");
    [0.1, 0.1, 0.01, 0.01].forEach((v, i) => assert.ok(Math.abs(lrs[i] - v) < 1e-12, `${lrs}`));
  });

  it("lrFind sweeps rates, suggests one inside the range and restores the weights", async () => {
    const model = small();
    const before = model.getWeights().map((w) => w.clone());
    const r = await lrFind(model, blobs(128), { steps: 40, startLr: 1e-5, endLr: 1 });
    assert.ok(r.lrs.length >= 5);
    assert.ok(r.suggestion >= 1e-5 && r.suggestion <= 1);
    assert.ok(r.lrs.every((v, i) => i === 0 || v > r.lrs[i - 1]));
    model.getWeights().forEach((w, i) => assert.deepEqual(Array.from(w.dataSync()), Array.from(before[i].dataSync())));
    assert.match(r.toString(), /learning rate/i);
  });

  it("lrFind's suggestion ignores the noisy warm-up and lies on the steep stretch before the minimum", async () => {
    // A synthetic sweep: noisy plateau, a steep fall centred on 1e-3, the minimum at 1e-1, then divergence.
    const lrs = Array.from({ length: 100 }, (_, i) => 1e-7 * Math.pow(1e8, i / 99));
    const losses = lrs.map((lr, i) => {
      const x = Math.log10(lr);
      const noise = i < 10 ? (i % 2 ? 0.3 : -0.3) : 0;
      return 2.3 - 2 / (1 + Math.exp(-(x + 3) * 3)) + (x > -1 ? (x + 1) * 3 : 0) + noise;
    });
    const minIndex = losses.indexOf(Math.min(...losses));
    const s = suggestRate(lrs, losses, minIndex);
    assert.ok(s > 2e-4 && s < 5e-3, `suggested ${s}`);
    // A real sweep over the default range does not suggest its first rates.
    const r = await lrFind(small(), blobs(256), { steps: 100 });
    assert.ok(r.suggestion > 1e-6 && r.suggestion <= r.minLossLr, `suggested ${r.suggestion}, minimum at ${r.minLossLr}`);
  });
});
