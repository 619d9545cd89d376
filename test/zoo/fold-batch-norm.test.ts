import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import * as zoo from "../../src/zoo/index";
import { loadModelFiles, saveModelFiles } from "../../src/zoo/model-files";
import { streamFromSeed } from "../../src/backend/random";

/** Gives every batch norm non-trivial statistics and affine parameters, as training would. */
function randomiseBatchNorms(model: tf.LayersModel, seed = 3): void {
  const r = streamFromSeed(seed);
  for (const layer of model.layers) {
    if (layer.getClassName() !== "BatchNormalization") continue;
    const values = layer.weights.map((w) => {
      const positive = /variance|gamma/.test(w.originalName);
      const shape = w.shape as number[];
      const data = Float32Array.from({ length: shape[0] }, () => (positive ? 0.3 + 2 * r.next() : r.normal()));
      return tf.tensor(data, shape);
    });
    layer.setWeights(values);
    tf.dispose(values);
  }
}

function maxDifference(a: tf.LayersModel, b: tf.LayersModel, x: tf.Tensor): number {
  return tf.tidy(() => (a.predict(x) as tf.Tensor).sub(b.predict(x) as tf.Tensor).abs().max().dataSync()[0]);
}

const classes = (m: tf.LayersModel) => m.layers.map((l) => l.getClassName());

describe("zoo foldBatchNorm", () => {
  before(async () => { await tf.setBackend("cpu"); });

  it("folds every batch norm of LeptonNet and fuses the ReLUs, with the same predictions", async () => {
    const model = zoo.leptonNet({ numClasses: 10 });
    randomiseBatchNorms(model);
    const folded = await zoo.foldBatchNorm(model);
    assert.ok(!classes(folded).includes("BatchNormalization"), classes(folded).join(", "));
    // stem/relu and stage1/transition/relu became the convs' activation; the block ReLUs after `add` stay.
    assert.equal(folded.getLayer("stem/conv").getConfig().activation, "relu");
    assert.equal(folded.getLayer("stage1/transition/pw").getConfig().activation, "relu");
    assert.throws(() => folded.getLayer("stem/relu"));
    assert.equal(classes(folded).filter((c) => c === "ReLU").length, 2);
    // Each batch norm's 4 values per channel become 1 bias per channel (stem 16, transition and two blocks 32).
    assert.equal(folded.countParams(), model.countParams() - 3 * (16 + 3 * 32));
    const x = tf.randomNormal([6, 28, 28, 1], 0, 1, "float32", 7);
    const diff = maxDifference(model, folded, x);
    assert.ok(diff < 1e-5, `max difference ${diff}`);
    // The original is untouched.
    assert.ok(classes(model).includes("BatchNormalization"));
  });

  it("folds LeptonNet with max-pooled transitions (the pointwise conv's batch norm after the pool), with the same predictions", async () => {
    const model = zoo.leptonNet({ numClasses: 10, downsample: "maxPool", kernelSize: 3 });
    randomiseBatchNorms(model);
    const folded = await zoo.foldBatchNorm(model);
    assert.ok(!classes(folded).includes("BatchNormalization"), classes(folded).join(", "));
    assert.equal(folded.getLayer("stage1/transition/pool").getClassName(), "MaxPooling2D");
    assert.equal(folded.getLayer("stage1/transition/pw").getConfig().activation, "relu");
    const diff = maxDifference(model, folded, tf.randomNormal([6, 28, 28, 1], 0, 1, "float32", 8));
    assert.ok(diff < 1e-5, `max difference ${diff}`);
  });

  it("folds shared blocks (one batch norm applied several times) and MobileNet's depthwise batch norms", async () => {
    const shared = zoo.leptonNet({ numClasses: 3, shareWeights: true, stages: [{ channels: 16, blocks: 3, stride: 2 }] });
    const mobile = zoo.mobileNetTiny({ inputShape: [16, 16, 3], alpha: 0.25, numClasses: 4 });
    for (const [model, x] of [[shared, tf.randomNormal([4, 28, 28, 1])], [mobile, tf.randomNormal([4, 16, 16, 3])]] as const) {
      randomiseBatchNorms(model, 5);
      const folded = await zoo.foldBatchNorm(model);
      assert.ok(!classes(folded).includes("BatchNormalization"), `${model.name}: ${classes(folded).join(", ")}`);
      const diff = maxDifference(model, folded, x);
      assert.ok(diff < 1e-5, `${model.name}: max difference ${diff}`);
    }
  });

  it("folds dense -> batch norm -> activation in an MLP and a Sequential model", async () => {
    const mlp = zoo.mlp({ inputShape: 6, numClasses: 3, hidden: [8, 4], batchNorm: true });
    const seq = tf.sequential({ layers: [
      tf.layers.dense({ inputShape: [6], units: 5, name: "d1" }),
      tf.layers.batchNormalization({ name: "bn1" }),
      tf.layers.activation({ activation: "relu", name: "act1" }),
      tf.layers.dense({ units: 2, activation: "softmax", name: "out" }),
    ] });
    for (const model of [mlp, seq]) {
      randomiseBatchNorms(model, 9);
      const folded = await zoo.foldBatchNorm(model);
      assert.ok(!classes(folded).includes("BatchNormalization"));
      assert.ok(!classes(folded).includes("Activation"), classes(folded).join(", "));
      const diff = maxDifference(model, folded, tf.randomNormal([5, 6]));
      assert.ok(diff < 1e-5, `${model.name}: max difference ${diff}`);
    }
  });

  it("keeps batch norms it cannot fold: after the input, or after a conv whose output has another reader", async () => {
    const input = tf.input({ shape: [8, 8, 2], name: "in" });
    const bnIn = tf.layers.batchNormalization({ name: "bn_in" }).apply(input) as tf.SymbolicTensor;
    const conv = tf.layers.conv2d({ filters: 2, kernelSize: 3, padding: "same", name: "conv" }).apply(bnIn) as tf.SymbolicTensor;
    const bnConv = tf.layers.batchNormalization({ name: "bn_conv" }).apply(conv) as tf.SymbolicTensor;
    const sum = tf.layers.add({ name: "sum" }).apply([conv, bnConv]) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: sum });
    randomiseBatchNorms(model, 11);
    const folded = await zoo.foldBatchNorm(model);
    assert.deepEqual(folded.layers.map((l) => l.name).sort(), model.layers.map((l) => l.name).sort());
    const diff = maxDifference(model, folded, tf.randomNormal([2, 8, 8, 2]));
    assert.ok(diff < 1e-5, `max difference ${diff}`);
  });

  it("the folded model is an ordinary layers model: it saves, loads and predicts the same", async () => {
    const model = zoo.leptonNet({ numClasses: 4 });
    randomiseBatchNorms(model, 13);
    const folded = await zoo.foldBatchNorm(model);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lepton-fold-"));
    try {
      await saveModelFiles(folded, dir);
      const loaded = await loadModelFiles(dir);
      const diff = maxDifference(model, loaded, tf.randomNormal([3, 28, 28, 1]));
      assert.ok(diff < 1e-5, `max difference ${diff}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("rejects what is not a layers model", async () => {
    await assert.rejects(zoo.foldBatchNorm({} as tf.LayersModel), (e: unknown) => (e as { code?: string }).code === "zoo:notAModel");
  });
});
