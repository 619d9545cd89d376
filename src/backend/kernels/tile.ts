/**
 * Tile on wasm when the result is the whole input repeated end to end (every axis up to the last
 * tiled one has size 1): one copy and log2(reps) doubling copies over the heap. The batch-norm
 * gradient tiles 1/sqrt(variance) [1, 1, 1, C] to the activation's full shape on every step, and
 * tfjs-backend-wasm 4.22's Tile kernel took 10 ms for [1, 1, 1, 48] -> [64, 7, 7, 48] (43 ms of a
 * 130 ms LeptonNet step); other tilings keep the original kernel.
 */
import * as tf from "@tensorflow/tfjs";
import type { WasmHeapBackend } from "./heap";

type KernelArgs = Parameters<tf.KernelFunc>[0];

/** Wraps wasm's Tile with the end-to-end repeat path. */
export function withFastTile(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs) => {
    const x = args.inputs.x as tf.TensorInfo;
    const reps = (args.attrs as { reps: number[] }).reps;
    const last = reps.reduce((at, r, i) => (r > 1 ? i : at), -1);
    const repeated = last >= 0 && x.shape.slice(0, last + 1).every((d) => d === 1);
    if (!repeated || x.dtype === "string") return original.kernelFunc(args);
    const backend = args.backend as unknown as WasmHeapBackend;
    const out = backend.makeOutput(x.shape.map((d, i) => d * reps[i]), x.dtype);
    const dst = backend.typedArrayFromHeap(out);
    const src = backend.typedArrayFromHeap(x);
    dst.set(src, 0);
    for (let filled = src.length; filled < dst.length; filled *= 2) {
      dst.copyWithin(filled, 0, Math.min(filled, dst.length - filled));
    }
    return out;
  };
  return { ...original, kernelFunc: kernelFunc as tf.KernelFunc };
}
