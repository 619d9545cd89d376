/**
 * Identity for wasm without a copy. tfjs-backend-wasm 4.22's Identity allocates and copies the
 * whole tensor, and tfjs's gradient code calls it for every pass-through (42 calls copying 7.3M
 * floats, about 4 ms, per Keras MNIST CNN training step). Tensors are immutable in tfjs (variables
 * change by pointing at new data), so the output can share the input's buffer, as the cpu
 * backend's Identity and wasm's own Reshape already do.
 */
import * as tf from "@tensorflow/tfjs";
import type { WasmHeapBackend } from "./heap";

type KernelArgs = Parameters<tf.KernelFunc>[0];

/** Wraps wasm's Identity so that numeric tensors share their buffer instead of being copied. */
export function sharingIdentity(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs) => {
    const x = args.inputs.x as tf.TensorInfo;
    if (x.dtype === "string") return original.kernelFunc(args);
    (args.backend as unknown as { incRef(dataId: object): void }).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  return { ...original, kernelFunc: kernelFunc as tf.KernelFunc };
}

/**
 * Wraps wasm's Cast so that a cast to the tensor's own dtype shares its buffer too (wasm copies:
 * tfjs-layers casts float32 activations to float32 in batch norm and elsewhere, 14 copies per
 * LeptonNet training step), and so that a cast to bool gives 0 or 1 (wasm 4.22 copies the numbers
 * into bytes: 3 became 3 and -2 became 254, where tfjs's cpu backend gives 1 and 1).
 */
export function sharingCast(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs) => {
    const x = args.inputs.x as tf.TensorInfo;
    const dtype = (args.attrs as { dtype: tf.DataType }).dtype;
    if (dtype === "bool" && (x.dtype === "float32" || x.dtype === "int32")) {
      const backend = args.backend as unknown as WasmHeapBackend;
      const out = backend.makeOutput(x.shape, "bool");
      const src = backend.typedArrayFromHeap(x);
      const dst = backend.typedArrayFromHeap(out);
      for (let i = 0; i < src.length; i++) dst[i] = src[i] !== 0 ? 1 : 0;
      return out;
    }
    if (x.dtype !== dtype || dtype === "string") return original.kernelFunc(args);
    (args.backend as unknown as { incRef(dataId: object): void }).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype };
  };
  return { ...original, kernelFunc: kernelFunc as tf.KernelFunc };
}
