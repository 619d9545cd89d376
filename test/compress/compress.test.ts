import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { save } from "../../src/deploy/bundle";
import { fileIO } from "../../src/deploy/file-io";
import { DISPLAY } from "../../src/runtime/host";
import { LeptonError } from "../../src/i18n/index";
import { affineRange, quantizeWeightData, toFloat16Bits } from "../../src/compress/quantize";
import { prune } from "../../src/compress/prune";
import { compressionReport } from "../../src/compress/report";
import { tempDir, testTensors, trainClassifier } from "../deploy/fixtures";

const modelBytes = (dir: string) => fs.readdirSync(dir).filter((f) => f === "model.json" || f.startsWith("weights.")).reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);

function accuracy(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor): number {
  return tf.tidy(() => (model.predict(x) as tf.Tensor).argMax(-1).equal(y).mean().dataSync()[0]);
}

describe("compress: quantisation, pruning, report", function () {
  let trained: Awaited<ReturnType<typeof trainClassifier>>;
  let x: tf.Tensor2D;
  let y: tf.Tensor1D;
  let root: string;
  before(async () => {
    trained = await trainClassifier(3, 256);
    ({ x, y } = testTensors(trained.scaler, trained.test));
    root = tempDir("lepton-compress-");
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it("float16 bits match tfjs's own float16 decoder", () => {
    const values = [0, -0, 1, -2.5, 65504, 1e-5, 6e-8, 3.14159, -1234.5, 70000, 1 / 3];
    const bits = new Uint16Array(values.map(toFloat16Bits));
    const decoded = tf.io.decodeWeights(bits.buffer, [{ name: "w", shape: [values.length], dtype: "float32", quantization: { dtype: "float16" } }]).w.dataSync();
    values.forEach((v, i) => {
      const expected = Math.abs(v) > 65504 ? Math.sign(v) * Infinity : v;
      if (Number.isFinite(expected)) assert.ok(Math.abs(decoded[i] - expected) <= Math.abs(expected) * 1e-3 + 6e-8, `${v} -> ${decoded[i]}`);
      else assert.equal(decoded[i], expected);
    });
  });

  it("affine uint8 keeps zero exact (pruned weights stay zero)", () => {
    const w = new Float32Array([-0.7, 0, 0.31, 0, 1.9, -0.02]);
    const { specs, data } = quantizeWeightData([{ name: "w", shape: [6], dtype: "float32" }], w.buffer, "uint8", { minElements: 1 });
    assert.equal(specs[0].quantization?.dtype, "uint8");
    assert.equal(data.byteLength, 6);
    const back = tf.io.decodeWeights(data, specs).w.dataSync();
    assert.equal(back[1], 0);
    assert.equal(back[3], 0);
    const { scale } = affineRange(-0.7, 1.9);
    w.forEach((v, i) => assert.ok(Math.abs(back[i] - v) <= scale / 2 + 1e-6));
  });

  it("uint8 is at most 27% of float32 on disk, loads in stock tf.loadLayersModel, accuracy within 2 points", async () => {
    const f32 = await save(trained.model, path.join(root, "f32"), { flat: true });
    const u8 = await save(trained.model, path.join(root, "u8"), { flat: true, quantize: "uint8" });
    const f16 = await save(trained.model, path.join(root, "f16"), { flat: true, quantize: "float16" });
    const ratio = modelBytes(u8.dir) / modelBytes(f32.dir);
    assert.ok(ratio <= 0.27, `uint8 ratio ${ratio}`);
    const ratio16 = modelBytes(f16.dir) / modelBytes(f32.dir);
    assert.ok(ratio16 > 0.45 && ratio16 <= 0.52, `float16 ratio ${ratio16}`);
    const manifest = JSON.parse(fs.readFileSync(path.join(u8.dir, "model.json"), "utf8"));
    const quant = manifest.weightsManifest[0].weights.map((w: tf.io.WeightsManifestEntry) => w.quantization?.dtype);
    assert.ok(quant.includes("uint8"));
    const kernel = manifest.weightsManifest[0].weights.find((w: tf.io.WeightsManifestEntry) => w.quantization?.dtype === "uint8");
    assert.equal(typeof kernel.quantization.scale, "number");
    assert.equal(typeof kernel.quantization.min, "number");
    const loaded = await tf.loadLayersModel(fileIO(u8.dir));
    const loaded16 = await tf.loadLayersModel(fileIO(f16.dir));
    const base = accuracy(trained.model, x, y);
    assert.ok(base > 0.9, `base accuracy ${base}`);
    assert.ok(accuracy(loaded, x, y) >= base - 0.02, `uint8 ${accuracy(loaded, x, y)} vs ${base}`);
    const diff16 = tf.tidy(() => (loaded16.predict(x) as tf.Tensor).sub(trained.model.predict(x) as tf.Tensor).abs().max().dataSync()[0]);
    assert.ok(diff16 < 1e-2, `float16 max diff ${diff16}`);
  });

  it("prunes to the target sparsity, keeps zeros through fine-tuning, and the gzip form is small", async () => {
    const copy = await tf.loadLayersModel(fileIO((await save(trained.model, path.join(root, "copy"), { flat: true })).dir));
    copy.compile({ optimizer: tf.train.adam(0.005), loss: "sparseCategoricalCrossentropy" });
    const train = testTensors(trained.scaler, trained.test);
    const result = await prune(copy, { sparsity: 0.8, fineTune: { x: train.x, y: train.y.toFloat(), epochs: 2 } });
    assert.ok(Math.abs(result.sparsity - 0.8) < 0.01, `sparsity ${result.sparsity}`);
    assert.ok(result.weights.every((w) => w.sparsity >= 0.79));
    assert.ok(accuracy(copy, x, y) > 0.85, `pruned accuracy ${accuracy(copy, x, y)}`);
    const plain = await save(copy, path.join(root, "pruned"), { flat: true });
    const gz = await save(copy, path.join(root, "pruned-gz"), { flat: true, gzip: true });
    assert.ok(fs.existsSync(path.join(gz.dir, "weights.bin.gz")));
    assert.ok(modelBytes(gz.dir) < 0.4 * modelBytes(plain.dir), `gzip ${modelBytes(gz.dir)} vs ${modelBytes(plain.dir)}`);
    const back = await tf.loadLayersModel(fileIO(gz.dir));
    assert.equal(accuracy(back, x, y), accuracy(copy, x, y));
    result.dispose();
    await assert.rejects(prune(copy, { sparsity: 1.5 }), (e: unknown) => e instanceof LeptonError && e.code === "compress:badSparsity");
  });

  it("fine-tunes an uncompiled model (loss from the softmax output or the option) and says when no loss can be found", async () => {
    const saved = await save(trained.model, path.join(root, "uncompiled"), { flat: true });
    const fresh = () => tf.loadLayersModel(fileIO(saved.dir));
    const copy = await fresh();
    assert.equal(copy.optimizer, undefined, "loaded models are not compiled");
    const before = accuracy(copy, x, y);
    const result = await prune(copy, { sparsity: 0.9, fineTune: { x, y, epochs: 3, lr: 0.01, batchSize: 32 } });
    assert.ok(result.weights.every((w) => w.sparsity >= 0.89), JSON.stringify(result.weights));
    const tuned = accuracy(copy, x, y);
    // Pruning 90% without fine-tuning hurts; the fine-tuned copy must beat the untuned one.
    const untuned = await fresh();
    (await prune(untuned, { sparsity: 0.9 })).dispose();
    // Here: 100% fine-tuned against 75% untuned, the original 100%.
    assert.ok(tuned >= Math.min(0.95, before) && tuned > accuracy(untuned, x, y), `tuned ${tuned}, untuned ${accuracy(untuned, x, y)}, original ${before}`);
    result.dispose();

    // Explicit loss on an uncompiled model (one-hot labels, categorical cross-entropy).
    const other = await fresh();
    const oneHot = tf.oneHot(y, 3).toFloat();
    const explicit = await prune(other, { sparsity: 0.5, fineTune: { x, y: oneHot, epochs: 1, loss: "categoricalCrossentropy", optimizer: "sgd", lr: 0.05 } });
    assert.ok(Math.abs(explicit.sparsity - 0.5) < 0.01);
    explicit.dispose();

    // A linear output, not compiled, no loss: a clear error, and the weights untouched.
    const input = tf.input({ shape: [4] });
    const regression = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 1 }).apply(tf.layers.dense({ units: 8, activation: "relu" }).apply(input)) as tf.SymbolicTensor });
    const weightsBefore = regression.getWeights().map((w) => Array.from(w.dataSync()));
    await assert.rejects(prune(regression, { sparsity: 0.5, fineTune: { x, y: tf.randomNormal([x.shape[0], 1]) } }), (e: unknown) => e instanceof LeptonError && e.code === "compress:fineTuneNeedsLoss" && /loss/.test(e.message) && /linear/.test(e.message));
    assert.deepEqual(regression.getWeights().map((w) => Array.from(w.dataSync())), weightsBefore);
    const mse = await prune(regression, { sparsity: 0.5, fineTune: { x, y: tf.randomNormal([x.shape[0], 1]), epochs: 1, loss: "meanSquaredError" } });
    assert.ok(mse.sparsity >= 0.49);
    tf.dispose([oneHot]);
  });

  it("reports size, accuracy and latency for each form, as a displayable table", async () => {
    const pruned = await tf.loadLayersModel(fileIO((await save(trained.model, path.join(root, "copy2"), { flat: true })).dir));
    (await prune(pruned, { sparsity: 0.5 })).dispose();
    const report = await compressionReport(trained.model, { x, y, pruned, runs: 5 });
    assert.deepEqual(report.rows.map((r) => r.form), ["float32", "float16", "uint8", "pruned + gzip", "pruned uint8 + gzip"]);
    assert.equal(report.rows[0].ratio, 1);
    assert.ok(report.rows[2].ratio <= 0.27);
    assert.ok(report.rows[2].weightRatio <= 0.26 && report.rows[1].weightRatio === 0.5, JSON.stringify(report.rows.map((r) => r.weightRatio)));
    assert.ok(report.rows[4].bytes < report.rows[2].bytes, "pruned uint8 + gzip is the smallest");
    for (const r of report.rows) {
      assert.ok(r.latencyMs > 0);
      assert.ok(r.accuracy! > 0.85);
    }
    const bundle = report[DISPLAY]();
    assert.match(String(bundle["text/plain"]), /uint8/);
    assert.match(String(bundle["text/html"]), /<table/);
  });
});
