/**
 * One matrix product on gemm.wat, for the kernels that need one (BatchMatMul, _FusedMatMul and
 * the convolution gradients): operands where they lie in the wasm heap, A optionally transposed
 * through its strides, no operator and no packing.
 */
import type * as tf from "@tensorflow/tfjs";
import { heapOffset, type WasmHeapBackend } from "./heap";
import { gemmOverread, type GemmKernels } from "./gemm-simd";
import { wasmMemoryOf } from "./simd-module";

/** Products per register block of c: 256 rows of b (64 KB at 64 columns) stay in the L1/L2 caches. */
const K_BLOCK = 256;

/** One operand of {@link gemmInto}: a tensor and the float offset of its matrix inside it. */
export interface GemmOperand {
  info: tf.TensorInfo;
  /** Floats from the start of the tensor's data (a batch entry). Default 0. */
  offset?: number;
}

/**
 * out[m, n] = op(a) · b, op(a) = a ([m, k]) or, with transposeA, a's transpose (a is [k, m]); b is
 * [k, n]; all float32, row-major. Returns false, writing nothing, when gemm's reads past the end
 * of b would leave the wasm memory (the caller then takes its other path).
 *
 * @example
 * ```ts
 * // dW = colsᵀ · dy for a filter gradient, written straight into the filter-shaped output
 * if (!gemmInto(backend, kernels, { info: cols }, true, { info: dy }, { info: out }, kk * ci, n, co)) fallback();
 * ```
 */
export function gemmInto(
  backend: WasmHeapBackend, kernels: GemmKernels, a: GemmOperand, transposeA: boolean, b: GemmOperand, out: GemmOperand,
  m: number, k: number, n: number, accumulate = false,
): boolean {
  const memory = wasmMemoryOf(backend);
  const pa = heapOffset(backend, a.info) + 4 * (a.offset ?? 0);
  const pb = heapOffset(backend, b.info) + 4 * (b.offset ?? 0);
  const pc = heapOffset(backend, out.info) + 4 * (out.offset ?? 0);
  if (!memory || pb + 4 * k * n + gemmOverread > memory.buffer.byteLength) return false;
  const [sai, sap] = transposeA ? [4, 4 * m] : [4 * k, 4];
  kernels.gemm(pa, sai, sap, pb, 4 * n, pc, m, n, k, K_BLOCK, accumulate ? 1 : 0);
  return true;
}
