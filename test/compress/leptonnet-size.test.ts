import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { save } from "../../src/deploy/bundle";
import { fileIO } from "../../src/deploy/file-io";
import { compactTopology } from "../../src/deploy/compact-topology";
import { quantizeWeightData } from "../../src/compress/quantize";
import { compressionReport } from "../../src/compress/report";
import { load as loadPretrained } from "../../src/zoo/pretrained";
import { leptonNet } from "../../src/zoo/architectures/leptonnet";
import { fit } from "../../src/train/fit";
import { ready } from "../../src/backend/resolve";
import { load as loadDataset } from "../../src/data/datasets/registry";
import { tempDir } from "../deploy/fixtures";

/** A static file server: the bundle is then loaded by tfjs's own HTTP handler, as a browser would. */
async function staticServer(root: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const file = path.join(root, decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname));
    if (!file.startsWith(root) || !fs.existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": file.endsWith(".json") ? "application/json" : "application/octet-stream" }).end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const onDisk = (dir: string, file: string) => fs.statSync(path.join(dir, file)).size;

describe("compress: LeptonNet/MNIST on disk (compact model.json, stock loading)", function () {
  let model: tf.LayersModel;
  let x: tf.Tensor4D;
  let y: tf.Tensor;
  let root: string;
  let files: Awaited<ReturnType<typeof staticServer>>;
  /** The original's scores on the 2,000 test images, computed once (the cpu backend is slow). */
  let scores: tf.Tensor;
  const accuracyOf = (out: tf.Tensor) => tf.tidy(() => out.argMax(-1).equal(y).mean().dataSync()[0]);

  before(async () => {
    model = await loadPretrained("leptonnet-mnist");
    const { test } = await loadDataset("mnist", { seed: 42 });
    x = test.x;
    y = test.y.toInt();
    scores = model.predict(x) as tf.Tensor;
    root = tempDir("lepton-leptonnet-size-");
    files = await staticServer(root);
  });
  after(async () => {
    await files.close();
    scores.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("the compact float32 model.json loads in stock tf.loadLayersModel over HTTP and predicts the same as the original (1e-6)", async () => {
    await model.save(fileIO(path.join(root, "full"), { compact: false }));
    await save(model, path.join(root, "compact"), { flat: true });
    const full = onDisk(path.join(root, "full"), "model.json");
    const compact = onDisk(path.join(root, "compact"), "model.json");
    assert.ok(compact < 0.6 * full, `compact model.json ${compact} B vs full ${full} B`);
    const stock = await tf.loadLayersModel(`${files.url}/compact/model.json`);
    assert.deepEqual(stock.toJSON(null, false), model.toJSON(null, false));
    const n = 500;
    const diff = tf.tidy(() => (stock.predict(x.slice(0, n)) as tf.Tensor).sub(scores.slice(0, n)).abs().max().dataSync()[0]);
    assert.ok(diff <= 1e-6, `max |difference| ${diff} over ${n} MNIST test images`);
    stock.dispose();
  });

  it("uint8 keeps accuracy within 0.5 points; weights at most 27% of float32, the whole model (model.json + weights) measured", async () => {
    const f32 = await save(model, path.join(root, "f32"), { flat: true });
    const u8 = await save(model, path.join(root, "u8"), { flat: true, quantize: "uint8" });
    const stock = await tf.loadLayersModel(`${files.url}/u8/model.json`);
    const base = accuracyOf(scores);
    const quantised = tf.tidy(() => accuracyOf(stock.predict(x) as tf.Tensor));
    assert.ok(base > 0.95, `float32 accuracy ${base}`);
    assert.ok(quantised >= base - 0.005, `uint8 accuracy ${quantised} vs float32 ${base}`);
    const weightRatio = onDisk(u8.dir, "weights.bin") / onDisk(f32.dir, "weights.bin");
    const totalRatio = (onDisk(u8.dir, "weights.bin") + onDisk(u8.dir, "model.json")) / (onDisk(f32.dir, "weights.bin") + onDisk(f32.dir, "model.json"));
    assert.ok(weightRatio <= 0.27, `uint8 weights ${weightRatio}`);
    // The whole-model goal (27%) is out of reach at 7k parameters: model.json alone (layer and weight
    // names tfjs needs) outweighs the uint8 weights (README). Keep what compaction gains there.
    await model.save(fileIO(path.join(root, "u8-full"), { compact: false, encodeWeights: (specs, data) => quantizeWeightData(specs, data, "uint8") }));
    await model.save(fileIO(path.join(root, "f32-full"), { compact: false }));
    const whole = (dir: string) => onDisk(path.join(root, dir), "weights.bin") + onDisk(path.join(root, dir), "model.json");
    const fullRatio = whole("u8-full") / whole("f32-full");
    assert.ok(onDisk(u8.dir, "model.json") < 0.65 * onDisk(path.join(root, "u8-full"), "model.json"), "uint8 model.json compacted");
    assert.ok(totalRatio < fullRatio, `uint8 model.json + weights: ${totalRatio} compact, ${fullRatio} as tfjs writes it`);
    stock.dispose();
  });

  it("the inference-only uint8 form (batch norms folded) is smaller still and loads in stock tfjs", async () => {
    // leptonnet-mnist ships folded already: train LeptonNet's training form (with its batch norms) briefly.
    const { train } = await loadDataset("mnist", { seed: 42 });
    const backend = tf.getBackend();
    await ready({ backend: "wasm" }); // the pure-JS cpu backend trains convolutions 30-60x slower
    const withBn = leptonNet({ stages: [{ channels: 16, blocks: 1, stride: 2 }] });
    await fit(withBn, { x: train.x.slice(0, 2000), y: train.y.slice(0, 2000) }, { epochs: 1, batchSize: 32, seed: 3, verbose: false });
    const bnScores = withBn.predict(x) as tf.Tensor;
    await tf.setBackend(backend);
    const u8 = await save(withBn, path.join(root, "u8-again"), { flat: true, quantize: "uint8" });
    const folded = await save(withBn, path.join(root, "u8-folded"), { flat: true, quantize: "uint8", inferenceOnly: true });
    const json = fs.readFileSync(path.join(folded.dir, "model.json"), "utf8");
    assert.ok(!json.includes("BatchNormalization") && JSON.parse(fs.readFileSync(path.join(u8.dir, "model.json"), "utf8")).modelTopology.config.layers.some((l: { class_name: string }) => l.class_name === "BatchNormalization"));
    assert.equal(JSON.parse(fs.readFileSync(path.join(folded.dir, "lepton.json"), "utf8")).weights.inferenceOnly, true);
    const whole = (dir: string) => onDisk(dir, "model.json") + onDisk(dir, "weights.bin");
    assert.ok(whole(folded.dir) < whole(u8.dir), `folded ${whole(folded.dir)} B vs ${whole(u8.dir)} B`);
    const stock = await tf.loadLayersModel(`${files.url}/u8-folded/model.json`);
    const quantised = tf.tidy(() => accuracyOf(stock.predict(x) as tf.Tensor));
    assert.ok(quantised >= accuracyOf(bnScores) - 0.005, `folded uint8 accuracy ${quantised} vs ${accuracyOf(bnScores)}`);
    assert.ok(withBn.layers.some((l) => l.getClassName() === "BatchNormalization"), "the model itself is unchanged");
    stock.dispose();
    bnScores.dispose();
    withBn.dispose();
  });

  it("the report counts model.json + weights as the size and lists lepton.json apart", async () => {
    const report = await compressionReport(model, { x: x.slice(0, 500), y: y.slice(0, 500), runs: 3 });
    const [f32, , u8] = report.rows;
    assert.equal(f32.bytes, f32.jsonBytes + f32.weightBytes);
    assert.ok(f32.extraBytes > 0, "lepton.json counted apart");
    assert.ok(u8.weightRatio <= 0.27 && u8.ratio > u8.weightRatio);
    assert.match(report.toString(), /model\.json/);
  });

  it("compactTopology keeps custom-layer and nested topologies loadable (or leaves them as they are)", async () => {
    const inner = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3, activation: "relu" })] });
    const input = tf.input({ shape: [4] });
    const outer = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 2 }).apply(inner.apply(input)) as tf.SymbolicTensor });
    const artifacts = await new Promise<tf.io.ModelArtifacts>((resolve) =>
      void outer.save(tf.io.withSaveHandler(async (a) => (resolve(a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } }))),
    );
    const compact = await compactTopology(artifacts.modelTopology as object);
    assert.ok(JSON.stringify(compact).length < JSON.stringify(artifacts.modelTopology).length);
    const back = await tf.loadLayersModel(tf.io.fromMemory({ ...artifacts, modelTopology: compact }));
    const probe = tf.randomNormal([5, 4]);
    const diff = tf.tidy(() => (back.predict(probe) as tf.Tensor).sub(outer.predict(probe) as tf.Tensor).abs().max().dataSync()[0]);
    assert.ok(diff <= 1e-6, `nested model diff ${diff}`);
    // Something tfjs cannot rebuild is written as it came.
    const unknown = { class_name: "Model", config: { name: "m", layers: [{ name: "a", class_name: "NoSuchLayer", config: { name: "a" }, inbound_nodes: [] }], input_layers: [], output_layers: [] } };
    assert.equal(await compactTopology(unknown), unknown);
    tf.dispose([probe]);
  });

  it("quantised weights compact too: float16 and uint8 manifests load and keep shape and names", () => {
    const specs: tf.io.WeightsManifestEntry[] = [{ name: "k", shape: [64], dtype: "float32" }];
    const values = Float32Array.from({ length: 64 }, (_, i) => Math.sin(i) * 0.37);
    for (const dtype of ["float16", "uint8"] as const) {
      const out = quantizeWeightData(specs, values.buffer, dtype);
      const back = tf.io.decodeWeights(out.data, out.specs).k;
      assert.deepEqual(back.shape, [64]);
      const err = tf.tidy(() => back.sub(tf.tensor(values)).abs().max().dataSync()[0]);
      assert.ok(err <= (dtype === "uint8" ? 0.74 / 255 / 2 + 1e-6 : 1e-3), `${dtype} error ${err}`);
      // The scale and offset print short (at most 12 characters each).
      if (dtype === "uint8") for (const v of [out.specs[0].quantization!.scale!, out.specs[0].quantization!.min!]) assert.ok(String(v).length <= 12, String(v));
      back.dispose();
    }
  });
});
