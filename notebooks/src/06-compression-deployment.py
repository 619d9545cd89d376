CELLS = [
("markdown", """
# 06 · Compression and deployment

A trained model is only useful once it runs somewhere. This notebook takes the zoo's pretrained
**LeNet-5** for MNIST (62k parameters), makes it smaller — **quantised** weights (float16, uint8) and
**magnitude pruning** (most small weights set to zero, then a short fine-tune) — measures what each
form costs in accuracy and latency, and then **serves** the chosen form over REST (TF Serving's API),
calls it with `fetch` from a cell, and stops the server.
"""),
("code", """
// Parameters (papermill-style: `npx lepton run` can override them).
const seed = 42;
const sparsity = 0.7;         // fraction of each kernel pruned
const fineTuneEpochs = 2;     // epochs of fine-tuning after pruning
const fineTuneSize = 2000;    // training images used for that fine-tuning
""", {"tags": ["parameters"]}),
("code", """
lepton.seed(seed);
const { train, test, classes } = await lepton.datasets.load("mnist", { seed });
const xTest = test.x;   // cached outside any tf.tidy
const model = await lepton.zoo.load("lenet5-mnist");
lepton.zoo.summary(model)
"""),
("markdown", """
## 1. Prune

`lepton.compress.prune` zeroes the smallest `sparsity` share of every kernel, fine-tunes briefly so the
remaining weights compensate, and re-applies the mask after each batch so pruned weights stay zero.
We prune a **copy** and keep the original for comparison.
"""),
("code", """
const pruned = await lepton.zoo.load("lenet5-mnist");
const tuneData = { x: train.x.slice([0, 0, 0, 0], [fineTuneSize, 28, 28, 1]), y: train.y.slice([0], [fineTuneSize]) };
const pruning = await lepton.compress.prune(pruned, { sparsity, fineTune: async (m, reapply) => {
  await lepton.fit(m, tuneData, { epochs: fineTuneEpochs, batchSize: 64, lr: 1e-3, seed, verbose: false,
    callbacks: [{ onBatchEnd: () => reapply() }] });
} });
new lepton.evaluate.Table([{ key: "name", title: "Weight" }, { key: "size", title: "Values" },
  { key: "sparsity", title: "Zeros", format: (v) => `${(100 * (v as number)).toFixed(1)}%` }], pruning.weights,
  { title: `Pruned to ${(100 * pruning.sparsity).toFixed(1)}% zeros overall` })
"""),
("markdown", """
## 2. Compare the forms

`compressionReport` writes each form to disk, reloads it as a deployment would, and measures its size,
its accuracy on the 2,000 test digits and the latency of a single-row prediction. Zeros compress well,
so the pruned forms are gzipped.
"""),
("code", """
const report = await lepton.compress.compressionReport(model, { x: xTest, y: test.y, pruned, runs: 20 });
report
"""),
("code", """
lepton.plot.scatter({ x: report.rows.map((r) => r.bytes / 1024), y: report.rows.map((r) => r.accuracy ?? NaN),
  groups: report.rows.map((r) => r.form), size: 12, title: "Size against accuracy", xLabel: "size on disk (KiB)", yLabel: "test accuracy" })
"""),
("markdown", """
## 3. Save the chosen form and serve it

We deploy the pruned model with uint8 weights and gzip: a bundle folder `models/<name>/<version>/`
with the class labels and the measured accuracy beside the weights. `lepton.serve` starts an HTTP
server on a free local port speaking TF Serving's REST API (and KServe v2).
"""),
("code", """
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
const modelsDir = fs.mkdtempSync(path.join(os.tmpdir(), "lepton-06-models-"));
const chosen = report.rows.find((r) => r.form.includes("uint8") && r.form.includes("gzip")) ?? report.rows[0];
const saved = await lepton.save(pruned, modelsDir, { name: "digits", labels: classes, quantize: "uint8", gzip: true, seed,
  metrics: { accuracy: chosen.accuracy ?? NaN } });
const server = await lepton.serve(modelsDir);
server
"""),
("markdown", "## 4. Call it from a cell\nThe model's metadata, then a prediction for eight test images sent as JSON."),
("code", """
// TF Serving's metadata: the model spec and the signature (input name, dtype and shape).
const metadata = await (await fetch(`${server.url}/v1/models/digits/metadata`)).json() as {
  model_spec: { name: string; version: string };
  metadata: { signature_def: { signature_def: Record<string, { inputs: Record<string, { dtype: string; tensor_shape: { dim: { size: string }[] } }> }> } };
};
const inputs = metadata.metadata.signature_def.signature_def["serving_default"].inputs;
new lepton.evaluate.Table([{ key: "name", title: "Model" }, { key: "version", title: "Version" }, { key: "input", title: "Input" }, { key: "dtype", title: "Type" }, { key: "shape", title: "Shape" }],
  Object.entries(inputs).map(([input, spec]) => ({ name: metadata.model_spec.name, version: metadata.model_spec.version, input, dtype: spec.dtype,
    shape: `[${spec.tensor_shape.dim.map((d) => d.size).join(", ")}]` })), { title: "GET /v1/models/digits/metadata" })
"""),
("code", """
const eight = xTest.slice([0, 0, 0, 0], [8, 28, 28, 1]);
const response = await fetch(`${server.url}/v1/models/digits:predict`, {
  method: "POST", headers: { "content-type": "application/json" },
  body: JSON.stringify({ instances: eight.arraySync() }),
});
// A bundle with labels answers each instance with its label and the class probabilities.
const body = await response.json() as { predictions: { label: string; probabilities: number[] }[] };
lepton.plot.imageGrid({ images: eight, columns: 8, title: `HTTP ${response.status}: predictions from the REST server`,
  captions: body.predictions.map((p, i) => `${p.label} (true ${classes[test.labels[i]]})`) })
"""),
("markdown", "## 5. Stop the server\n`stop()` lets in-flight requests finish, closes the port and frees the model."),
("code", """
await server.stop();
const after = await fetch(`${server.url}/v1/models/digits`).then(() => "still answering", () => "stopped: connection refused");
after
"""),
("markdown", """
**What to remember.** Measure every compressed form on real data before choosing; quantisation and
pruning trade little accuracy for a much smaller download here. A bundle carries what a client needs
(labels, metrics, provenance), and one call serves it. From a terminal: `npx lepton serve <models folder>`.
"""),
]
