/**
 * Fast transposed matmuls on wasm. tfjs-backend-wasm 4.22 sends BatchMatMul / _FusedMatMul with
 * transposeA or transposeB to a naive loop about 10x slower than its XNNPACK path (measured: a
 * 64x784x128 product takes 0.9 ms plain and 11.7 ms with transposeA). Every dense and conv
 * gradient asks for a transposed product, so this wrapper materialises the transpose with wasm's
 * Transpose kernel (about 0.03-0.2 ms at these sizes) and calls the original kernel untransposed.
 */
import * as tf from "@tensorflow/tfjs";
import { asTensor, heapOffset, type WasmHeapBackend } from "./heap";
import { trainingKernels, type TrainingKernels } from "./training-simd";

type KernelArgs = Parameters<tf.KernelFunc>[0];

/** The last two axes swapped: training.wat's strip-wise loop on float32 (about 4x wasm's Transpose). */
function swapLastTwo(x: tf.Tensor, backend: WasmHeapBackend, simd: TrainingKernels | null): tf.Tensor {
  const rank = x.shape.length;
  if (simd && x.dtype === "float32" && rank >= 2) {
    const [m, n] = x.shape.slice(-2);
    const out = backend.makeOutput([...x.shape.slice(0, -2), n, m], "float32");
    const at = (t: tf.TensorInfo) => heapOffset(backend, t);
    simd.transpose2d(at(x), at(out), tf.util.sizeFromShape(x.shape) / (m * n), m, n);
    return asTensor(out);
  }
  const perm = [...Array(rank).keys()];
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
  return tf.transpose(x, perm);
}

/** Inner dimensions up to this take matmul_small_k: below it XNNPACK's setup outweighs the work. */
const SMALL_K = 16;

/**
 * A plain (untransposed) product in training.wat's matmul_small_k, for 3-D operands whose batch
 * sizes match or broadcast from 1: used where tfjs would create and pack an XNNPACK operator for a
 * product of little work (a dense head's gradient through 10 classes: 162 -> about 20 us), and for
 * every batched product, which tfjs-backend-wasm sends to a naive scalar loop.
 */
function smallProduct(backend: WasmHeapBackend, simd: TrainingKernels, a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo {
  const [ba, m, k] = a.shape;
  const [bb, , n] = b.shape;
  const batch = Math.max(ba, bb);
  const out = backend.makeOutput([batch, m, n], "float32");
  const at = (t: tf.TensorInfo) => heapOffset(backend, t);
  const [pa, pb, po] = [at(a), at(b), at(out)];
  for (let i = 0; i < batch; i++) {
    simd.matmul_small_k(pa + (ba === 1 ? 0 : i * m * k * 4), pb + (bb === 1 ? 0 : i * k * n * 4), po + i * m * n * 4, m, k, n);
  }
  return out;
}

/**
 * Wraps a matmul kernel so that it never runs with transposeA / transposeB set, and so that
 * BatchMatMul's small-inner-dimension and batched products run in matmul_small_k.
 */
export function withoutTransposes(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs) => {
    const attrs = args.attrs as { transposeA?: boolean; transposeB?: boolean };
    const a = args.inputs.a as tf.Tensor;
    const b = args.inputs.b as tf.Tensor;
    const backend = args.backend as unknown as WasmHeapBackend;
    const kernels = trainingKernels(backend);
    const simd = original.kernelName === "BatchMatMul" && a.dtype === "float32" && b.dtype === "float32" && a.shape.length === 3 && b.shape.length === 3
      ? kernels : null;
    const inner = (attrs?.transposeA ? a.shape[1] : a.shape[2]) ?? 0;
    const batched = a.shape[0] > 1 || b.shape[0] > 1;
    const small = simd !== null && (inner <= SMALL_K || batched) && (a.shape[0] === b.shape[0] || a.shape[0] === 1 || b.shape[0] === 1);
    if (!attrs?.transposeA && !attrs?.transposeB && !small) return original.kernelFunc(args);
    const temps: tf.Tensor[] = [];
    const at = attrs.transposeA ? temps[temps.push(swapLastTwo(a, backend, kernels)) - 1] : a;
    const bt = attrs.transposeB ? temps[temps.push(swapLastTwo(b, backend, kernels)) - 1] : b;
    try {
      if (small && simd) return smallProduct(backend, simd, at, bt);
      return original.kernelFunc({
        ...args,
        inputs: { ...args.inputs, a: at, b: bt },
        attrs: { ...args.attrs, transposeA: false, transposeB: false },
      });
    } finally {
      tf.dispose(temps);
    }
  };
  return { ...original, kernelFunc: kernelFunc as tf.KernelFunc };
}
