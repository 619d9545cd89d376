/**
 * Matrix products on wasm. tfjs-backend-wasm 4.22 sends BatchMatMul / _FusedMatMul with
 * transposeA or transposeB, and every batched product, to a naive loop about 10x slower than its
 * XNNPACK path; and its XNNPACK path packs the right-hand operand on every call in training (see
 * gemm.wat). Float32 products therefore run on gemm.wat (transposed A read through its strides, a
 * transposed B materialised by training.wat's transpose), small inner dimensions on
 * matmul_small_k; anything else (other dtypes, activations other than relu) keeps the original
 * kernel, called without transposes.
 */
import * as tf from "@tensorflow/tfjs";
import { asTensor, heapOffset, type WasmHeapBackend } from "./heap";
import { gemmKernels, type GemmKernels } from "./gemm-simd";
import { gemmInto } from "./product";
import { trainingKernels, type TrainingKernels } from "./training-simd";

type KernelArgs = Parameters<tf.KernelFunc>[0];
type MatMulAttrs = { transposeA?: boolean; transposeB?: boolean; activation?: string };

/** The last two axes swapped: training.wat's strip-wise loop on float32 (about 4x wasm's Transpose). */
export function swapLastTwo(x: tf.TensorInfo, backend: WasmHeapBackend, simd: TrainingKernels | null): tf.Tensor {
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
  return tf.transpose(asTensor(x), perm);
}

/** Inner dimensions up to this take matmul_small_k (each output row is k scaled rows of b). */
const SMALL_K = 16;

/**
 * How a product's batch axes line up: the output's batch shape and each operand's batch count
 * (equal to the output's, or 1 to broadcast); null for other broadcasts (left to wasm's kernel).
 */
interface Batches { outShape: number[]; count: number; a: number; b: number }

function batchesOf(a: tf.TensorInfo, b: tf.TensorInfo): Batches | null {
  const sa = a.shape.slice(0, -2);
  const sb = b.shape.slice(0, -2);
  let outShape: number[];
  try {
    outShape = tf.backend_util.assertAndGetBroadcastShape(sa, sb);
  } catch {
    return null;
  }
  const count = tf.util.sizeFromShape(outShape);
  const [na, nb] = [tf.util.sizeFromShape(sa), tf.util.sizeFromShape(sb)];
  if ((na !== count && na !== 1) || (nb !== count && nb !== 1)) return null;
  return { outShape, count, a: na, b: nb };
}

/**
 * A plain (untransposed) product in training.wat's matmul_small_k, batch by batch (a dense
 * head's gradient through 10 classes).
 */
function smallProduct(backend: WasmHeapBackend, simd: TrainingKernels, a: tf.TensorInfo, b: tf.TensorInfo, batches: Batches): tf.TensorInfo {
  const [m, k] = a.shape.slice(-2);
  const n = b.shape[b.shape.length - 1];
  const out = backend.makeOutput([...batches.outShape, m, n], "float32");
  const at = (t: tf.TensorInfo) => heapOffset(backend, t);
  const [pa, pb, po] = [at(a), at(b), at(out)];
  for (let i = 0; i < batches.count; i++) {
    simd.matmul_small_k(pa + (batches.a === 1 ? 0 : i * m * k * 4), pb + (batches.b === 1 ? 0 : i * k * n * 4), po + i * m * n * 4, m, k, n);
  }
  return out;
}

/**
 * op(a) · b on gemm.wat, batch by batch, b untransposed; null (nothing allocated) where gemm
 * cannot take it.
 */
function gemmProduct(backend: WasmHeapBackend, gemm: GemmKernels, a: tf.TensorInfo, transposeA: boolean, b: tf.TensorInfo, batches: Batches): tf.TensorInfo | null {
  const [ra, ca] = a.shape.slice(-2);
  const [k, n] = b.shape.slice(-2);
  const [m, inner] = transposeA ? [ca, ra] : [ra, ca];
  if (inner !== k) return null;
  const out = backend.makeOutput([...batches.outShape, m, n], "float32");
  for (let i = 0; i < batches.count; i++) {
    const done = gemmInto(backend, gemm, { info: a, offset: batches.a === 1 ? 0 : i * m * k }, transposeA, { info: b, offset: batches.b === 1 ? 0 : i * k * n }, { info: out, offset: i * m * n }, m, k, n);
    if (!done) {
      backend.disposeData(out.dataId);
      return null;
    }
  }
  return out;
}

/** True for a bias _FusedMatMul can add in place: one value per output column. */
function isColumnBias(bias: tf.TensorInfo | undefined, n: number): boolean {
  return bias === undefined || (bias.dtype === "float32" && tf.util.sizeFromShape(bias.shape) === n && bias.shape[bias.shape.length - 1] === n);
}

/**
 * Wraps a matmul kernel (BatchMatMul or _FusedMatMul): float32 products on gemm.wat or
 * matmul_small_k, everything else on the original kernel without transposeA / transposeB.
 */
export function withoutTransposes(original: tf.KernelConfig): tf.KernelConfig {
  const fused = original.kernelName === "_FusedMatMul";
  const kernelFunc = (args: KernelArgs) => {
    const attrs = (args.attrs ?? {}) as MatMulAttrs;
    const a = args.inputs.a as tf.TensorInfo;
    const b = args.inputs.b as tf.TensorInfo;
    const bias = args.inputs.bias as tf.TensorInfo | undefined;
    const backend = args.backend as unknown as WasmHeapBackend;
    const kernels = trainingKernels(backend);
    const gemm = gemmKernels(backend);
    const n = b.shape[b.shape.length - (attrs.transposeB ? 2 : 1)];
    const batches = a.shape.length >= 2 && b.shape.length >= 2 ? batchesOf(a, b) : null;
    const plain = a.dtype === "float32" && b.dtype === "float32" && batches !== null;
    const ours = plain && kernels !== null && gemm !== null
      && (!fused || (args.inputs.preluActivationWeights === undefined && (attrs.activation ?? "linear") in { linear: 1, relu: 1 } && isColumnBias(bias, n)));
    if (!ours && !attrs.transposeA && !attrs.transposeB) return original.kernelFunc(args);
    const temps: tf.Tensor[] = [];
    try {
      const bt = attrs.transposeB ? temps[temps.push(swapLastTwo(b, backend, kernels)) - 1] : b;
      if (ours && kernels && gemm && batches) {
        const inner = a.shape[a.shape.length - (attrs.transposeA ? 2 : 1)];
        let out: tf.TensorInfo | null = null;
        if (inner <= SMALL_K && !attrs.transposeA) out = smallProduct(backend, kernels, a, bt, batches);
        else out = gemmProduct(backend, gemm, a, attrs.transposeA ?? false, bt, batches);
        if (out) {
          if (fused && (bias || attrs.activation === "relu")) {
            const rows = tf.util.sizeFromShape(out.shape) / n;
            gemm.bias_act(heapOffset(backend, out), bias ? heapOffset(backend, bias) : 0, rows, n, bias ? 1 : 0, attrs.activation === "relu" ? 1 : 0);
          }
          return out;
        }
      }
      const at = attrs.transposeA ? temps[temps.push(swapLastTwo(a, backend, kernels)) - 1] : a;
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
