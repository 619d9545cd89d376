/**
 * MaxPoolGrad for wasm. tfjs-backend-wasm 4.22's own MaxPoolGrad (and MaxPoolWithArgmax) start
 * the running maximum at FLT_MIN (the smallest positive float) instead of -FLT_MAX, so in a window
 * whose values are all <= 0 (common after ReLU) the gradient goes to element 0 of the whole
 * tensor. This replacement finds the arg-max of each window from the forward output with wasm
 * kernels (strided slices, Equal, Select) and scatters dy with ScatterNd, which also accumulates
 * overlapping windows.
 */
import * as tf from "@tensorflow/tfjs";
import { windows } from "./patches";

type Pad = "valid" | "same" | number | tf.backend_util.ExplicitPadding;

/** dx[argmax of each window] += dy, ties going to the first element in window order (as TF). */
export function maxPoolGrad({ inputs, attrs }: { inputs: tf.NamedTensorMap; attrs?: Record<string, unknown> }): tf.Tensor {
  const a = attrs ?? {};
  const dy = inputs.dy as tf.Tensor4D;
  const x = inputs.input as tf.Tensor4D;
  const y = inputs.output as tf.Tensor4D;
  const info = tf.backend_util.computePool2DInfo(
    x.shape, a.filterSize as number | [number, number], a.strides as number | [number, number], 1,
    a.pad as Pad, a.dimRoundingMode as "floor" | "round" | "ceil" | undefined,
  );
  const [b, h, w, c] = x.shape;
  const { outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw } = info;
  return tf.tidy(() => {
    const taps = windows(x, info, -Infinity);
    // Offset (in the flat input) of tap (i, j) relative to the window's anchor.
    const offset = (k: number) => {
      const i = Math.floor(k / info.filterWidth) - info.padInfo.top;
      const j = (k % info.filterWidth) - info.padInfo.left;
      return i * w * c + j * c;
    };
    // Walk taps from last to first so the first matching tap wins.
    let chosen: tf.Tensor = tf.scalar(offset(taps.length - 1), "int32");
    for (let k = taps.length - 2; k >= 0; k--) {
      chosen = tf.where(tf.equal(taps[k], y), tf.scalar(offset(k), "int32"), chosen);
    }
    // Flat index of each window's anchor: b*HWC + oh*sh*WC + ow*sw*C + c.
    const steps = (count: number, step: number, shape: number[]) =>
      tf.reshape(tf.range(0, count * step, step, "int32"), shape);
    const anchor = tf.add(
      tf.add(steps(b, h * w * c, [b, 1, 1, 1]), steps(oh, sh * w * c, [1, oh, 1, 1])),
      tf.add(steps(ow, sw * c, [1, 1, ow, 1]), steps(c, 1, [1, 1, 1, c])),
    );
    const n = b * oh * ow * c;
    const index = tf.reshape(tf.add(anchor, chosen), [n, 1]);
    return tf.reshape(tf.scatterND(index, tf.reshape(dy, [n]), [x.size]), x.shape);
  });
}
