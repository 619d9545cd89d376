/**
 * Add on wasm when one float32 operand is a vector over the other's last axis (the bias add of
 * every dense and convolution layer while training, where tfjs keeps it unfused): one SIMD pass
 * (training.wat). tfjs-backend-wasm's broadcasting Add took 0.4-1.4 ms for the small and Keras
 * CNNs' first layers; every other Add keeps the original kernel.
 */
import * as tf from "@tensorflow/tfjs";
import { heapOffset, type WasmHeapBackend } from "./heap";
import { trainingKernels } from "./training-simd";

type KernelArgs = Parameters<tf.KernelFunc>[0];

/** True when `b` holds exactly one value per entry of `a`'s last axis (shape [C] or [1, ..., C]). */
function isBiasOf(a: tf.TensorInfo, b: tf.TensorInfo): boolean {
  const c = a.shape[a.shape.length - 1];
  return a.shape.length >= 2 && b.shape.length >= 1 && b.shape.length <= a.shape.length
    && b.shape[b.shape.length - 1] === c && b.shape.slice(0, -1).every((d) => d === 1);
}

/** Wraps wasm's Add with the bias path. */
export function withFastBiasAdd(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs) => {
    const a = args.inputs.a as tf.TensorInfo;
    const b = args.inputs.b as tf.TensorInfo;
    const simd = trainingKernels(args.backend);
    if (!simd || a.dtype !== "float32" || b.dtype !== "float32") return original.kernelFunc(args);
    const [x, bias] = isBiasOf(a, b) ? [a, b] : isBiasOf(b, a) ? [b, a] : [undefined, undefined];
    if (!x || !bias) return original.kernelFunc(args);
    const backend = args.backend as unknown as WasmHeapBackend;
    const out = backend.makeOutput(x.shape, "float32");
    const at = (t: tf.TensorInfo) => heapOffset(backend, t);
    const width = x.shape[x.shape.length - 1];
    simd.add_bias(at(x), at(bias), at(out), tf.util.sizeFromShape(x.shape) / width, width);
    return out;
  };
  return { ...original, kernelFunc: kernelFunc as tf.KernelFunc };
}
