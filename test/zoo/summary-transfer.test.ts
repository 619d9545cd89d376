import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import * as zoo from "../../src/zoo/index";
import { saveModelFiles, loadModelFiles } from "../../src/zoo/model-files";
import { DISPLAY } from "../../src/runtime/host";
import { LeptonError } from "../../src/i18n/index";

describe("zoo summary, transfer and model files", () => {
  before(async () => { await tf.setBackend("cpu"); });

  it("summary counts LeNet-5 params and FLOPs per layer", () => {
    const s = zoo.summary(zoo.lenet5());
    assert.equal(s.totalParams, 61706);
    assert.equal(s.trainableParams, 61706);
    const conv1 = s.rows.find((r) => r.name === "conv1/conv")!;
    assert.deepEqual(conv1.outputShape, [null, 28, 28, 6]);
    assert.equal(conv1.params, 156);
    assert.equal(conv1.flops, 2 * 25 * 1 * 6 * 28 * 28);
    const fc1 = s.rows.find((r) => r.name === "fc1/dense")!;
    assert.equal(fc1.flops, 2 * 400 * 120);
    assert.equal(s.totalFlops, s.rows.reduce((a, r) => a + r.flops, 0));
    const bundle = s[DISPLAY]();
    assert.match(String(bundle["text/plain"]), /conv1\/conv/);
    assert.match(String(bundle["text/html"]), /<table>/);
  });

  it("summary shows shared blocks once with their call count and FLOPs of every call", () => {
    const m = zoo.leptonNet({ shareWeights: true, stages: [{ channels: 16, blocks: 3 }] });
    const s = zoo.summary(m);
    const reduce = s.rows.find((r) => r.name === "stage1/shared/reduce")!;
    assert.equal(reduce.calls, 3);
    const oneCall = 2 * 16 * 8 * 14 * 14;
    assert.equal(reduce.flops, 3 * oneCall);
  });

  it("summary of a Sequential gives the output shapes and FLOPs of the same functional model", () => {
    const seq = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 8, activation: "relu" }), tf.layers.dense({ units: 2, activation: "softmax" })] });
    const functional = zoo.mlp({ inputShape: 4, numClasses: 2, hidden: [8] });
    const [a, b] = [zoo.summary(seq), zoo.summary(functional)];
    assert.deepEqual(a.rows.map((r) => r.outputShape), [[null, 8], [null, 2]]);
    assert.deepEqual(a.rows.map((r) => r.flops), b.rows.filter((r) => r.type === "Dense").map((r) => r.flops));
    assert.equal(a.totalFlops, b.totalFlops);
    assert.ok(a.totalFlops > 0);
  });

  it("a model shows its summary table in a notebook and one line in console.log, whatever its kind", () => {
    const { inspect } = require("node:util") as typeof import("node:util");
    const lenet = zoo.lenet5();
    const bundle = (lenet as unknown as Record<symbol, () => Record<string, string>>)[DISPLAY].call(lenet);
    assert.equal(bundle["text/plain"], zoo.summary(lenet).toString());
    assert.match(bundle["text/html"], /<td[^>]*>conv1\/conv<\/td><td[^>]*>Conv2D<\/td>/);
    assert.equal(inspect(lenet), 'Model "lenet5": 61,706 parameters, input [-, 28, 28, 1], output [-, 10]');
    assert.match(inspect({ model: lenet }), /^\{\s+model: Model "lenet5": 61,706 parameters, input \[-, 28, 28, 1\], output \[-, 10\]\s+\}$/);
    const seq = tf.sequential({ name: "tiny", layers: [tf.layers.dense({ inputShape: [3], units: 2 })] });
    assert.equal(inspect(seq), 'Sequential "tiny": 8 parameters, input [-, 3], output [-, 2]');
    // A disposed model still displays (its line and why there is no table), never throws.
    lenet.dispose();
    const after = (lenet as unknown as Record<symbol, () => Record<string, string>>)[DISPLAY].call(lenet);
    assert.match(after["text/plain"], /lenet5/);
  });

  it("freeze/unfreeze by block and the trainable count follows", () => {
    const m = zoo.mlp({ inputShape: 4, numClasses: 3, hidden: [5] });
    const frozen = zoo.freeze(m);
    assert.ok(frozen.includes("head"));
    assert.equal(m.trainableWeights.length, 0);
    zoo.unfreeze(m, "head");
    assert.equal(zoo.summary(m).trainableParams, 5 * 3 + 3);
    zoo.unfreeze(m, "hidden1");
    assert.equal(zoo.summary(m).trainableParams, m.countParams());
    assert.throws(() => zoo.freeze(m, "nope"), (e: unknown) => e instanceof LeptonError && e.code === "zoo:noSuchLayer" && /hidden1/.test(e.message));
  });

  it("replaceHead keeps the body weights and gives a new head", () => {
    const m = zoo.mlp({ inputShape: 4, numClasses: 3, hidden: [5] });
    const m2 = zoo.replaceHead(m, { numClasses: 7 });
    const y = m2.predict(tf.ones([2, 4])) as tf.Tensor;
    assert.deepEqual(y.shape, [2, 7]);
    assert.equal(m2.getLayer("hidden1/dense"), m.getLayer("hidden1/dense"));
  });

  it("saves and loads a transformer with the custom attention layer (round trip)", async () => {
    const m = zoo.transformerEncoder({ vocabSize: 30, sequenceLength: 8, numClasses: 3, dModel: 8, numHeads: 2, numLayers: 1 });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lepton-zoo-"));
    await saveModelFiles(m, dir);
    const loaded = await loadModelFiles(dir);
    const x = tf.tensor2d([[1, 2, 3, 4, 0, 0, 0, 0]], undefined, "int32");
    const a = Array.from((m.predict(x) as tf.Tensor).dataSync());
    const b = Array.from((loaded.predict(x) as tf.Tensor).dataSync());
    a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-6));
    assert.equal(loaded.getLayer("encoder1/attention").getClassName(), "LeptonMultiHeadSelfAttention");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("load of an unknown pretrained name is a clear error", async () => {
    await assert.rejects(zoo.load("no-such-model"), (e: unknown) => e instanceof LeptonError && e.code === "zoo:unknownPretrained");
  });
});
