/**
 * im2col built from wasm kernels (PadV2, StridedSlice, Concat/Pack): the shared first half of the
 * convolution filter gradients. Runs on whatever backend holds the tensors, so on wasm it stays in
 * wasm memory.
 */
import * as tf from "@tensorflow/tfjs";

/** The geometry of a 2-D convolution, as `backend_util.computeConv2DInfo` returns it. */
export type ConvGeometry = tf.backend_util.Conv2DInfo;

/**
 * The receptive-field windows of `x` (NHWC): one [B, OH, OW, C] tensor per filter tap (kh, kw),
 * in filter order (kh major). Pads (with `padValue`) only as much as the windows reach.
 */
export function windows(x: tf.Tensor4D, info: ConvGeometry, padValue = 0): tf.Tensor4D[] {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const { filterHeight: kh, filterWidth: kw } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const spanH = (kh - 1) * dh + (outHeight - 1) * sh + 1;
  const spanW = (kw - 1) * dw + (outWidth - 1) * sw + 1;
  const bottom = Math.max(0, spanH - inHeight - top);
  const right = Math.max(0, spanW - inWidth - left);
  const padded = top || bottom || left || right
    ? tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]], padValue)
    : x;
  const out: tf.Tensor4D[] = [];
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const r0 = i * dh;
      const c0 = j * dw;
      out.push(
        tf.stridedSlice(
          padded,
          [0, r0, c0, 0],
          [batchSize, r0 + (outHeight - 1) * sh + 1, c0 + (outWidth - 1) * sw + 1, inChannels],
          [1, sh, sw, 1],
        ) as tf.Tensor4D,
      );
    }
  }
  return out;
}

/** Converts NCHW to NHWC (the wasm kernels compute in channels-last). */
export function toChannelsLast<T extends tf.Tensor4D>(x: T, info: ConvGeometry): T {
  return info.dataFormat === "channelsFirst" ? (tf.transpose(x, [0, 2, 3, 1]) as T) : x;
}

