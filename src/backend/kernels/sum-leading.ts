/**
 * Sum over leading axes on wasm, the reduction of every bias gradient (dy summed over batch and
 * spatial axes). tfjs-backend-wasm 4.22 reduces only innermost axes, so it first transposes the
 * whole of dy with its Transpose kernel and then sums; this does it in one pass over the heap,
 * adding rows of the [outer, inner] view into the output (64x26x26x32 over [0, 1, 2]: 11.8 -> 7.9 ms).
 */
import * as tf from "@tensorflow/tfjs";
import { heapOffset, type WasmHeapBackend } from "./heap";
import { trainingKernels } from "./training-simd";

type KernelArgs = Parameters<tf.KernelFunc>[0];

/**
 * Wraps wasm's Sum (or Mean) so that float32 reductions over a leading run of axes take the
 * single-pass loop. Mean matters for batch norm in training (moments over batch and space).
 */
export function withLeadingAxisReduce(kind: "sum" | "mean"): (original: tf.KernelConfig) => tf.KernelConfig {
  return (original) => leadingAxisKernel(original, kind);
}

function leadingAxisKernel(original: tf.KernelConfig, kind: "sum" | "mean"): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs) => {
    const x = args.inputs.x as tf.TensorInfo;
    const attrs = args.attrs as { axis: number | number[]; keepDims?: boolean };
    const axes = tf.util.parseAxisParam(attrs.axis, x.shape).sort((p, q) => p - q);
    const leading = axes.length > 0 && axes.length < x.shape.length && axes.every((a, i) => a === i);
    if (!leading || x.dtype !== "float32") return original.kernelFunc(args);
    const backend = args.backend as unknown as WasmHeapBackend;
    const inner = x.shape.slice(axes.length);
    const outShape = attrs.keepDims ? [...axes.map(() => 1), ...inner] : inner;
    const out = backend.makeOutput(outShape, "float32");
    const sums = backend.typedArrayFromHeap(out) as Float32Array;
    const xv = backend.typedArrayFromHeap(x) as Float32Array;
    const width = sums.length;
    const simd = trainingKernels(backend);
    if (simd && width > 0) {
      // The SIMD loop (training.wat) accumulates in float64 like the loop below, 4 floats per step.
      const scratch = backend.makeOutput([2 * width], "float32");
      simd.sum_rows(heapOffset(backend, x), xv.length / width, width, heapOffset(backend, out), heapOffset(backend, scratch));
      backend.disposeData(scratch.dataId, true);
      if (kind === "mean") {
        const means = backend.typedArrayFromHeap(out) as Float32Array;
        for (let k = 0; k < width; k++) means[k] /= xv.length / width;
      }
      return out;
    }
    // Accumulate in float64 rows, then store once.
    const acc = new Float64Array(width);
    for (let base = 0; base < xv.length; base += width) {
      for (let k = 0; k < width; k++) acc[k] += xv[base + k];
    }
    if (kind === "mean") for (let k = 0; k < width; k++) acc[k] /= xv.length / width;
    sums.set(acc);
    return out;
  };
  return { ...original, kernelFunc: kernelFunc as tf.KernelFunc };
}
