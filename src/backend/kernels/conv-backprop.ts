/**
 * Convolution gradient kernels missing from tfjs-backend-wasm 4.22 (or, for Conv2DBackpropInput,
 * too slow there), composed from wasm's own kernels (transpose, BatchMatMul, Conv2D,
 * DepthwiseConv2dNative, pads) plus an im2col pass over the wasm heap (heap.ts). Each kernel function returns a tf.Tensor, which the engine accepts as the kernel
 * output; intermediates are released by `tf.tidy`.
 */
import * as tf from "@tensorflow/tfjs";
import { asTensor, convArgs, heapOffset, im2col, im2colTransposed, type WasmHeapBackend } from "./heap";
import { gemmKernels } from "./gemm-simd";
import { swapLastTwo } from "./matmul";
import { gemmInto } from "./product";
import { trainingKernels, type TrainingKernels } from "./training-simd";

type Attrs = Record<string, unknown>;
type KernelArgs = { inputs: tf.NamedTensorMap; attrs?: Attrs; backend: WasmHeapBackend };
type Pad = "valid" | "same" | number | tf.backend_util.ExplicitPadding;
type Rounding = "floor" | "round" | "ceil" | undefined;

function dataFormatOf(attrs: Attrs): "channelsLast" | "channelsFirst" {
  return tf.backend_util.convertConv2DDataFormat((attrs.dataFormat as "NHWC" | "NCHW") ?? "NHWC");
}

/**
 * Conv2DBackpropFilter: dW = im2col(x)^T · dy, one [KH·KW·CI, B·OH·OW] × [B·OH·OW, CO] matmul.
 */
export function conv2DBackpropFilter({ inputs, attrs, backend }: KernelArgs): tf.Tensor {
  const a = attrs ?? {};
  const x = inputs.x as tf.Tensor4D;
  const dy = inputs.dy as tf.Tensor4D;
  const filterShape = a.filterShape as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(
    x.shape, filterShape, a.strides as number | [number, number], 1, a.pad as Pad,
    a.dimRoundingMode as Rounding, false, dataFormatOf(a),
  );
  const gemm = gemmKernels(backend);
  if (gemm && info.dataFormat === "channelsLast") {
    // gemm.wat reads im2col(x) transposed through its strides and writes dW in the filter's own
    // layout: no transposed copy, no packing of dy (Keras CNN: 16.7 -> about 10.5 ms and
    // 6.6 -> about 1.6 ms per step; LeNet-5's first layer 3.0 -> about 1 ms).
    const n = info.batchSize * info.outHeight * info.outWidth;
    const rows = filterShape[0] * filterShape[1] * filterShape[2];
    // One input channel at stride 1: im2col_t copies whole runs, im2col one float per tap
    // (LeNet-5's first layer: about 1 against 5 ms).
    const transposed = info.inChannels === 1 && info.strideWidth === 1 && !isPointwise(info);
    const cols = isPointwise(info) ? undefined : transposed ? im2colTransposed(backend, x, info) : im2col(backend, x, info);
    const out = backend.makeOutput(filterShape, "float32");
    const done = gemmInto(backend, gemm, { info: cols ?? x }, !transposed, { info: dy }, { info: out }, rows, n, info.outChannels);
    cols?.dispose();
    if (done) return asTensor(out);
    backend.disposeData(out.dataId);
  }
  return tf.tidy(() => {
    // The wasm kernels compute channels-last.
    const nchw = info.dataFormat === "channelsFirst";
    const xl = nchw ? tf.transpose(x, [0, 2, 3, 1]) : x;
    const dyl = nchw ? tf.transpose(dy, [0, 2, 3, 1]) : dy;
    const n = info.batchSize * info.outHeight * info.outWidth;
    const dy2 = tf.reshape(dyl, [n, info.outChannels]) as tf.Tensor2D;
    if (isPointwise(info)) {
      // 1x1, stride 1, no padding: im2col would be a copy of x.
      const x2 = tf.reshape(xl, [n, info.inChannels]) as tf.Tensor2D;
      return tf.reshape(tf.matMul(x2, dy2, true, false), filterShape);
    }
    // Few input channels: write im2col transposed (64x28x28x1 -> 32: 23-40 ms -> 12-19 ms in
    // JavaScript, 1.6 ms in training.wat). Many: its strided reads lose to im2col + wasm Transpose
    // (64x13x13x32 -> 64: 41-61 vs 51-83 ms). A streaming a^T·b kernel with dW held in cache was
    // tried and lost to XNNPACK on every shape measured, once im2col ran in WebAssembly.
    const dw = info.inChannels < 16
      ? tf.matMul(im2colTransposed(backend, xl, info) as tf.Tensor2D, dy2)
      : tf.matMul(tf.reshape(im2col(backend, xl, info), [n, -1]) as tf.Tensor2D, dy2, true, false);
    return tf.reshape(dw, filterShape);
  });
}

function depthwiseInfo(xShape: number[], filterShape: number[], a: Attrs) {
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number], filterShape as [number, number, number, number],
    a.strides as number | [number, number], (a.dilations as number | [number, number]) ?? 1, a.pad as Pad,
    a.dimRoundingMode as Rounding, true,
  );
}

/**
 * DepthwiseConv2dNativeBackpropFilter: per input channel c, dW[:, c, :] = taps_c^T · dy_c, as one
 * BatchMatMul batched over channels.
 */
export function depthwiseBackpropFilter({ inputs, attrs, backend }: KernelArgs): tf.Tensor {
  const a = attrs ?? {};
  const x = inputs.x as tf.Tensor4D;
  const dy = inputs.dy as tf.Tensor4D;
  const filterShape = a.filterShape as [number, number, number, number];
  const info = depthwiseInfo(x.shape, filterShape, a);
  const [kh, kw, ci, mult] = filterShape;
  const simd = trainingKernels(backend);
  if (simd && mult === 1 && ci % 4 === 0) {
    // One SIMD pass accumulating x·dy per tap (training.wat): LeptonNet's [64,7,7,24] layers took
    // about 5 ms each through im2col, transposes and wasm's naive batched matmul.
    const out = backend.makeOutput(filterShape, "float32");
    return runDepthwiseGrads(simd, backend, 0, x, undefined, dy, out, info);
  }
  return tf.tidy(() => {
    const n = info.batchSize * info.outHeight * info.outWidth;
    const taps = im2col(backend, x, info); // [B, OH, OW, KK·CI]
    const byChannel = tf.transpose(tf.reshape(taps, [n, kh * kw, ci]), [2, 0, 1]); // [CI, N, KK]
    const dyc = tf.transpose(tf.reshape(dy, [n, ci, mult]), [1, 0, 2]); // [CI, N, M]
    const dw = tf.matMul(byChannel as tf.Tensor3D, dyc as tf.Tensor3D, true, false); // [CI, KK, M]
    return tf.reshape(tf.transpose(dw, [1, 0, 2]), filterShape);
  });
}

/** A 1x1 convolution at stride 1 without padding: a per-pixel product with the filter. */
function isPointwise(g: tf.backend_util.Conv2DInfo): boolean {
  return g.filterHeight === 1 && g.filterWidth === 1 && g.strideHeight === 1 && g.strideWidth === 1
    && g.padInfo.top === 0 && g.padInfo.left === 0 && g.padInfo.bottom === 0 && g.padInfo.right === 0
    && g.outHeight === g.inHeight && g.outWidth === g.inWidth;
}

/** Zeroes `out`, runs training.wat's depthwise gradient loop in `mode` into it, returns it as a tensor. */
function runDepthwiseGrads(
  simd: TrainingKernels, backend: WasmHeapBackend, mode: 0 | 1, x: tf.TensorInfo | undefined, w: tf.TensorInfo | undefined,
  dy: tf.TensorInfo, out: tf.TensorInfo, g: tf.backend_util.Conv2DInfo,
): tf.Tensor {
  const at = (t: tf.TensorInfo | undefined) => (t ? heapOffset(backend, t) : 0);
  (backend.typedArrayFromHeap(out) as Float32Array).fill(0);
  simd.depthwise_grads(mode, at(x), at(w), at(dy), at(out), ...convArgs(g));
  return asTensor(out);
}

/** Inserts (s - 1) zeros between rows and columns of an NHWC tensor (a stride-s transposed view). */
function dilate(dy: tf.Tensor4D, sh: number, sw: number): tf.Tensor4D {
  const [b, h, w, c] = dy.shape;
  let out: tf.Tensor = dy;
  if (sh > 1) {
    out = tf.pad(tf.reshape(out, [b * h, 1, w * c]), [[0, 0], [0, sh - 1], [0, 0]]);
    out = tf.slice(tf.reshape(out, [b, h * sh, w, c]), [0, 0, 0, 0], [b, (h - 1) * sh + 1, w, c]);
  }
  const rows = out.shape[1] as number;
  if (sw > 1) {
    out = tf.pad(tf.reshape(out, [b * rows * w, 1, c]), [[0, 0], [0, sw - 1], [0, 0]]);
    out = tf.slice(tf.reshape(out, [b, rows, w * sw, c]), [0, 0, 0, 0], [b, rows, (w - 1) * sw + 1, c]);
  }
  return out as tf.Tensor4D;
}

/** Pads (or crops, for negative amounts) one spatial axis of an NHWC tensor. */
function padOrCrop(x: tf.Tensor4D, axis: 1 | 2, before: number, after: number): tf.Tensor4D {
  let out = x;
  if (before > 0 || after > 0) {
    const pads: [number, number][] = [[0, 0], [0, 0], [0, 0], [0, 0]];
    pads[axis] = [Math.max(0, before), Math.max(0, after)];
    out = tf.pad(out, pads);
  }
  if (before < 0 || after < 0) {
    const begin = [0, 0, 0, 0];
    const size = [...out.shape] as number[];
    begin[axis] = Math.max(0, -before);
    size[axis] -= begin[axis] + Math.max(0, -after);
    out = tf.slice(out, begin, size);
  }
  return out;
}

/**
 * DepthwiseConv2dNativeBackpropInput: the transposed depthwise convolution, computed as a
 * stride-1 depthwise convolution (wasm's XNNPACK kernel) of the zero-dilated dy with the
 * spatially flipped filter, then summed over the channel multiplier.
 */
export function depthwiseBackpropInput({ inputs, attrs, backend }: KernelArgs): tf.Tensor {
  const a = attrs ?? {};
  const dy = inputs.dy as tf.Tensor4D;
  const filter = inputs.filter as tf.Tensor4D;
  const inputShape = a.inputShape as [number, number, number, number];
  const info = depthwiseInfo(inputShape, filter.shape, a);
  const [kh, kw, ci, mult] = filter.shape;
  const simd = trainingKernels(backend);
  if (simd && mult === 1 && ci % 4 === 0) {
    // One SIMD pass scattering w·dy (training.wat) instead of dilating, padding and convolving.
    const out = backend.makeOutput(inputShape, "float32");
    return runDepthwiseGrads(simd, backend, 1, undefined, filter, dy, out, info);
  }
  const { dilationHeight: dh, dilationWidth: dw, inHeight, inWidth } = info;
  return tf.tidy(() => {
    const d = transposedConvInput(dy, info);
    const flipped = tf.reshape(tf.reverse(filter, [0, 1]), [kh, kw, ci * mult, 1]) as tf.Tensor4D;
    const full = tf.depthwiseConv2d(d, flipped, 1, "valid", "NHWC", [dh, dw]);
    if (mult === 1) return full;
    return tf.sum(tf.reshape(full, [inputShape[0], inHeight, inWidth, ci, mult]), 4);
  });
}

/** Pads the zero-dilated dy so that a stride-1 "valid" convolution with a KxK filter yields dx. */
function transposedConvInput(dy: tf.Tensor4D, info: tf.backend_util.Conv2DInfo): tf.Tensor4D {
  const { filterHeight: kh, filterWidth: kw, dilationHeight: dh, dilationWidth: dw, inHeight, inWidth } = info;
  let d = dilate(dy, info.strideHeight, info.strideWidth);
  const top = (kh - 1) * dh - info.padInfo.top;
  const left = (kw - 1) * dw - info.padInfo.left;
  d = padOrCrop(d, 1, top, inHeight + (kh - 1) * dh - d.shape[1] - top);
  return padOrCrop(d, 2, left, inWidth + (kw - 1) * dw - d.shape[2] - left);
}

/**
 * Conv2DBackpropInput (the gradient of conv2d for its input, and conv2dTranspose): a stride-1
 * convolution, on wasm's XNNPACK Conv2D, of the zero-dilated and padded dy with the spatially
 * flipped filter whose in/out channels are swapped. tfjs-backend-wasm 4.22's own kernel is a naive
 * loop: 8 ms for the small CNN's 6M multiply-adds and about 300 ms for the Keras MNIST CNN's.
 */
export function conv2DBackpropInput({ inputs, attrs, backend }: KernelArgs): tf.Tensor {
  const a = attrs ?? {};
  const dy = inputs.dy as tf.Tensor4D;
  const filter = inputs.filter as tf.Tensor4D;
  const format = dataFormatOf(a);
  const nchw = format === "channelsFirst";
  const inputShape = a.inputShape as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(
    inputShape, filter.shape, a.strides as number | [number, number], (a.dilations as number | [number, number]) ?? 1,
    a.pad as Pad, a.dimRoundingMode as Rounding, false, format,
  );
  return tf.tidy(() => {
    const dyl = nchw ? (tf.transpose(dy, [0, 2, 3, 1]) as tf.Tensor4D) : dy;
    if (isPointwise(info)) {
      // 1x1, stride 1, no padding: dx = dy · W^T, one product (no dilation, padding or flipping).
      const [, , ci, co] = filter.shape;
      const dx = tf.reshape(tf.matMul(tf.reshape(dyl, [-1, co]) as tf.Tensor2D, tf.reshape(filter, [ci, co]) as tf.Tensor2D, false, true), [info.batchSize, info.inHeight, info.inWidth, ci]);
      return nchw ? tf.transpose(dx, [0, 3, 1, 2]) : dx;
    }
    const dx = colsProductInput(backend, dyl, filter, info) ?? tf.conv2d(transposedConvInput(dyl, info),
      tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D, 1, "valid", "NHWC", [info.dilationHeight, info.dilationWidth]);
    return nchw ? tf.transpose(dx, [0, 3, 1, 2]) : dx;
  });
}

/**
 * The input gradient as a product and its col2im: dcols = dy · Wᵀ ([B·OH·OW, CO] × [CO, KH·KW·CI]
 * on gemm.wat), each row added back where im2col read it (training.wat). The same multiply-adds
 * as the forward pass, where the convolution of the padded dy also multiplies the zeros of its
 * border (Keras CNN layer 2: 199M instead of 143M) and XNNPACK packs the flipped filter each step.
 * Null where the SIMD kernels are missing or gemm cannot take the operands.
 */
function colsProductInput(backend: WasmHeapBackend, dy: tf.Tensor4D, filter: tf.Tensor4D, info: tf.backend_util.Conv2DInfo): tf.Tensor4D | null {
  const gemm = gemmKernels(backend);
  const simd = trainingKernels(backend);
  if (!gemm || !simd || dy.dtype !== "float32" || filter.dtype !== "float32") return null;
  const [kh, kw, ci, co] = filter.shape;
  const taps = kh * kw * ci;
  const n = info.batchSize * info.outHeight * info.outWidth;
  const wt = swapLastTwo(tf.reshape(filter, [taps, co]), backend, simd); // [CO, KH·KW·CI]
  const dcols = backend.makeOutput([n, taps], "float32");
  const done = gemmInto(backend, gemm, { info: dy }, false, { info: wt }, { info: dcols }, n, co, taps);
  wt.dispose();
  if (!done) {
    backend.disposeData(dcols.dataId);
    return null;
  }
  const dx = backend.makeOutput([info.batchSize, info.inHeight, info.inWidth, ci], "float32");
  simd.col2im(heapOffset(backend, dcols), heapOffset(backend, dx), ...convArgs(info));
  backend.disposeData(dcols.dataId);
  return asTensor(dx) as tf.Tensor4D;
}
