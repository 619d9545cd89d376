/**
 * Slice and GatherV2 on wasm without reading the whole input out of the heap. tfjs-backend-wasm
 * 4.22 starts both with `readSync`, a copy of the entire source tensor, before taking the few rows
 * it needs: a 64-row batch from 1,024 MNIST images cost 0.36 ms (slice) and 1.5 ms (gather), which
 * is every training step of `lepton.fit`. Here a contiguous slice is one copy, and a gather along
 * the first axis copies each selected row within the heap; other cases keep the original kernels.
 */
import * as tf from "@tensorflow/tfjs";
import { LeptonError } from "../../i18n/index";
import type { WasmHeapBackend } from "./heap";

type KernelArgs = Parameters<tf.KernelFunc>[0];

/** Wraps wasm's Slice with the contiguous-range path. */
export function withFastSlice(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs) => {
    const x = args.inputs.x as tf.TensorInfo;
    if (x.dtype === "string") return original.kernelFunc(args);
    const { begin, size } = args.attrs as { begin: number | number[]; size: number | number[] };
    const [b, s] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size);
    if (!tf.slice_util.isSliceContinous(x.shape, b, s)) return original.kernelFunc(args);
    const backend = args.backend as unknown as WasmHeapBackend;
    const offset = tf.slice_util.computeFlatOffset(b, tf.util.computeStrides(x.shape));
    const out = backend.makeOutput(s, x.dtype);
    const dst = backend.typedArrayFromHeap(out);
    // The source view after allocating the output: allocation may grow (and detach) the heap.
    dst.set(backend.typedArrayFromHeap(x).subarray(offset, offset + dst.length));
    return out;
  };
  return { ...original, kernelFunc: kernelFunc as tf.KernelFunc };
}

/** Wraps wasm's GatherV2 with the first-axis path (rows copied inside the heap). */
export function withFastGather(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs) => {
    const x = args.inputs.x as tf.TensorInfo;
    const indices = args.inputs.indices as tf.TensorInfo;
    const { axis, batchDims } = args.attrs as { axis: number; batchDims: number };
    const first = tf.util.parseAxisParam(axis, x.shape)[0] === 0 && (batchDims ?? 0) === 0;
    if (!first || x.dtype === "string" || x.shape.length === 0) return original.kernelFunc(args);
    const backend = args.backend as unknown as WasmHeapBackend;
    const ids = backend.typedArrayFromHeap(indices);
    const rows = x.shape[0];
    for (let i = 0; i < ids.length; i++) {
      // The same check (and, in English, the same words) as tfjs's own kernels.
      if (!(ids[i] >= 0 && ids[i] <= rows - 1)) throw new LeptonError("backend:gatherIndexOutOfRange", { index: ids[i], last: rows - 1 });
    }
    const rowSize = x.shape.slice(1).reduce((p, d) => p * d, 1);
    const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
    const dst = backend.typedArrayFromHeap(out);
    const src = backend.typedArrayFromHeap(x);
    const picked = backend.typedArrayFromHeap(indices);
    for (let i = 0; i < picked.length; i++) {
      const from = picked[i] * rowSize;
      dst.set(src.subarray(from, from + rowSize), i * rowSize);
    }
    return out;
  };
  return { ...original, kernelFunc: kernelFunc as tf.KernelFunc };
}
