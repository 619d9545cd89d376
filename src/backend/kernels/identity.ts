/**
 * Identity for wasm without a copy. tfjs-backend-wasm 4.22's Identity allocates and copies the
 * whole tensor, and tfjs's gradient code calls it for every pass-through (42 calls copying 7.3M
 * floats, about 4 ms, per Keras MNIST CNN training step). Tensors are immutable in tfjs (variables
 * change by pointing at new data), so the output can share the input's buffer, as the cpu
 * backend's Identity and wasm's own Reshape already do.
 */
import * as tf from "@tensorflow/tfjs";

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
