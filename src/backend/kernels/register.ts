/**
 * Registers lepton's training kernels on the "wasm" backend, for the kernels tfjs-backend-wasm
 * 4.22 lacks (found by test/backend/wasm-sweep.test.ts). Skips any kernel a newer tfjs already has.
 */
import * as tf from "@tensorflow/tfjs";
import { conv2DBackpropFilter, depthwiseBackpropFilter, depthwiseBackpropInput } from "./conv-backprop";
import { unsortedSegmentSum } from "./segment-sum";

/** Kernel name -> lepton implementation. */
export const WASM_TRAINING_KERNELS: Record<string, tf.KernelFunc> = {
  Conv2DBackpropFilter: conv2DBackpropFilter as unknown as tf.KernelFunc,
  DepthwiseConv2dNativeBackpropFilter: depthwiseBackpropFilter as unknown as tf.KernelFunc,
  DepthwiseConv2dNativeBackpropInput: depthwiseBackpropInput as unknown as tf.KernelFunc,
  UnsortedSegmentSum: unsortedSegmentSum as unknown as tf.KernelFunc,
};

/** Registers the kernels once; returns the names it registered in this call. */
export function registerWasmTrainingKernels(backendName = "wasm"): string[] {
  const added: string[] = [];
  for (const [kernelName, kernelFunc] of Object.entries(WASM_TRAINING_KERNELS)) {
    if (tf.getKernel(kernelName, backendName)) continue;
    tf.registerKernel({ kernelName, backendName, kernelFunc });
    added.push(kernelName);
  }
  return added;
}
