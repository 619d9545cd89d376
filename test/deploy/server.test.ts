import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as tf from "@tensorflow/tfjs";
import { save, load } from "../../src/deploy/bundle";
import { serve, type ServerHandle } from "../../src/deploy/server";
import { FEATURES, LABELS, accuracyOf, tempDir, trainClassifier } from "./fixtures";
import { call } from "./http-client";

const asObjects = (rows: number[][]) => rows.map((r) => Object.fromEntries(FEATURES.map((f, j) => [f, r[j]])));

describe("deploy: server routes and errors (real server on loopback)", function () {
  let trained: Awaited<ReturnType<typeof trainClassifier>>;
  let root: string;
  let server: ServerHandle;
  let url: string;
  before(async () => {
    trained = await trainClassifier();
    root = tempDir();
    await save(trained.model, root, { name: "blobs", labels: LABELS, preprocessing: trained.scaler, metrics: { accuracy: 0.95 } });
    const reg = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2 })] });
    await save(reg, root, { name: "reg" });
    await save(trained.model, root, { name: "raw" });
    server = await serve(root, { pollMs: 0 });
    url = server.url;
  });
  after(async () => {
    await server?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("binds loopback on a free port and lists the models", async () => {
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(server.models(), ["blobs", "raw", "reg"]);
    const h = await call(url, "GET", "/healthz");
    assert.equal(h.status, 200);
    assert.equal(h.body.status, "ok");
  });

  it("answers the TF Serving status and metadata routes", async () => {
    const s = await call(url, "GET", "/v1/models/blobs");
    assert.equal(s.status, 200);
    assert.deepEqual(s.body.model_version_status, [{ version: "1", state: "AVAILABLE", status: { error_code: "OK", error_message: "" } }]);
    assert.equal((await call(url, "GET", "/v1/models/blobs/versions/1")).status, 200);
    const md = await call(url, "GET", "/v1/models/blobs/metadata");
    assert.equal(md.status, 200);
    const sig = md.body.metadata.signature_def.signature_def.serving_default;
    assert.deepEqual(Object.keys(sig.outputs).sort(), ["label", "probabilities"]);
    assert.deepEqual(md.body.metadata.lepton.labels, LABELS);
    assert.deepEqual(md.body.metadata.lepton.features, FEATURES);
    assert.deepEqual(md.body.metadata.lepton.metrics, { accuracy: 0.95 });
    assert.equal((await call(url, "GET", "/v1/models/blobs/versions/1/metadata")).body.model_spec.version, "1");
  });

  it("answers the KServe v2 health, server and model routes", async () => {
    assert.deepEqual((await call(url, "GET", "/v2/health/live")).status, 200);
    assert.deepEqual((await call(url, "GET", "/v2/health/ready")).body.ready, true);
    assert.equal((await call(url, "GET", "/v2")).body.name, "lepton");
    const m = await call(url, "GET", "/v2/models/blobs");
    assert.equal(m.status, 200);
    assert.deepEqual(m.body.versions, ["1"]);
    assert.deepEqual(m.body.inputs[0].shape, [-1, 4]);
    assert.deepEqual(m.body.outputs.map((o: { name: string }) => o.name), ["label", "probabilities"]);
    assert.equal((await call(url, "GET", "/v2/models/blobs/ready")).body.ready, true);
    assert.equal((await call(url, "GET", "/v2/models/blobs/versions/1/ready")).status, 200);
    assert.equal((await call(url, "GET", "/v2/models/blobs/versions/9/ready")).status, 404);
    assert.equal((await call(url, "GET", "/v2/models/blobs/versions/1")).body.parameters.version, "1");
  });

  it("predicts from raw feature rows server-side (preprocessing + labels), same as the bundle", async () => {
    const rows = asObjects(trained.test.rows);
    const r = await call(url, "POST", "/v1/models/blobs:predict", { instances: rows });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get("x-model-version"), "1");
    const labels = r.body.predictions.map((p: { label: string }) => p.label);
    assert.ok(accuracyOf(labels, trained.test.classes) > 0.9);
    const local = (await (await load(root, { name: "blobs" })).predict(rows)) as { label: string; probabilities: number[] }[];
    assert.deepEqual(labels, local.map((p) => p.label));
    assert.ok(Math.abs(r.body.predictions[0].probabilities[0] - local[0].probabilities[0]) < 1e-6);
    // arrays in feature order work too
    const arr = await call(url, "POST", "/v1/models/blobs:predict", { instances: trained.test.rows.slice(0, 3) });
    assert.deepEqual(arr.body.predictions.map((p: { label: string }) => p.label), labels.slice(0, 3));
  });

  it("accepts columnar inputs and answers columnar outputs", async () => {
    const cols = Object.fromEntries(FEATURES.map((f, j) => [f, trained.test.rows.slice(0, 4).map((r) => r[j])]));
    const r = await call(url, "POST", "/v1/models/blobs:predict", { inputs: cols });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.outputs.label.length, 4);
    assert.equal(r.body.outputs.probabilities[0].length, 3);
    const raw = await call(url, "POST", "/v1/models/raw:predict", { inputs: [[0, 0, 0, 0], [1, 1, 1, 1]] });
    assert.equal(raw.status, 200, raw.text);
    assert.equal(raw.body.outputs.label.length, 2);
    assert.match(raw.body.outputs.label[0], /^[012]$/, "no labels saved: class indices as labels");
  });

  it(":classify answers [label, score] pairs per example", async () => {
    const r = await call(url, "POST", "/v1/models/blobs:classify", { examples: asObjects(trained.test.rows.slice(0, 2)) });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.result.length, 2);
    assert.deepEqual(r.body.result[0].map((p: [string, number]) => p[0]), LABELS);
    const reg = await call(url, "POST", "/v1/models/reg:classify", { examples: [[1, 2, 3]] });
    assert.equal(reg.status, 400);
    assert.match(reg.body.error, /:predict/);
  });

  it("KServe v2 infer takes one [n, 4] tensor or one tensor per feature, and filters outputs", async () => {
    const rows = trained.test.rows.slice(0, 5);
    const one = await call(url, "POST", "/v2/models/blobs/infer", { id: "r1", inputs: [{ name: "x", shape: [5, 4], datatype: "FP32", data: rows.flat() }] });
    assert.equal(one.status, 200, one.text);
    assert.equal(one.body.id, "r1");
    assert.equal(one.body.model_version, "1");
    const label = one.body.outputs.find((o: { name: string }) => o.name === "label");
    assert.deepEqual(label.shape, [5]);
    const perFeature = await call(url, "POST", "/v2/models/blobs/infer", {
      inputs: FEATURES.map((f, j) => ({ name: f, shape: [5], datatype: "FP64", data: rows.map((r) => r[j]) })),
      outputs: [{ name: "label" }],
    });
    assert.equal(perFeature.status, 200, perFeature.text);
    assert.deepEqual(perFeature.body.outputs.map((o: { name: string }) => o.name), ["label"]);
    assert.deepEqual(perFeature.body.outputs[0].data, label.data);
    const reg = await call(url, "POST", "/v2/models/reg/versions/1/infer", { inputs: [{ name: "x", shape: [2, 3], datatype: "FP32", data: [[1, 2, 3], [4, 5, 6]] }] });
    assert.equal(reg.status, 200, reg.text);
    assert.deepEqual(reg.body.outputs[0].shape, [2, 2]);
    assert.equal(reg.body.outputs[0].data.length, 4);
  });

  it("regression models answer plain values", async () => {
    const r = await call(url, "POST", "/v1/models/reg:predict", { instances: [[1, 2, 3]] });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.predictions[0].length, 2);
    assert.equal(typeof r.body.predictions[0][0], "number");
  });

  it("answers 400 with what was expected for bad input", async () => {
    const cases: [string, string, unknown, RegExp][] = [
      ["/v1/models/blobs:predict", "POST", "{not json", /not valid JSON/],
      ["/v1/models/blobs:predict", "POST", "", /empty/],
      ["/v1/models/blobs:predict", "POST", "[1,2]", /JSON object/],
      ["/v1/models/blobs:predict", "POST", { rows: [] }, /"instances"/],
      ["/v1/models/blobs:predict", "POST", { instances: [] }, /at least one row/],
      ["/v1/models/blobs:predict", "POST", { instances: "abc" }, /list of rows/],
      ["/v1/models/blobs:predict", "POST", { instances: [{ a: 1, b: 2 }] }, /feature c must be a number|could not read/],
      ["/v1/models/raw:predict", "POST", { instances: [[1, 2, 3]] }, /expected \[4\]/],
      ["/v1/models/raw:predict", "POST", { instances: [[1, 2, "x", 4]] }, /instances\[0\]\[2\] must be a finite number/],
      ["/v1/models/raw:predict", "POST", { instances: [{ a: 1 }] }, /object/],
      ["/v1/models/raw:predict", "POST", { inputs: { a: [1, 2], b: [1] } }, /same length/],
      ["/v2/models/raw/infer", "POST", { inputs: [{ name: "x", shape: [1, 4], datatype: "FP32", data: [1, 2, 3] }] }, /4 values.*3 values/],
      ["/v2/models/raw/infer", "POST", { inputs: [{ name: "x", shape: [1, 4] }] }, /datatype/],
      ["/v2/models/raw/infer", "POST", { inputs: [{ name: "x", shape: [1, 4], datatype: "BYTES", data: ["a", "b", "c", "d"] }] }, /numeric/],
      ["/v2/models/raw/infer", "POST", {}, /"inputs"/],
      ["/v2/models/raw/infer", "POST", { inputs: [{ name: "x", shape: [1, 4], datatype: "FP32", data: [1, 2, 3, 4] }], outputs: [{ name: "nope" }] }, /nope/],
    ];
    for (const [path, method, body, message] of cases) {
      const r = await call(url, method, path, body);
      assert.equal(r.status, 400, `${path} ${JSON.stringify(body)} -> ${r.status} ${r.text}`);
      assert.match(r.body.error, message, `${JSON.stringify(body)}: ${r.body.error}`);
    }
  });

  it("answers 404 for unknown models, versions and routes, and names cannot escape the folder", async () => {
    for (const path of ["/v1/models/nope", "/v1/models/blobs/versions/7", "/v2/models/nope", "/nothing", "/v1/models/..%2F..%2Fetc", "/v1/models/%2e%2e/metadata", "/v2/models/..%2Fblobs/infer"]) {
      const r = await call(url, "GET", path);
      assert.equal(r.status, path.endsWith("/infer") ? 405 : 404, `${path}: ${r.status}`);
    }
    const esc = await call(url, "POST", "/v1/models/..%2F..%2Fetc:predict", { instances: [[1]] });
    assert.equal(esc.status, 404);
    assert.match(esc.body.error, /No model named/);
    assert.equal((await call(url, "POST", "/v1/models/nope:predict", { instances: [[1]] })).status, 404);
    assert.equal((await call(url, "POST", "/v2/models/blobs/versions/3/infer", { inputs: [] })).status, 404);
    assert.equal((await call(url, "GET", "/v1/models/%E0%A4%A:predict")).status, 400);
    assert.equal((await call(url, "DELETE", "/v1/models/blobs")).status, 405);
  });

  it("exposes Prometheus metrics: requests, errors, latency histogram, batch sizes", async () => {
    const r = await call(url, "GET", "/metrics");
    assert.equal(r.status, 200);
    assert.match(r.headers.get("content-type") ?? "", /text\/plain/);
    assert.match(r.text, /lepton_requests_total\{route="predict",model="blobs",code="200"\} \d+/);
    assert.match(r.text, /lepton_request_errors_total\{route="predict",model="raw",code="400"\} \d+/);
    assert.match(r.text, /lepton_request_duration_seconds_bucket\{route="predict",model="blobs",le="0.1"\} \d+/);
    assert.match(r.text, /lepton_batch_size_count [1-9]\d*/);
    assert.match(r.text, /lepton_model_version\{model="blobs"\} 1/);
  });
});

describe("deploy: server limits, auth, batching, in-memory models", function () {
  let trained: Awaited<ReturnType<typeof trainClassifier>>;
  let root: string;
  before(async () => {
    trained = await trainClassifier(2);
    root = tempDir();
    await save(trained.model, root, { name: "blobs", labels: LABELS, preprocessing: trained.scaler });
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it("requires the bearer token when one is set (health stays open)", async () => {
    const server = await serve(root, { token: "s3cret", pollMs: 0 });
    try {
      const body = { instances: asObjects(trained.test.rows.slice(0, 1)) };
      const no = await call(server.url, "POST", "/v1/models/blobs:predict", body);
      assert.equal(no.status, 401);
      assert.match(no.headers.get("www-authenticate") ?? "", /Bearer/);
      assert.equal((await call(server.url, "POST", "/v1/models/blobs:predict", body, { authorization: "Bearer wrong" })).status, 401);
      assert.equal((await call(server.url, "GET", "/metrics")).status, 401);
      assert.equal((await call(server.url, "POST", "/v1/models/blobs:predict", body, { authorization: "Bearer s3cret" })).status, 200);
      assert.equal((await call(server.url, "GET", "/healthz")).status, 200);
    } finally {
      await server.stop();
    }
  });

  it("answers 413 for bodies over the limit and keeps serving", async () => {
    const server = await serve(root, { bodyLimit: 2000, pollMs: 0 });
    try {
      const big = { instances: asObjects(Array.from({ length: 200 }, () => trained.test.rows[0])) };
      const r = await call(server.url, "POST", "/v1/models/blobs:predict", big);
      assert.equal(r.status, 413);
      assert.match(r.body.error, /2000 bytes/);
      assert.equal((await call(server.url, "POST", "/v1/models/blobs:predict", { instances: asObjects(trained.test.rows.slice(0, 2)) })).status, 200);
    } finally {
      await server.stop();
    }
  });

  it("answers 503 beyond maxConcurrent", async () => {
    const server = await serve(root, { maxConcurrent: 2, maxWaitMs: 300, maxBatch: 64, pollMs: 0 });
    try {
      const body = { instances: asObjects(trained.test.rows.slice(0, 1)) };
      const answers = await Promise.all(Array.from({ length: 6 }, () => call(server.url, "POST", "/v1/models/blobs:predict", body)));
      const codes = answers.map((a) => a.status).sort();
      assert.deepEqual(codes, [200, 200, 503, 503, 503, 503]);
      assert.equal(answers.find((a) => a.status === 503)?.headers.get("retry-after"), "1");
    } finally {
      await server.stop();
    }
  });

  it("batches concurrent requests into fewer model calls, and not when batching is off", async () => {
    const body = { instances: asObjects(trained.test.rows.slice(0, 1)) };
    const batchCount = (text: string) => Number(/lepton_batch_size_count (\d+)/.exec(text)?.[1]);
    for (const batching of [true, false]) {
      const server = await serve(root, { batching, maxWaitMs: 20, pollMs: 0 });
      try {
        const answers = await Promise.all(Array.from({ length: 24 }, () => call(server.url, "POST", "/v1/models/blobs:predict", body)));
        assert.ok(answers.every((a) => a.status === 200));
        const expected = answers[0].body.predictions[0].label;
        assert.ok(answers.every((a) => a.body.predictions[0].label === expected), "every request gets its own row back");
        const calls = batchCount((await call(server.url, "GET", "/metrics")).text);
        if (batching) assert.ok(calls < 24, `batching: ${calls} model calls for 24 requests`);
        else assert.equal(calls, 24);
      } finally {
        await server.stop();
      }
    }
  });

  it("serves an in-memory model or loaded bundle and leaves the model usable after stop", async () => {
    const bundle = await load(root);
    const server = await serve(bundle, { name: "mem" });
    const r = await call(server.url, "POST", "/v1/models/mem:predict", { instances: asObjects(trained.test.rows.slice(0, 2)) });
    assert.equal(r.status, 200, r.text);
    assert.ok(LABELS.includes(r.body.predictions[0].label));
    await server.stop();
    const direct = await serve(trained.model);
    const d = await call(direct.url, "POST", "/v1/models/model:predict", { instances: [[0, 0, 0, 0]] });
    assert.equal(d.status, 200, d.text);
    await direct.stop();
    (trained.model.predict(tf.zeros([1, 4])) as tf.Tensor).dispose(); // not disposed by the server
  });
});
