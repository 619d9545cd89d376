/**
 * The wasm gradient kernels lepton registers, checked against the cpu backend's reference
 * gradients. Tolerance: max |wasm - cpu| <= 1e-4 * (1 + max |cpu|) (float32 sums in a different
 * order).
 */
import { strict as assert } from "node:assert";
import * as tf from "@tensorflow/tfjs";
import { ready } from "../../src/backend/resolve";

type Case = { name: string; shapes: number[][]; fn: (...xs: tf.Tensor[]) => tf.Tensor };

function seeded(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    out[i] = s / 2 ** 32 - 0.5;
  }
  return out;
}

async function gradsOn(backend: string, c: Case): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const xs = c.shapes.map((s, i) => tf.tensor(seeded(s.reduce((a, b) => a * b, 1), 17 + i), s));
    // A non-uniform upstream gradient: weight the output by a fixed random tensor.
    const loss = (...args: tf.Tensor[]) => {
      const y = c.fn(...args);
      return tf.sum(tf.mul(y, tf.tensor(seeded(y.size, 99), y.shape)));
    };
    const gs = tf.grads(loss)(xs);
    return gs.map((g) => g.dataSync() as Float32Array);
  });
}

function assertClose(a: Float32Array, b: Float32Array, what: string): void {
  assert.equal(a.length, b.length, `${what}: length`);
  let maxRef = 0;
  let maxDiff = 0;
  for (let i = 0; i < a.length; i++) {
    maxRef = Math.max(maxRef, Math.abs(b[i]));
    maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
  }
  assert.ok(maxRef > 0, `${what}: reference gradient is all zeros`);
  assert.ok(maxDiff <= 1e-4 * (1 + maxRef), `${what}: max diff ${maxDiff} (max |ref| ${maxRef})`);
}

const cases: Case[] = [];
for (const pad of ["same", "valid"] as const) {
  for (const stride of [1, 2]) {
    cases.push({
      name: `conv2d 3x3 stride ${stride} ${pad}`,
      shapes: [[2, 7, 8, 3], [3, 3, 3, 4]],
      fn: (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, pad),
    });
    // 3 channels: im2col and batched matmuls; 8 channels, multiplier 1: training.wat's SIMD loop.
    for (const [channels, mult] of [[3, 1], [3, 2], [8, 1]]) {
      cases.push({
        name: `depthwiseConv2d 3x3 stride ${stride} ${pad} ${channels} channels multiplier ${mult}`,
        shapes: [[2, 7, 8, channels], [3, 3, channels, mult]],
        fn: (x, w) => tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, pad),
      });
    }
  }
}
cases.push(
  {
    name: "conv2d 5x2 stride [2,3] same (uneven padding)",
    shapes: [[1, 11, 10, 2], [5, 2, 2, 3]],
    fn: (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, [2, 3], "same"),
  },
  // Many input channels: the filter gradient takes the im2col + transpose path.
  {
    name: "conv2d 3x3 stride 2 same, 16 input channels",
    shapes: [[2, 7, 6, 16], [3, 3, 16, 3]],
    fn: (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, "same"),
  },
  {
    name: "conv2d 1x1",
    shapes: [[2, 4, 4, 5], [1, 1, 5, 6]],
    fn: (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, "valid"),
  },
  {
    name: "conv2d explicit padding",
    shapes: [[1, 6, 6, 2], [3, 3, 2, 2]],
    fn: (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, [[0, 0], [2, 1], [0, 1], [0, 0]]),
  },
  // Conv2DBackpropInput (lepton's replacement of wasm's naive loop) in its other role.
  {
    name: "conv2dTranspose 3x3 stride 2 same",
    shapes: [[2, 4, 5, 3], [3, 3, 2, 3]],
    fn: (x, w) => tf.conv2dTranspose(x as tf.Tensor4D, w as tf.Tensor4D, [2, 8, 10, 2], 2, "same"),
  },
  {
    name: "conv2dTranspose 4x3 stride [2,3] valid",
    shapes: [[1, 3, 3, 2], [4, 3, 3, 2]],
    fn: (x, w) => tf.conv2dTranspose(x as tf.Tensor4D, w as tf.Tensor4D, [1, 8, 9, 3], [2, 3], "valid"),
  },
  {
    name: "conv2d 3x3 stride 3 valid (input rows the filter never reaches)",
    shapes: [[2, 11, 10, 2], [3, 3, 2, 3]],
    fn: (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 3, "valid"),
  },
  {
    name: "separableConv2d stride 1 same multiplier 2",
    shapes: [[2, 6, 6, 3], [3, 3, 3, 2], [1, 1, 6, 4]],
    fn: (x, dw, pw) => tf.separableConv2d(x as tf.Tensor4D, dw as tf.Tensor4D, pw as tf.Tensor4D, 1, "same"),
  },
  // wasm's own MaxPoolGrad mis-routes windows whose values are all negative: keep inputs signed.
  {
    name: "maxPool 2x2 valid, signed inputs",
    shapes: [[2, 12, 12, 4]],
    fn: (x) => tf.maxPool(x as tf.Tensor4D, 2, 2, "valid"),
  },
  {
    name: "maxPool 3x3 stride 2 same (overlapping windows)",
    shapes: [[2, 9, 8, 3]],
    fn: (x) => tf.maxPool(x as tf.Tensor4D, 3, 2, "same"),
  },
  {
    name: "maxPool after relu (all-zero windows)",
    shapes: [[2, 8, 8, 3]],
    fn: (x) => tf.maxPool(tf.relu(tf.sub(x, 0.3)) as tf.Tensor4D, 2, 2, "valid"),
  },
  // Channels a multiple of 4: the WebAssembly SIMD paths (training.wat) for pooling and filters.
  {
    name: "maxPool 2x2 valid, 8 channels, odd height and width (SIMD, leftover row and column)",
    shapes: [[2, 9, 11, 8]],
    fn: (x) => tf.maxPool(x as tf.Tensor4D, 2, 2, "valid"),
  },
  {
    name: "maxPool 2x2 valid, 6 channels (SIMD for 4, scalar for 2)",
    shapes: [[2, 6, 8, 6]],
    fn: (x) => tf.maxPool(x as tf.Tensor4D, 2, 2, "valid"),
  },
  {
    name: "maxPool 2x2 after relu, 4 channels (SIMD, ties in all-zero windows)",
    shapes: [[2, 8, 8, 4]],
    fn: (x) => tf.maxPool(tf.relu(tf.sub(x, 0.3)) as tf.Tensor4D, 2, 2, "valid"),
  },
  {
    name: "conv2d 3x3 stride 2 same, 3 -> 8 channels (SIMD filter gradient)",
    shapes: [[2, 9, 8, 3], [3, 3, 3, 8]],
    fn: (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, "same"),
  },
  {
    name: "conv2d 5x5 same, 1 -> 12 channels (SIMD filter gradient, padding on every side)",
    shapes: [[2, 10, 9, 1], [5, 5, 1, 12]],
    fn: (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, "same"),
  },
  // One input channel at stride 1 with other channel counts: im2colTransposed's whole-run copies.
  {
    name: "conv2d 5x5 same, 1 -> 6 channels (LeNet-5's first layer)",
    shapes: [[2, 9, 8, 1], [5, 5, 1, 6]],
    fn: (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, "same"),
  },
  {
    name: "conv2d 3x3 valid, 1 -> 3 channels",
    shapes: [[2, 7, 6, 1], [3, 3, 1, 3]],
    fn: (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, "valid"),
  },
  // Bias gradients: dy summed over leading axes (lepton's single-pass Sum).
  {
    name: "bias add (sum over batch and spatial axes)",
    shapes: [[2, 5, 6, 4], [4]],
    fn: (x, b) => tf.relu(tf.add(x, b)),
  },
  {
    name: "bias add with a [1, 1, 1, C] bias",
    shapes: [[3, 4, 2, 5], [1, 1, 1, 5]],
    fn: (x, b) => tf.add(x, b),
  },
  {
    name: "gather (embedding) with repeated ids",
    shapes: [[7, 5]],
    fn: (table) => tf.gather(table, tf.tensor2d([[1, 3, 3], [0, 6, 1]], [2, 3], "int32")),
  },
  {
    name: "unsortedSegmentSum",
    shapes: [[6, 4]],
    fn: (x) => tf.mul(tf.unsortedSegmentSum(x, tf.tensor1d([2, 0, 2, 1, 0, 2], "int32"), 3), 2),
  },
);

/** A 3x3 filter dilated by 2 written out as the equivalent 5x5 filter (zeros between taps). */
function dilateFilter(w: tf.Tensor4D): tf.Tensor4D {
  const [kh, kw, c, m] = w.shape;
  let out = tf.reshape(tf.pad(tf.reshape(w, [kh, 1, kw * c * m]), [[0, 0], [0, 1], [0, 0]]), [2 * kh, kw, c, m]);
  out = tf.slice(out, [0, 0, 0, 0], [2 * kh - 1, kw, c, m]);
  out = tf.reshape(tf.pad(tf.reshape(out, [(2 * kh - 1) * kw, 1, c * m]), [[0, 0], [0, 1], [0, 0]]), [2 * kh - 1, 2 * kw, c, m]);
  return tf.slice(out, [0, 0, 0, 0], [2 * kh - 1, 2 * kw - 1, c, m]) as tf.Tensor4D;
}

describe("backend: wasm gradient kernels", function () {
  this.timeout(60000);
  before(async () => {
    await ready({ backend: "wasm" });
  });
  after(async () => {
    await tf.setBackend("wasm");
  });

  for (const c of cases) {
    it(`matches cpu: ${c.name}`, async () => {
      const ref = await gradsOn("cpu", c);
      const before = (await tf.setBackend("wasm"), tf.memory().numTensors);
      const got = await gradsOn("wasm", c);
      assert.equal(tf.memory().numTensors, before, "tensors leaked");
      ref.forEach((r, i) => assertClose(got[i], r, `${c.name} input ${i}`));
    });
  }

  for (const [name, copy] of [["Identity", (t: tf.Tensor) => tf.clone(t)], ["Cast to the same dtype", (t: tf.Tensor) => tf.cast(t, "float32")]] as const) {
  it(`${name} shares the buffer: the result reads the same values and outlives the original`, async () => {
    await tf.setBackend("wasm");
    const before = tf.memory();
    const x = tf.tensor2d([[1, -2], [3, 4.5]]);
    const c = copy(x);
    assert.equal(tf.memory().numDataBuffers, before.numDataBuffers + 1, "a copy was allocated");
    x.dispose();
    assert.deepEqual(Array.from(c.dataSync()), [1, -2, 3, 4.5]);
    c.dispose();
    assert.equal(tf.memory().numTensors, before.numTensors);
    assert.equal(tf.memory().numDataBuffers, before.numDataBuffers);
  });
  }

  it("Cast to another dtype still converts (int32 -> float32 -> bool)", async () => {
    await tf.setBackend("wasm");
    const i = tf.tensor1d([3, 0, -2], "int32");
    const f = tf.cast(i, "float32");
    const b = tf.cast(f, "bool");
    assert.equal(f.dtype, "float32");
    assert.deepEqual(Array.from(f.dataSync()), [3, 0, -2]);
    assert.deepEqual(Array.from(b.dataSync()), [1, 0, 1]);
    tf.dispose([i, f, b]);
  });

  for (const [name, reduce] of [["sums", tf.sum], ["means", tf.mean]] as const) {
  it(`${name} like cpu over leading, inner and mixed axes, with and without keepDims`, async () => {
    const shape = [3, 4, 5, 6];
    const x = seeded(360, 5);
    for (const axis of [[0], [0, 1, 2], [1, 0], [3], [0, 2], [0, 1, 2, 3]]) {
      for (const keepDims of [false, true]) {
        const run = async (backend: string) => {
          await tf.setBackend(backend);
          return tf.tidy(() => {
            const s = reduce(tf.tensor(x, shape), axis, keepDims);
            return { shape: s.shape, values: s.dataSync() as Float32Array };
          });
        };
        const ref = await run("cpu");
        const got = await run("wasm");
        assert.deepEqual(got.shape, ref.shape, `axis ${axis} keepDims ${keepDims}`);
        assertClose(got.values, ref.values, `${name} over ${axis} keepDims ${keepDims}`);
      }
    }
  });
  }

  it("slices and gathers like cpu: contiguous and strided slices, first-axis and inner-axis gathers, three dtypes", async () => {
    const shape = [6, 3, 4];
    const n = 72;
    const run = async (backend: string, dtype: "float32" | "int32" | "bool") => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const x = tf.tensor(seeded(n, 9).map((v) => Math.round(v * 50)), shape, dtype);
        const ids = tf.tensor1d([5, 0, 0, 3], "int32");
        const ids2 = tf.tensor2d([[1, 2], [0, 1]], [2, 2], "int32");
        return [
          tf.slice(x, [2, 0, 0], [3, 3, 4]), tf.slice(x, [4, 1, 0], [1, 2, 4]), tf.slice(x, [0, 1, 1], [6, 2, 2]),
          tf.gather(x, ids), tf.gather(x, ids2), tf.gather(x, tf.tensor1d([2, 0], "int32"), 1),
        ].map((t) => ({ shape: t.shape, values: Array.from(t.dataSync()) }));
      });
    };
    for (const dtype of ["float32", "int32", "bool"] as const) {
      assert.deepEqual(await run("wasm", dtype), await run("cpu", dtype), dtype);
    }
    await tf.setBackend("wasm");
    assert.throws(() => tf.gather(tf.zeros([3, 2]), tf.tensor1d([1, 3], "int32")), /index value 3 is not in \[0, 2\]/);
  });

  it("multiplies like cpu: every transpose pair, short and long inner dimensions, batched and broadcast", async () => {
    const cases: [number[], number[], boolean, boolean][] = [
      [[5, 7], [7, 9], false, false], [[7, 5], [7, 9], true, false], [[5, 7], [9, 7], false, true], [[7, 5], [9, 7], true, true],
      [[6, 40], [40, 11], false, false], [[40, 6], [11, 40], true, true],
      [[3, 4, 6], [3, 6, 5], false, false], [[3, 6, 4], [1, 5, 6], true, true], [[1, 4, 30], [2, 30, 3], false, false],
      // gemm.wat: edge tiles (rows not a multiple of 4, columns not a multiple of 8, one column),
      // inner dimensions across its 256-product blocks, transposed A through strides, broadcasts.
      [[1, 17], [17, 1], false, false], [[9, 33], [33, 6], false, false], [[33, 9], [33, 13], true, false],
      [[5, 600], [600, 17], false, false], [[600, 7], [600, 8], true, false], [[7, 40], [3, 40], false, true],
      [[2, 600, 5], [1, 600, 11], true, false], [[1, 6, 40], [3, 40, 24], false, false], [[4, 3, 20], [4, 20, 2], false, false],
      [[2, 3, 5, 20], [2, 3, 20, 7], false, false], [[2, 3, 5, 20], [2, 3, 7, 20], false, true], [[5, 20], [2, 3, 20, 9], false, false],
    ];
    for (const [sa, sb, ta, tb] of cases) {
      const run = async (backend: string) => {
        await tf.setBackend(backend);
        return tf.tidy(() => {
          const a = tf.tensor(seeded(tf.util.sizeFromShape(sa), 6), sa);
          const b = tf.tensor(seeded(tf.util.sizeFromShape(sb), 7), sb);
          const r = tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D, ta, tb);
          return { shape: r.shape, values: r.dataSync() as Float32Array };
        });
      };
      const ref = await run("cpu");
      const got = await run("wasm");
      assert.deepEqual(got.shape, ref.shape, `${sa} x ${sb} (${ta}, ${tb})`);
      assertClose(got.values, ref.values, `${sa} x ${sb} (${ta}, ${tb})`);
    }
  });

  it("fused matmul like cpu: bias and relu on gemm.wat, other activations on wasm's kernel, NaN kept", async () => {
    const cases: [number, number, number, "linear" | "relu" | "elu", boolean][] = [
      [5, 40, 9, "relu", true], [8, 33, 16, "linear", true], [3, 70, 10, "relu", false], [6, 20, 7, "elu", true],
    ];
    for (const [m, k, n, activation, withBias] of cases) {
      const run = async (backend: string) => {
        await tf.setBackend(backend);
        return tf.tidy(() => {
          const a = tf.tensor(seeded(m * k, 8), [m, k]).bufferSync();
          a.set(NaN, 1, 3); // one poisoned row: NaN must reach its outputs, not be clamped to 0
          const b = tf.tensor(seeded(k * n, 9), [k, n]) as tf.Tensor2D;
          const bias = withBias ? tf.tensor1d(seeded(n, 10)) : undefined;
          const r = tf.fused.matMul({ a: a.toTensor() as tf.Tensor2D, b, bias, activation });
          return r.dataSync() as Float32Array;
        });
      };
      const ref = await run("cpu");
      const got = await run("wasm");
      for (let j = 0; j < n; j++) assert.ok(Number.isNaN(got[n + j]), `${activation}: row 1 column ${j} is ${got[n + j]}, not NaN`);
      const finite = (v: Float32Array) => v.filter((_x, i) => i < n || i >= 2 * n);
      assertClose(finite(got), finite(ref), `fused ${m}x${k}x${n} ${activation} bias ${withBias}`);
    }
  });

  it("batch-normalises like cpu: per-channel and single statistics, with and without offset and scale", async () => {
    const c = 6;
    const cases: { shape: number[]; stats: number[]; offset: boolean; scale: boolean }[] = [
      { shape: [2, 3, 4, c], stats: [c], offset: true, scale: true },
      { shape: [5, c], stats: [c], offset: false, scale: true },
      { shape: [2, 2, 2, c], stats: [c], offset: true, scale: false },
      { shape: [3, 4, c], stats: [1], offset: true, scale: true },
      // Statistics shaped [1, C, 1, 1] whose size equals the last axis (the original kernel, as cpu).
      { shape: [2, c, 3, c], stats: [1, c, 1, 1], offset: true, scale: true },
    ];
    for (const k of cases) {
      const run = async (backend: string) => {
        await tf.setBackend(backend);
        return tf.tidy(() => {
          const n = tf.util.sizeFromShape(k.stats);
          const x = tf.tensor(seeded(tf.util.sizeFromShape(k.shape), 21), k.shape);
          const mean = tf.tensor(seeded(n, 22), k.stats);
          const variance = tf.abs(tf.tensor(seeded(n, 23), k.stats));
          const offset = k.offset ? tf.tensor(seeded(n, 24), k.stats) : undefined;
          const scale = k.scale ? tf.tensor(seeded(n, 25), k.stats) : undefined;
          return tf.batchNorm(x, mean, variance, offset, scale, 1e-3).dataSync() as Float32Array;
        });
      };
      assertClose(await run("wasm"), await run("cpu"), JSON.stringify(k));
    }
  });

  it("adds like cpu: biases over the last axis either side (the SIMD path) and other broadcasts", async () => {
    const pairs: [number[], number[]][] = [[[2, 3, 5], [5]], [[4], [3, 4]], [[2, 2, 2, 8], [1, 1, 1, 8]], [[3, 6], [3, 1]], [[3, 6], [3, 6]], [[5], [5]]];
    for (const [sa, sb] of pairs) {
      const run = async (backend: string) => {
        await tf.setBackend(backend);
        return tf.tidy(() => {
          const r = tf.add(tf.tensor(seeded(tf.util.sizeFromShape(sa), 4), sa), tf.tensor(seeded(tf.util.sizeFromShape(sb), 5), sb));
          return { shape: r.shape, values: Array.from(r.dataSync()) };
        });
      };
      assert.deepEqual(await run("wasm"), await run("cpu"), `${sa} + ${sb}`);
    }
  });

  it("tiles like cpu: end-to-end repeats (the fast path) and interleaved ones, float32 and int32", async () => {
    const cases: [number[], number[]][] = [
      [[1, 1, 1, 5], [3, 4, 2, 1]], [[1, 3], [7, 1]], [[1, 1, 2], [2, 3, 1]], [[2, 3], [2, 2]], [[1, 4], [1, 3]], [[3], [5]],
    ];
    for (const [shape, reps] of cases) {
      for (const dtype of ["float32", "int32"] as const) {
        const n = shape.reduce((a, b) => a * b, 1);
        const run = async (backend: string) => {
          await tf.setBackend(backend);
          return tf.tidy(() => Array.from(tf.tile(tf.tensor(seeded(n, 3).map((v) => Math.round(v * 100)), shape, dtype), reps).dataSync()));
        };
        assert.deepEqual(await run("wasm"), await run("cpu"), `tile ${shape} by ${reps} (${dtype})`);
      }
    }
  });

  // tfjs-core's depthwise gradient rejects dilation > 1, so the dilated kernels are called directly
  // and checked against the cpu gradient of the same convolution written with a 5x5 filter.
  for (const [pad, channels, mult] of [["same", 3, 2], ["valid", 3, 2], ["same", 4, 1], ["valid", 4, 1]] as const) {
    it(`matches cpu: depthwise backprop kernels, dilation 2, ${pad}, ${channels} channels, multiplier ${mult}`, async () => {
      const xShape: [number, number, number, number] = [2, 9, 9, channels];
      const wShape: [number, number, number, number] = [3, 3, channels, mult];
      const ref = await gradsOn("cpu", {
        name: "ref",
        shapes: [xShape, wShape],
        fn: (x, w) => tf.depthwiseConv2d(x as tf.Tensor4D, dilateFilter(w as tf.Tensor4D), 1, pad),
      });
      await tf.setBackend("wasm");
      const before = tf.memory().numTensors;
      const got = tf.tidy(() => {
        const x = tf.tensor(seeded(2 * 9 * 9 * channels, 17), xShape);
        const w = tf.tensor(seeded(3 * 3 * channels * mult, 18), wShape);
        const y = tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, pad, "NHWC", 2);
        const dy = tf.tensor(seeded(y.size, 99), y.shape);
        const attrs = { strides: 1, dilations: 2, pad };
        const dx = tf.engine().runKernel("DepthwiseConv2dNativeBackpropInput", { dy, filter: w }, { ...attrs, inputShape: xShape } as unknown as tf.NamedAttrMap) as tf.Tensor;
        const dw = tf.engine().runKernel("DepthwiseConv2dNativeBackpropFilter", { x, dy }, { ...attrs, filterShape: wShape } as unknown as tf.NamedAttrMap) as tf.Tensor;
        return [dx.dataSync() as Float32Array, dw.dataSync() as Float32Array];
      });
      assert.equal(tf.memory().numTensors, before, "tensors leaked");
      assertClose(got[0], ref[0], "dx");
      assertClose(got[1], ref[1], "dW");
    });
  }

  // Likewise tfjs-core's conv2d gradient rejects dilation > 1; lepton's Conv2DBackpropInput honours a
  // dilations attribute (for direct callers), checked the same way (conv2d allows dilation only at
  // stride 1).
  for (const [pad, stride] of [["same", 1], ["valid", 1]] as const) {
    it(`matches cpu: Conv2DBackpropInput, dilation 2, ${pad}, stride ${stride}`, async () => {
      const xShape: [number, number, number, number] = [2, 11, 10, 3];
      const wShape: [number, number, number, number] = [3, 3, 3, 4];
      const ref = await gradsOn("cpu", {
        name: "ref",
        shapes: [xShape, wShape],
        fn: (x, w) => tf.conv2d(x as tf.Tensor4D, dilateFilter(w as tf.Tensor4D), stride, pad),
      });
      await tf.setBackend("wasm");
      const before = tf.memory().numTensors;
      const got = tf.tidy(() => {
        const x = tf.tensor(seeded(2 * 11 * 10 * 3, 17), xShape) as tf.Tensor4D;
        const w = tf.tensor(seeded(3 * 3 * 3 * 4, 18), wShape) as tf.Tensor4D;
        const y = tf.conv2d(x, w, stride, pad, "NHWC", 2);
        const dy = tf.tensor(seeded(y.size, 99), y.shape);
        const attrs = { strides: stride, dilations: 2, pad, dataFormat: "NHWC", inputShape: xShape };
        const dx = tf.engine().runKernel("Conv2DBackpropInput", { dy, filter: w }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
        return dx.dataSync() as Float32Array;
      });
      assert.equal(tf.memory().numTensors, before, "tensors leaked");
      assertClose(got, ref[0], "dx");
    });
  }
});
