/** Backend resolution, forcing through LEPTON_BACKEND, errors and the env report. */
import { strict as assert } from "node:assert";
import * as tf from "@tensorflow/tfjs";
import { LeptonError, locale } from "../../src/i18n/index";
import { DISPLAY } from "../../src/runtime/host";
import { env, plannedBackend, ready, requestedBackend } from "../../src/backend/index";

describe("backend: resolution", function () {
  this.timeout(30000);
  const saved = process.env.LEPTON_BACKEND;
  afterEach(() => {
    if (saved === undefined) delete process.env.LEPTON_BACKEND;
    else process.env.LEPTON_BACKEND = saved;
    locale("en");
  });

  it("parses LEPTON_BACKEND and rejects unknown names with a localised error", () => {
    assert.equal(requestedBackend({ LEPTON_BACKEND: " WASM " }), "wasm");
    assert.equal(requestedBackend({}), undefined);
    assert.throws(() => requestedBackend({ LEPTON_BACKEND: "tpu" }), (e: unknown) => {
      assert.ok(e instanceof LeptonError);
      assert.equal(e.code, "backend:unknownBackend");
      assert.match(e.message, /tpu/);
      assert.match(e.message, /gpu, node, wasm, cpu/);
      return true;
    });
  });

  it("plans wasm here (no native TensorFlow installed) without initialising tfjs", () => {
    delete process.env.LEPTON_BACKEND;
    assert.equal(plannedBackend(), "wasm");
    process.env.LEPTON_BACKEND = "cpu";
    assert.equal(plannedBackend(), "cpu");
  });

  it("explains why a forced native backend is unavailable", async () => {
    process.env.LEPTON_BACKEND = "node";
    await assert.rejects(ready(), (e: unknown) => {
      assert.ok(e instanceof LeptonError);
      assert.equal(e.code, "backend:unavailable");
      // In this repository @tensorflow/tfjs-node is an override alias to plain tfjs.
      assert.match(e.message, /alias|not installed/);
      return true;
    });
    process.env.LEPTON_BACKEND = "gpu";
    locale("zh-CN");
    await assert.rejects(ready(), (e: unknown) => {
      assert.ok(e instanceof LeptonError);
      assert.match(e.message, /不可用/);
      assert.match(e.message, /tfjs-node-gpu/);
      return true;
    });
  });

  it("falls back to wasm with SIMD and records the skipped native backends", async () => {
    delete process.env.LEPTON_BACKEND;
    const report = await ready();
    assert.equal(report.backend, "wasm");
    assert.equal(tf.getBackend(), "wasm");
    assert.equal(report.simd, true);
    assert.deepEqual(report.skipped.map((s) => s.backend), ["gpu", "node"]);
    assert.equal(await ready(), report, "ready() is idempotent");
    // Training kernels are registered on wasm.
    assert.ok(tf.getKernel("Conv2DBackpropFilter", "wasm"));
    assert.ok(tf.getKernel("UnsortedSegmentSum", "wasm"));
  });

  it("switches explicitly and restores the chosen backend if changed behind its back", async () => {
    const cpu = await ready({ backend: "cpu" });
    assert.equal(cpu.backend, "cpu");
    assert.equal(tf.getBackend(), "cpu");
    await tf.setBackend("wasm");
    await ready();
    assert.equal(tf.getBackend(), "cpu");
    await ready({ backend: "wasm" });
    assert.equal(tf.getBackend(), "wasm");
  });

  it("env() reports backend, SIMD, threads and memory as text and HTML", async () => {
    await ready({ backend: "wasm" });
    const keep = tf.ones([256]);
    const report = env();
    assert.equal(report.info.backend, "wasm");
    assert.equal(report.info.simd, true);
    assert.equal(report.info.threads, 1);
    assert.ok(report.info.numTensors >= 1);
    assert.ok(report.info.tensorBytes >= 1024);
    assert.ok((report.info.wasmHeapBytes ?? 0) > 0);
    const bundle = report[DISPLAY]();
    assert.match(String(bundle["text/plain"]), /Backend\s+wasm/);
    assert.match(String(bundle["text/html"]), /<table/);
    keep.dispose();
  });
});
