/**
 * Fused optimizer updates on wasm agree with tfjs's own Adam / SGD / momentum updates (weights and
 * optimizer slots within 1e-6 relative over several steps) and leave unsupported cases to tfjs.
 * (Named to sort after resolve.test.ts, which needs tfjs uninitialised.)
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { applyGradientsFused } from "../../src/backend/fused-update";
import { adamKernel } from "../../src/backend/kernels/adam-simd";
import { trainingKernels } from "../../src/backend/kernels/training-simd";
import { makeTrainStep, ready, resolveLoss } from "../../src/backend/index";

const SHAPES = [[13, 7], [7], [3, 3, 2, 4]];

function assertClose(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let i = 0; i < a.length; i++) {
    const tol = 1e-6 * (1 + Math.abs(b[i]));
    assert.ok(Math.abs(a[i] - b[i]) <= tol, `${what}[${i}]: ${a[i]} vs ${b[i]}`);
  }
}

/** Runs `steps` updates with fresh random gradients on two copies: tfjs's update and the fused one. */
async function compare(make: () => tf.Optimizer, steps: number): Promise<void> {
  const ref = SHAPES.map((s) => tf.variable(tf.randomNormal(s, 0, 1, "float32", 7)));
  const fused = ref.map((v) => tf.variable(v.clone()));
  const optRef = make();
  const optFused = make();
  for (let s = 0; s < steps; s++) {
    const grads = SHAPES.map((shape, i) => tf.randomNormal(shape, 0, 1, "float32", 100 * s + i));
    optRef.applyGradients(Object.fromEntries(ref.map((v, i) => [v.name, grads[i]])));
    const done = applyGradientsFused(optFused, Object.fromEntries(fused.map((v, i) => [v.name, grads[i]])));
    assert.ok(done, "the fused update was not applied");
    tf.dispose(grads);
  }
  ref.forEach((v, i) => assertClose(fused[i].dataSync(), v.dataSync(), `weight ${i}`));
  const [wr, wf] = [await optRef.getWeights(), await optFused.getWeights()];
  assert.equal(wf.length, wr.length);
  assert.deepEqual(wf.map((w) => w.name.replace(/^.*\//, "")), wr.map((w) => w.name.replace(/^.*\//, "")));
  wr.forEach((w, i) => assertClose(wf[i].tensor.dataSync(), w.tensor.dataSync(), `slot ${w.name}`));
  assert.equal(optFused.iterations, optRef.iterations);
  tf.dispose([...ref, ...fused]);
  optRef.dispose();
  optFused.dispose();
}

describe("backend: fused optimizer updates on wasm", function () {
  this.timeout(60000);
  before(async () => {
    await ready({ backend: "wasm" });
  });

  it("has the WebAssembly SIMD Adam kernel on wasm (else Adam would fall back to tfjs)", () => {
    const memory = (tf.backend() as unknown as { wasm: { asm: { memory: WebAssembly.Memory } } }).wasm.asm.memory;
    assert.ok(memory instanceof WebAssembly.Memory);
    assert.equal(typeof adamKernel(memory), "function");
  });

  for (const [wat, ts] of [["adam.wat", "adam-simd.ts"], ["training.wat", "training-simd.ts"], ["gemm.wat", "gemm-simd.ts"]]) {
    it(`embeds the bytes that ${wat} compiles to (needs wabt's wat2wasm)`, function () {
      const built = spawnSync("wat2wasm", [path.join(__dirname, "../../src/backend/kernels", wat), "--output=-"]);
      if (built.error) this.skip();
      assert.equal(built.status, 0, String(built.stderr));
      const source = fs.readFileSync(path.join(__dirname, "../../src/backend/kernels", ts), "utf8");
      assert.ok(source.includes(`"${built.stdout.toString("base64")}"`), `${ts} is stale: rebuild it from ${wat}`);
    });
  }

  it("instantiates the training kernels on the wasm backend's memory (else the JavaScript loops run)", () => {
    assert.ok(trainingKernels(tf.backend()));
  });

  it("Adam matches tfjs's Adam over 6 steps (weights, moments, iterations)", async () => {
    await compare(() => tf.train.adam(0.01), 6);
  });

  it("Adam with its own betas and epsilon, after a learning-rate change", async () => {
    await compare(() => {
      const o = tf.train.adam(0.05, 0.8, 0.99, 1e-4);
      (o as unknown as { learningRate: number }).learningRate = 0.002;
      return o;
    }, 4);
  });

  it("SGD matches tfjs's SGD", async () => {
    await compare(() => tf.train.sgd(0.1), 5);
  });

  it("momentum (plain and Nesterov) matches tfjs", async () => {
    await compare(() => tf.train.momentum(0.1, 0.9), 5);
    await compare(() => tf.train.momentum(0.1, 0.9, true), 5);
  });

  it("leaves other optimizers and other backends to tfjs", async () => {
    const v = tf.variable(tf.ones([3]));
    const g = tf.ones([3]);
    assert.equal(applyGradientsFused(tf.train.rmsprop(0.1), { [v.name]: g }), false);
    await tf.setBackend("cpu");
    const vc = tf.variable(tf.ones([3]));
    const gc = tf.ones([3]);
    assert.equal(applyGradientsFused(tf.train.adam(0.1), { [vc.name]: gc }), false);
    tf.dispose([vc, gc]);
    await ready({ backend: "wasm" });
    assert.deepEqual(Array.from(v.dataSync()), [1, 1, 1]);
    tf.dispose([v, g]);
  });

  it("does not change a tensor that shares the variable's buffer", async () => {
    const v = tf.variable(tf.tensor1d([1, 2, 3, 4]));
    const view = tf.reshape(v, [2, 2]); // shares v's data
    applyGradientsFused(tf.train.sgd(1), { [v.name]: tf.ones([4]) });
    assert.deepEqual(Array.from(v.dataSync()), [0, 1, 2, 3]);
    assert.deepEqual(Array.from(view.dataSync()), [1, 2, 3, 4]);
    tf.dispose([v, view]);
  });

  // Several steps through real layers: in-place weight writes would go unseen by XNNPACK, which
  // caches packed matmul weights per tensor id (the first step still matches, later ones do not).
  it("makeTrainStep on wasm takes the same Adam steps as variableGrads + tfjs's applyGradients", async () => {
    const make = () => tf.sequential({ layers: [
      tf.layers.dense({ inputShape: [6], units: 5, activation: "relu", kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      tf.layers.dense({ units: 3, activation: "softmax", kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
    ] });
    const a = make();
    const b = make();
    b.setWeights(a.getWeights());
    const x = tf.randomNormal([16, 6], 0, 1, "float32", 5);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 1, 0, 2, 2, 1, 0, 0, 1, 2, 1, 1, 0, 2], "int32"), 3);
    const optRef: tf.Optimizer = tf.train.adam(0.01);
    const loss = resolveLoss("categoricalCrossentropy");
    const step = makeTrainStep(b, { optimizer: tf.train.adam(0.01), loss: "categoricalCrossentropy" });
    const before = tf.memory().numTensors;
    for (let s = 0; s < 5; s++) {
      tf.tidy(() => {
        const vars = a.trainableWeights.map((w) => w.read() as tf.Variable);
        const { grads } = tf.variableGrads(() => loss(y, a.apply(x, { training: true }) as tf.Tensor), vars);
        optRef.applyGradients(grads);
      });
      step(x, y).dispose();
    }
    // Each optimizer made its 2 moment slots per weight on the first step; nothing else stays.
    assert.equal(tf.memory().numTensors, before + 2 * 2 * 4);
    const wa = a.getWeights();
    b.getWeights().forEach((w, i) => assertClose(w.dataSync(), wa[i].dataSync(), `weight ${i}`));
    tf.dispose([x, y]);
  });
});
