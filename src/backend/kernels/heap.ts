/**
 * Direct access to tensors in the wasm heap, for the two memory-bound loops lepton writes by hand
 * (im2col and max-pool routing). Composing them from wasm's StridedSlice/Concat/Select kernels was
 * measured 20-50x slower (one tensor and one kernel call per filter tap, each a full pass), and a
 * JavaScript loop over the heap copies nothing and never leaves the wasm backend's memory.
 */
import * as tf from "@tensorflow/tfjs";
import { trainingKernels } from "./training-simd";

/** The parts of tfjs-backend-wasm's BackendWasm these kernels use. */
export interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
}

/** The geometry of a 2-D convolution or pooling, as `backend_util.computeConv2DInfo` returns it. */
export type ConvGeometry = tf.backend_util.Conv2DInfo;

/** Byte offset of a tensor's data in the wasm memory (what the training.wat kernels take). */
export function heapOffset(backend: WasmHeapBackend, t: tf.TensorInfo): number {
  return backend.typedArrayFromHeap(t).byteOffset;
}

/**
 * A convolution's geometry in the order training.wat's im2col, im2col_t and depthwise_grads take it:
 * batch, input height, width, channels, output height, width, filter height, width, strides,
 * dilations, top and left padding.
 */
export function convArgs(g: ConvGeometry): ConvArgs {
  return [
    g.batchSize, g.inHeight, g.inWidth, g.inChannels, g.outHeight, g.outWidth, g.filterHeight, g.filterWidth,
    g.strideHeight, g.strideWidth, g.dilationHeight, g.dilationWidth, g.padInfo.top, g.padInfo.left,
  ];
}

/** See {@link convArgs}. */
export type ConvArgs = [number, number, number, number, number, number, number, number, number, number, number, number, number, number];

/** Wraps a backend output in a tracked tensor so that tf ops can consume and dispose it. */
export function asTensor(info: tf.TensorInfo): tf.Tensor {
  return tf.engine().makeTensorFromTensorInfo(info);
}

/**
 * im2col: [B, OH, OW, KH·KW·C] rows of receptive-field values (kh major, then kw, then channel),
 * zeros where the window reaches into padding. Computed in one pass into a new wasm buffer.
 */
export function im2col(backend: WasmHeapBackend, x: tf.TensorInfo, g: ConvGeometry): tf.Tensor {
  const { batchSize: b, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = g;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = g;
  const { dilationHeight: dh, dilationWidth: dw } = g;
  const top = g.padInfo.top;
  const left = g.padInfo.left;
  const rowLen = kh * kw * c;
  const out = backend.makeOutput([b, oh, ow, rowLen], "float32");
  const simd = trainingKernels(backend);
  if (simd) {
    // The same loop in WebAssembly SIMD (training.wat): 3-4x faster, most for few channels.
    simd.im2col(heapOffset(backend, x), heapOffset(backend, out), ...convArgs(g));
    return asTensor(out);
  }
  // Views after makeOutput: allocating may grow (and so detach) the heap.
  const cols = backend.typedArrayFromHeap(out) as Float32Array;
  const xv = backend.typedArrayFromHeap(x) as Float32Array;
  let row = 0;
  for (let n = 0; n < b; n++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++, row += rowLen) {
        let dst = row;
        for (let p = 0; p < kh; p++) {
          const ih = i * sh - top + p * dh;
          for (let q = 0; q < kw; q++, dst += c) {
            const iw = j * sw - left + q * dw;
            if (ih < 0 || ih >= h || iw < 0 || iw >= w) {
              cols.fill(0, dst, dst + c);
            } else {
              const src = ((n * h + ih) * w + iw) * c;
              if (c > 16) cols.set(xv.subarray(src, src + c), dst);
              else for (let k = 0; k < c; k++) cols[dst + k] = xv[src + k];
            }
          }
        }
      }
    }
  }
  return asTensor(out);
}

/**
 * im2col transposed: [KH·KW·C, B·OH·OW], one row per filter tap and channel, so that the filter
 * gradient is a plain colsT · dy matmul. Writing it directly replaces an im2col plus a wasm
 * Transpose of the same size (the transpose alone cost more than the im2col).
 */
export function im2colTransposed(backend: WasmHeapBackend, x: tf.TensorInfo, g: ConvGeometry): tf.Tensor {
  const { batchSize: b, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = g;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = g;
  const { dilationHeight: dh, dilationWidth: dw } = g;
  const top = g.padInfo.top;
  const left = g.padInfo.left;
  const n = b * oh * ow;
  const out = backend.makeOutput([kh * kw * c, n], "float32");
  const simd = trainingKernels(backend);
  if (simd) {
    // training.wat's loop: whole runs copied at once for one channel at stride 1 (LeNet-5's first
    // layer: about 3.4 ms in the loop below).
    simd.im2col_t(heapOffset(backend, x), heapOffset(backend, out), ...convArgs(g));
    return asTensor(out);
  }
  const cols = backend.typedArrayFromHeap(out) as Float32Array;
  const xv = backend.typedArrayFromHeap(x) as Float32Array;
  // Output columns j whose input column j·sw - left + q·dw lies inside [0, w).
  const jFrom = (q: number) => Math.max(0, Math.ceil((left - q * dw) / sw));
  const jTo = (q: number) => Math.min(ow, Math.floor((w - 1 + left - q * dw) / sw) + 1);
  let dst = 0;
  for (let p = 0; p < kh; p++) {
    for (let q = 0; q < kw; q++) {
      const j0 = jFrom(q);
      const j1 = Math.max(j0, jTo(q));
      for (let k = 0; k < c; k++) {
        for (let bn = 0; bn < b; bn++) {
          for (let i = 0; i < oh; i++, dst += ow) {
            const ih = i * sh - top + p * dh;
            if (ih < 0 || ih >= h) {
              cols.fill(0, dst, dst + ow);
              continue;
            }
            if (j0 > 0) cols.fill(0, dst, dst + j0);
            let src = ((bn * h + ih) * w + j0 * sw - left + q * dw) * c + k;
            const step = sw * c;
            if (step === 1) cols.set(xv.subarray(src, src + j1 - j0), dst + j0);
            else for (let j = j0; j < j1; j++, src += step) cols[dst + j] = xv[src];
            if (j1 < ow) cols.fill(0, dst + j1, dst + ow);
          }
        }
      }
    }
  }
  return asTensor(out);
}
