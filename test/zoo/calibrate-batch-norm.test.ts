import { strict as assert } from "node:assert";
import * as tf from "@tensorflow/tfjs";
import * as zoo from "../../src/zoo/index";

/** The moving mean and variance of a batch norm layer. */
function stats(layer: tf.layers.Layer): { mean: number[]; variance: number[] } {
  const get = (suffix: string) => Array.from(layer.getWeights()[layer.weights.findIndex((w) => w.originalName.endsWith(suffix))].dataSync());
  return { mean: get("/moving_mean"), variance: get("/moving_variance") };
}

/** Mean and population variance per last-axis channel of the given tensors together. */
function measured(ts: tf.Tensor[]): { mean: number[]; variance: number[] } {
  return tf.tidy(() => {
    const channels = ts[0].shape[ts[0].shape.length - 1] as number;
    const all = tf.concat(ts.map((t) => t.reshape([-1, channels])));
    const { mean, variance } = tf.moments(all, 0);
    return { mean: Array.from(mean.dataSync()), variance: Array.from(variance.dataSync()) };
  });
}

const close = (a: number[], b: number[], what: string) => a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-3 * (1 + Math.abs(b[i])), `${what}[${i}]: ${v} vs ${b[i]}`));

describe("zoo calibrateBatchNorm", () => {
  before(async () => { await tf.setBackend("cpu"); });

  it("sets each batch norm's statistics to those of its input over the data, in inference mode and in order", () => {
    const input = tf.input({ shape: [6] });
    let h = tf.layers.dense({ units: 4, name: "d1" }).apply(input) as tf.SymbolicTensor;
    const bn1In = h;
    h = tf.layers.batchNormalization({ name: "bn1" }).apply(h) as tf.SymbolicTensor;
    h = tf.layers.dense({ units: 3, name: "d2" }).apply(h) as tf.SymbolicTensor;
    const bn2In = h;
    h = tf.layers.batchNormalization({ name: "bn2" }).apply(h) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: h });
    const x = tf.randomNormal([300, 6], 2, 3, "float32", 1);
    const before = stats(model.getLayer("bn2"));
    assert.deepEqual(zoo.calibrateBatchNorm(model, x, { batchSize: 64 }), ["bn1", "bn2"]);
    // After calibration, each batch norm's input (computed with the calibrated ones before it) has exactly its statistics.
    for (const [name, sym] of [["bn1", bn1In], ["bn2", bn2In]] as const) {
      const actual = measured([tf.model({ inputs: input, outputs: sym }).predict(x) as tf.Tensor]);
      const got = stats(model.getLayer(name));
      close(got.mean, actual.mean, `${name} mean`);
      close(got.variance, actual.variance, `${name} variance`);
    }
    assert.notDeepEqual(stats(model.getLayer("bn2")).mean, before.mean);
  });

  it("a shared batch norm gets the statistics of all its calls together", () => {
    const input = tf.input({ shape: [5, 5, 2] });
    const a = tf.layers.conv2d({ filters: 3, kernelSize: 1, name: "a" }).apply(input) as tf.SymbolicTensor;
    const b = tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: "same", name: "b" }).apply(input) as tf.SymbolicTensor;
    const shared = tf.layers.batchNormalization({ name: "shared" });
    const out = tf.layers.add().apply([shared.apply(a) as tf.SymbolicTensor, shared.apply(b) as tf.SymbolicTensor]) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    const x = tf.randomUniform([40, 5, 5, 2], -1, 3, "float32", 2);
    zoo.calibrateBatchNorm(model, x);
    const expected = measured(tf.model({ inputs: input, outputs: [a, b] }).predict(x) as tf.Tensor[]);
    const got = stats(model.getLayer("shared"));
    close(got.mean, expected.mean, "mean");
    close(got.variance, expected.variance, "variance");
  });

  it("needs data", () => {
    assert.throws(() => zoo.calibrateBatchNorm(zoo.leptonNet(), tf.zeros([0, 28, 28, 1])), (e: unknown) => (e as { code?: string }).code === "zoo:calibrateEmpty");
  });
});
