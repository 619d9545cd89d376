/**
 * Registers lepton's training kernels on the "wasm" backend, for the kernels tfjs-backend-wasm
 * 4.22 lacks (found by test/backend/wasm-sweep.test.ts). Skips any kernel a newer tfjs already has.
 */
import * as tf from "@tensorflow/tfjs";
import { conv2DBackpropFilter, conv2DBackpropInput, depthwiseBackpropFilter, depthwiseBackpropInput } from "./conv-backprop";
import { sharingCast, sharingIdentity } from "./identity";
import { withFastGather, withFastSlice } from "./slice-gather";
import { withFastBiasAdd } from "./bias-add";
import { withFastBatchNorm } from "./batch-norm";
import { withoutTransposes } from "./matmul";
import { maxPoolGrad } from "./pool-backprop";
import { unsortedSegmentSum } from "./segment-sum";
import { SOFTMAX_XENT, softmaxCrossEntropyKernel } from "./softmax-xent";
import { withLeadingAxisReduce } from "./sum-leading";
import { withFastTile } from "./tile";

/** Kernel name -> lepton implementation, for kernels wasm does not have. */
export const WASM_TRAINING_KERNELS: Record<string, tf.KernelFunc> = {
  Conv2DBackpropFilter: conv2DBackpropFilter as unknown as tf.KernelFunc,
  DepthwiseConv2dNativeBackpropFilter: depthwiseBackpropFilter as unknown as tf.KernelFunc,
  DepthwiseConv2dNativeBackpropInput: depthwiseBackpropInput as unknown as tf.KernelFunc,
  UnsortedSegmentSum: unsortedSegmentSum as unknown as tf.KernelFunc,
  // Not a tfjs kernel: lepton's own, used by softmaxCrossEntropy where the backend has it.
  [SOFTMAX_XENT]: softmaxCrossEntropyKernel as unknown as tf.KernelFunc,
};

/**
 * Kernel name -> replacement for a wasm kernel that is wrong or slow (see each file), given the
 * original registration.
 */
export const WASM_KERNEL_FIXES: Record<string, (original: tf.KernelConfig) => tf.KernelConfig> = {
  MaxPoolGrad: (original) => ({ ...original, kernelFunc: maxPoolGrad as unknown as tf.KernelFunc }),
  Conv2DBackpropInput: (original) => ({ ...original, kernelFunc: conv2DBackpropInput as unknown as tf.KernelFunc }),
  BatchMatMul: withoutTransposes,
  _FusedMatMul: withoutTransposes,
  Sum: withLeadingAxisReduce("sum"),
  Mean: withLeadingAxisReduce("mean"),
  Tile: withFastTile,
  Identity: sharingIdentity,
  Cast: sharingCast,
  Slice: withFastSlice,
  GatherV2: withFastGather,
  Add: withFastBiasAdd,
  FusedBatchNorm: withFastBatchNorm,
};

const fixed = new Set<string>();

/** Registers the kernels once; returns the names it registered or replaced in this call. */
export function registerWasmTrainingKernels(backendName = "wasm"): string[] {
  const added: string[] = [];
  for (const [kernelName, kernelFunc] of Object.entries(WASM_TRAINING_KERNELS)) {
    if (tf.getKernel(kernelName, backendName)) continue;
    tf.registerKernel({ kernelName, backendName, kernelFunc });
    added.push(kernelName);
  }
  for (const [kernelName, fix] of Object.entries(WASM_KERNEL_FIXES)) {
    const original = tf.getKernel(kernelName, backendName);
    if (!original || fixed.has(`${backendName}/${kernelName}`)) continue;
    tf.unregisterKernel(kernelName, backendName);
    tf.registerKernel(fix(original));
    fixed.add(`${backendName}/${kernelName}`);
    added.push(kernelName);
  }
  return added;
}
