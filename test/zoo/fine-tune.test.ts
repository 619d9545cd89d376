import { strict as assert } from "node:assert";
import * as tf from "@tensorflow/tfjs";
import * as zoo from "../../src/zoo/index";
import { blobs } from "../train/helpers";

describe("zoo fineTune", () => {
  before(async () => { await tf.setBackend("cpu"); });

  it("trains only the head in stage 1, then every layer, and leaves all layers trainable", async () => {
    const base = zoo.mlp({ inputShape: 4, numClasses: 3, hidden: [6] });
    const model = zoo.replaceHead(base, { numClasses: 2 });
    const body0 = model.getLayer("hidden1/dense").getWeights().map((w) => Array.from(w.dataSync()));
    const head0 = model.getLayer("head").getWeights().map((w) => Array.from(w.dataSync()));
    const afterStage: number[][][] = [];
    const probe = { onTrainEnd: () => { afterStage.push(model.getLayer("hidden1/dense").getWeights().map((w) => Array.from(w.dataSync()))); } };
    const { head, all } = await zoo.fineTune(model, blobs(40), { headEpochs: 2, epochs: 2, lr: 0.01, callbacks: [probe], verbose: false });
    assert.equal(head.epochs.length, 2);
    assert.equal(all.epochs.length, 2);
    assert.deepEqual(afterStage[0], body0, "body changed during the head-only stage");
    assert.notDeepEqual(afterStage[1], body0, "body did not train in stage 2");
    assert.notDeepEqual(model.getLayer("head").getWeights().map((w) => Array.from(w.dataSync())), head0);
    assert.ok(model.layers.every((l) => l.trainable));
    assert.ok(Math.abs(all.epochs[0].lr - 0.001) < 1e-12);
  });
});

describe("zoo fineTune bad input", () => {
  before(async () => { await tf.setBackend("cpu"); });
  const code = (c: string) => (e: unknown) => (e as { code?: string }).code === c;

  it("rejects wrong labels and shapes before training, leaving every layer trainable", async () => {
    const model = zoo.replaceHead(zoo.mlp({ inputShape: 4, numClasses: 3, hidden: [6] }), { numClasses: 2 });
    await assert.rejects(zoo.fineTune(model, { x: tf.ones([3, 4]), y: tf.tensor1d([0, 1, 2], "int32") }, { verbose: false }), code("train:labelOutOfRange"));
    await assert.rejects(zoo.fineTune(model, { x: tf.ones([3, 6]), y: tf.zeros([3], "int32") }, { verbose: false }), code("train:shapeMismatch"));
    await assert.rejects(zoo.fineTune(model, { x: tf.zeros([0, 4]), y: tf.zeros([0], "int32") }, { verbose: false }), code("train:emptyData"));
    assert.ok(model.layers.every((l) => l.trainable), "a failed fineTune left layers frozen");
    model.dispose();
    await assert.rejects(zoo.fineTune(model, blobs(8), { verbose: false }), code("train:modelDisposed"));
  });
});
