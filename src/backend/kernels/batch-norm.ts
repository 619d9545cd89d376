/**
 * FusedBatchNorm on wasm (batch norm with given statistics: inference, and tfjs-layers' training
 * forward) as one scale-and-shift pass per channel (training.wat), with the statistics folded
 * into a scale and a shift first. tfjs-backend-wasm 4.22's kernel took 7.3 ms of a 256-image
 * LeptonNet batch for its 4 batch norms, more than all its convolutions. Statistics that are not
 * one value per channel of the last axis (or a single value) keep the original kernel.
 */
import * as tf from "@tensorflow/tfjs";
import { heapOffset, type WasmHeapBackend } from "./heap";
import { trainingKernels } from "./training-simd";

type KernelArgs = Parameters<tf.KernelFunc>[0];

/** Wraps wasm's FusedBatchNorm with the per-channel path. */
export function withFastBatchNorm(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs) => {
    const { x, mean, variance, offset, scale } = args.inputs as Record<string, tf.TensorInfo | undefined>;
    const epsilon = (args.attrs as { varianceEpsilon: number }).varianceEpsilon;
    const simd = trainingKernels(args.backend);
    if (!simd || !x || !mean || !variance || x.dtype !== "float32" || x.shape.length === 0) return original.kernelFunc(args);
    const channels = x.shape[x.shape.length - 1];
    // One value, or one per entry of the last axis laid out along it ([C] or [1, ..., 1, C]); any
    // other layout (such as [1, C, 1, 1]) is left to tfjs's kernel and its broadcasting rules.
    const perChannel = (t: tf.TensorInfo | undefined) => !t || (t.dtype === "float32"
      && (tf.util.sizeFromShape(t.shape) === 1
        || (t.shape[t.shape.length - 1] === channels && t.shape.slice(0, -1).every((d) => d === 1))));
    if (![mean, variance, offset, scale].every(perChannel)) return original.kernelFunc(args);
    const backend = args.backend as unknown as WasmHeapBackend;
    const out = backend.makeOutput(x.shape, "float32");
    const coeffs = backend.makeOutput([2 * channels], "float32");
    // Views after every allocation: allocating may grow (and detach) the heap.
    const read = (t: tf.TensorInfo | undefined, fallback: number) => {
      if (!t) return () => fallback;
      const v = backend.typedArrayFromHeap(t) as Float32Array;
      return v.length === 1 ? () => v[0] : (c: number) => v[c];
    };
    const [m, s2, o, g] = [read(mean, 0), read(variance, 1), read(offset, 0), read(scale, 1)];
    const ab = backend.typedArrayFromHeap(coeffs) as Float32Array;
    for (let c = 0; c < channels; c++) {
      const a = g(c) / Math.sqrt(s2(c) + epsilon);
      ab[c] = a;
      ab[channels + c] = o(c) - m(c) * a;
    }
    const at = (t: tf.TensorInfo) => heapOffset(backend, t);
    const base = at(coeffs);
    simd.scale_shift(at(x), base, base + 4 * channels, at(out), tf.util.sizeFromShape(x.shape) / channels, channels);
    backend.disposeData(coeffs.dataId, true);
    return out;
  };
  return { ...original, kernelFunc: kernelFunc as tf.KernelFunc };
}
